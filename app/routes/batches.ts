// POST /api/batches: the importer over HTTP (multipart), for the bot and the console.
import { Hono } from 'hono'
import { isAreaUnit } from '../../db/import/fields.js'
import { importBatch } from '../../db/import/import-batch.js'
import { formatReport } from '../../db/import/format-report.js'
import { ImportError } from '../../db/import/types.js'
import type { Db } from '../../db/open.js'

export interface BatchRouteDeps {
  db: Db
  now: () => Date
}

export function batchRoutes(deps: BatchRouteDeps): Hono {
  const app = new Hono()
  app.post('/api/batches', async (c) => {
    let form: Record<string, string | File | (string | File)[]>
    try {
      form = await c.req.parseBody()
    } catch {
      return c.json({ error: { code: 'bad-request', message: '请求应为 multipart/form-data，包含 file 与 tenant' } }, 400)
    }
    const file = form.file
    const tenant = form.tenant
    if (!(file instanceof File) || typeof tenant !== 'string' || tenant === '') {
      return c.json({ error: { code: 'bad-request', message: '缺少 file（文件）或 tenant（县代码）' } }, 400)
    }
    const field = (name: string) => (typeof form[name] === 'string' && form[name] !== '' ? (form[name] as string) : undefined)
    const issued = field('issued')
    if (issued && !/^\d{4}-\d{2}-\d{2}$/.test(issued)) {
      return c.json({ error: { code: 'bad-request', message: `issued 应为 YYYY-MM-DD，收到 ${issued}` } }, 400)
    }
    const areaUnit = field('areaUnit')
    if (areaUnit !== undefined && !isAreaUnit(areaUnit)) {
      return c.json({ error: { code: 'bad-request', message: `areaUnit 应为 mu（亩）、m2（平方米）或 ha（公顷），收到 ${areaUnit}` } }, 400)
    }
    try {
      const report = await importBatch(deps.db, {
        tenantCode: tenant, fileName: file.name || 'upload', bytes: new Uint8Array(await file.arrayBuffer()),
        batchLabel: field('batch'), crs: field('crs'), issuedOn: issued, now: deps.now(),
        ...(areaUnit ? { areaUnit } : {}),
      })
      // the importer words its fix for the command line; here the option is the form field
      if (report.error?.code === 'area-unit-unknown') {
        report.error = { ...report.error, fix: report.error.fix.replaceAll('--area-unit ', '表单字段 areaUnit=') }
      }
      return c.json({ ...report, text: formatReport(report) }, report.status === 'unreadable' ? 422 : 200)
    } catch (e) {
      if (e instanceof ImportError && e.code === 'tenant-unknown') {
        return c.json({ error: { code: e.code, message: e.message, fix: e.fix } }, 404)
      }
      throw e
    }
  })
  return app
}
