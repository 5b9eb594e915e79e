// `layer import FILE --tenant CODE --kind K`: an overlay layer (耕地, 永久基本农田, 生态保护红线, or a
// routing zone) as a new version that replaces the current one of its kind. A layer goes in whole
// or not at all: half a 永久基本农田 layer would understate every overlap. Patches keep the figures
// they were computed with.
import { createHash } from 'node:crypto'
import { ROUTING_LAYERS } from '../../core/index.js'
import { refreshZones } from './zones.js'
import { areaMu, bboxOf } from '../../core/geometry.js'
import { LAYER_KINDS, layerName, type LayerKind } from '../../core/layer-kinds.js'
import type { Db } from '../open.js'
import { sql } from 'kysely'
import type { Polygon, MultiPolygon } from 'geojson'
import { emptyAreaReport, type AreaImportReport } from './area-report.js'
import { placer, swappedNote } from './place.js'
import { fail, readAreas, type AreaImportOptions } from './township-boundaries.js'
import { ImportError } from './types.js'

// policy choice: 10,000 polygons per statement (a few MB of JSON) — fewer round trips, bounded memory
const LAYER_CHUNK = 10_000

interface AreaRow {
  tenant_id: number
  layer: LayerKind
  geometry: Polygon | MultiPolygon
  min_lon: number
  min_lat: number
  max_lon: number
  max_lat: number
  attributes: Record<string, unknown>
}

export interface LayerImportResult extends AreaImportReport {
  layer: { kind: LayerKind; name: string; version: number; replacedVersion: number | null; areaMu: number } | null
}

export async function importLayer(db: Db, opts: AreaImportOptions & { kind: LayerKind }): Promise<LayerImportResult> {
  const sha256 = createHash('sha256').update(opts.bytes).digest('hex')
  const report: LayerImportResult = { ...emptyAreaReport(opts.fileName, sha256), layer: null }
  if (!LAYER_KINDS.some((k) => k.kind === opts.kind)) {
    fail(report, new ImportError('layer-kind-unknown', `不认识的图层类型：${opts.kind}`, `--kind 用其中之一：${LAYER_KINDS.map((k) => k.name).join('、')}`))
    return report
  }
  const name = layerName(opts.kind)
  const tenant = await db.selectFrom('tenants').selectAll().where('code', '=', opts.tenantCode).executeTakeFirst()
  if (!tenant) throw new ImportError('tenant-unknown', `没有代码为 ${opts.tenantCode} 的县`, '先运行 npm run cli -- county add <6位县级代码>')
  const current = await db.selectFrom('layers').selectAll().where('tenant_id', '=', tenant.id).where('kind', '=', opts.kind).where('replaced_at', 'is', null).executeTakeFirst()
  if (current?.source_sha256 === sha256) {
    report.layer = { kind: opts.kind, name, version: current.version, replacedVersion: null, areaMu: current.area_mu }
    report.counts = { rows: current.features, imported: 0, rejected: 0 }
    report.message = `该文件已是${name}的当前版本（第 ${current.version} 版），本次未做任何更改`
    return report
  }
  const setup = await readAreas(opts, report)
  if (!setup) return report
  const place = placer(setup.fixedCrs, null)
  const rows: AreaRow[] = []
  let total = 0
  for (const raw of setup.read.rows) {
    if (raw.problem) {
      report.problems.push({ row: raw.row, problem: raw.problem.problem, fix: raw.problem.fix })
      continue
    }
    const placed = place.place(raw)
    if (!placed.ok) {
      report.problems.push({ row: raw.row, problem: placed.problem, fix: placed.fix })
      continue
    }
    if (!placed.geometry) {
      report.problems.push({ row: raw.row, problem: '该行只有坐标点，不是面', fix: '图层须为面要素（Polygon/MultiPolygon）' })
      continue
    }
    const [minLon, minLat, maxLon, maxLat] = bboxOf(placed.geometry)
    total += areaMu(placed.geometry)
    rows.push({ tenant_id: tenant.id, layer: opts.kind, geometry: placed.geometry, min_lon: minLon, min_lat: minLat, max_lon: maxLon, max_lat: maxLat, attributes: raw.properties })
  }
  const swapped = swappedNote(place.swappedRows, '个要素')
  if (swapped) report.fileNotes.push(swapped)
  report.counts = { rows: setup.read.rows.length, imported: 0, rejected: report.problems.length }
  if (report.problems.length) {
    report.status = 'rows-rejected'
    report.message = `共 ${setup.read.rows.length} 个要素，${report.problems.length} 个有问题：${name}图层须完整导入，本次未做更改${current ? `（仍用第 ${current.version} 版）` : ''}，修正后重新导入`
    return report
  }
  const version = await db.transaction().execute(async (trx) => {
    const last = await trx.selectFrom('layers').select((eb) => eb.fn.max('version').as('v')).where('tenant_id', '=', tenant.id).where('kind', '=', opts.kind).executeTakeFirst()
    const version = Number(last?.v ?? 0) + 1
    await trx.updateTable('layers').set({ replaced_at: opts.now }).where('tenant_id', '=', tenant.id).where('kind', '=', opts.kind).where('replaced_at', 'is', null).execute()
    await trx.deleteFrom('protection_areas').where('tenant_id', '=', tenant.id).where('layer', '=', opts.kind).execute()
    const layer = await trx.insertInto('layers').values({
      tenant_id: tenant.id, kind: opts.kind, version, source_file: opts.fileName, source_sha256: sha256, features: rows.length, area_mu: total, imported_at: opts.now,
    }).returning('id').executeTakeFirstOrThrow()
    // one JSON parameter per chunk, unpacked by the server: a 100,000-polygon layer in a few statements
    // instead of 100 of 9,000 bind parameters each (the same SQL on PostgreSQL and PGlite)
    for (let i = 0; i < rows.length; i += LAYER_CHUNK) {
      const chunk = rows.slice(i, i + LAYER_CHUNK).map((r) => ({ ...r, layer_id: layer.id }))
      await sql`insert into protection_areas (tenant_id, layer, layer_id, geometry, min_lon, min_lat, max_lon, max_lat, attributes)
        select tenant_id, layer, layer_id, geometry, min_lon, min_lat, max_lon, max_lat, attributes
          from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)
            as x(tenant_id integer, layer text, layer_id integer, geometry jsonb, min_lon double precision, min_lat double precision, max_lon double precision, max_lat double precision, attributes jsonb)`.execute(trx)
    }
    // a zone layer routes every patch already there (002:46-60; issue 12 point 14)
    if (ROUTING_LAYERS.includes(opts.kind)) await refreshZones(trx, tenant.id)
    return version
  })
  const rounded = Math.round(total * 100) / 100
  report.layer = { kind: opts.kind, name, version, replacedVersion: current?.version ?? null, areaMu: rounded }
  report.counts.imported = rows.length
  report.message = `${name}第 ${version} 版：${rows.length} 个面，共 ${rounded} 亩${current ? `，替换第 ${current.version} 版（已导入的图斑保留原有的叠加面积）` : ''}`
  return report
}
