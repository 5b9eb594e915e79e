// The staff dashboard over HTTP: the page (/dashboard, static) and its data under /api/ — so the
// API token guards it when deployed (app/http.ts), and in embedded mode it is open on loopback only,
// like the console (app/main.ts). Exports are the same files as the CLI's and the chat's.
import { Hono } from 'hono'
import type { Context } from 'hono'
import type { Db } from '../../db/open.js'
import { patchIdsOf, patchesNumbered } from '../../db/queries/dossier.js'
import { renderPatchMap } from '../../render/patch-map.js'
import { loadPatchMapInput } from '../../render/patch-map-data.js'
import { isRenderUnavailable } from '../../render/png-unavailable.js'
import { buildDossier, buildDossierSet, type BuiltFile } from '../../render/dossier/dossier-zip.js'
import { ExportError, fillingTable, fillingWorkbook, tenantByCode } from '../../render/filling-table.js'
import { dashboardFiles } from './page.js'
import { dashboardSummary, patchFeatures, patchPage, townshipFeatures } from './data.js'

export interface DashboardDeps {
  db: Db
  now: () => Date
}

const rowId = (param: string): number | undefined => (/^\d{1,9}$/.test(param) ? Number(param) : undefined)

function download(c: Context, file: BuiltFile) {
  return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
    'content-type': file.mime,
    'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
  })
}

/** An export's refusal as JSON: what was wrong, how to fix it, the rows concerned. */
function refused(c: Context, e: ExportError) {
  const status = e.code === 'filling-inconsistent' ? 422 : 404
  return c.json({ error: { code: e.code, message: e.message, fix: e.fix, details: e.details } }, status)
}

export function dashboardRoutes(deps: DashboardDeps): Hono {
  const app = new Hono()
  for (const file of dashboardFiles) app.get(file.path, (c) => c.body(file.body, 200, { 'content-type': file.type }))

  app.onError((error, c) => {
    if (error instanceof ExportError) return refused(c, error)
    throw error
  })

  app.get('/api/dashboard/tenants', async (c) => c.json(await deps.db.selectFrom('tenants').select(['code', 'name']).orderBy('code').execute()))
  app.get('/api/dashboard/:tenant/summary', async (c) => c.json(await dashboardSummary(deps.db, c.req.param('tenant'), deps.now())))
  app.get('/api/dashboard/:tenant/patches.geojson', async (c) => c.json(await patchFeatures(deps.db, c.req.param('tenant'), deps.now())))
  app.get('/api/dashboard/:tenant/townships.geojson', async (c) => c.json(await townshipFeatures(deps.db, c.req.param('tenant'))))

  app.get('/api/dashboard/patches/:id', async (c) => {
    const id = rowId(c.req.param('id'))
    const page = id === undefined ? undefined : await patchPage(deps.db, id, deps.now())
    return page ? c.json(page) : c.json({ error: { code: 'patch-unknown', message: '没有这个图斑' } }, 404)
  })
  app.get('/api/dashboard/patches/:id/map.png', async (c) => {
    const id = rowId(c.req.param('id'))
    // the cards' picture: layers it touches, neighbours, township line, coordinates
    const input = id === undefined ? undefined : await loadPatchMapInput(deps.db, id)
    if (!input) return c.text('该图斑没有图形', 404)
    try {
      const png = renderPatchMap(input)
      return c.body(png as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'image/png', 'cache-control': 'max-age=3600' })
    } catch (error) {
      if (isRenderUnavailable(error)) return c.text('本部署不生成地图图片', 404)
      throw error
    }
  })
  app.get('/api/dashboard/evidence/:id/photo', async (c) => {
    const id = rowId(c.req.param('id'))
    const e = id === undefined ? undefined : await deps.db.selectFrom('evidence').select(['bytes', 'mime']).where('id', '=', id).where('kind', '=', 'photo').executeTakeFirst()
    if (!e?.bytes) return c.text('没有这张照片', 404)
    return c.body(e.bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': e.mime ?? 'image/jpeg', 'cache-control': 'max-age=86400' })
  })
  app.get('/api/dashboard/documents/:id/file', async (c) => {
    const id = rowId(c.req.param('id'))
    const doc = id === undefined ? undefined : await deps.db.selectFrom('documents').select(['title', 'file']).where('id', '=', id).executeTakeFirst()
    if (!doc?.file) return c.text('没有这份文件', 404)
    return download(c, { fileName: `${doc.title}.docx`, bytes: doc.file, mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' })
  })

  // exports: a patch's 卷宗, a township's or batch's, and the 填报 table
  app.get('/api/exports/:tenant/dossier/:number', async (c) => {
    const found = await patchesNumbered(deps.db, c.req.param('number'), c.req.param('tenant'))
    if (!found[0]) throw new ExportError('patch-unknown', `未找到图斑 ${c.req.param('number')}`, '核对图斑编号')
    return download(c, (await buildDossier(deps.db, found[0].id, deps.now()))!)
  })
  app.get('/api/exports/:tenant/dossiers', async (c) => {
    const tenant = await tenantByCode(deps.db, c.req.param('tenant'))
    const township = c.req.query('township') || undefined
    const batch = c.req.query('batch') || undefined
    if ((township === undefined) === (batch === undefined)) throw new ExportError('township-unknown', '请选择一个乡镇或一个批次', '加 ?township=乡镇名 或 ?batch=批次名')
    const ids = await patchIdsOf(deps.db, tenant.id, { ...(township ? { township } : {}), ...(batch ? { batch } : {}) })
    if (ids.length === 0) throw new ExportError(township ? 'township-unknown' : 'batch-unknown', `「${township ?? batch}」没有图斑`, '核对乡镇或批次名称')
    return download(c, await buildDossierSet(deps.db, ids.map((r) => r.id), `${tenant.name}_${township ?? batch}`, deps.now()))
  })
  app.get('/api/exports/:tenant/table.xlsx', async (c) => {
    const batch = c.req.query('batch') || undefined
    const table = await fillingTable(deps.db, c.req.param('tenant'), batch)
    return download(c, await fillingWorkbook(table, deps.now(), { flagInconsistent: c.req.query('flag') === '1' }))
  })
  return app
}
