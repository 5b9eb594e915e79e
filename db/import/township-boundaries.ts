// `townships import FILE --tenant CODE`: a 乡镇界 file (shapefile, GeoJSON) gives each township its
// boundary, matched by code, else by name. Rows that match nothing are reported with the fix.
import { createHash } from 'node:crypto'
import type { MultiPolygon, Polygon } from 'geojson'
import type { Kysely } from 'kysely'
import { json } from '../json.js'
import type { Database } from '../schema.js'
import { emptyAreaReport, type AreaImportReport } from './area-report.js'
import { normaliseCrsCode } from './crs.js'
import { mapColumns, pick, text } from './fields.js'
import { placer, swappedNote } from './place.js'
import { readBatchFile } from './read-file.js'
import { TownshipMatcher, townshipCodeOf, type TownshipRef } from './townships.js'
import { ImportError } from './types.js'

export interface AreaImportOptions {
  tenantCode: string
  fileName: string
  bytes: Uint8Array
  crs?: string
  now: Date
}

export async function importTownshipBoundaries(db: Kysely<Database>, opts: AreaImportOptions): Promise<AreaImportReport> {
  const sha256 = createHash('sha256').update(opts.bytes).digest('hex')
  const report = emptyAreaReport(opts.fileName, sha256)
  const tenant = await db.selectFrom('tenants').selectAll().where('code', '=', opts.tenantCode).executeTakeFirst()
  if (!tenant) throw new ImportError('tenant-unknown', `没有代码为 ${opts.tenantCode} 的县`, `先运行 npm run cli -- county add ${/^\d{6}$/.test(opts.tenantCode) ? opts.tenantCode : '<6位县级代码>'}`)
  const townships = await db.selectFrom('townships').select(['id', 'code', 'name', 'boundary']).where('tenant_id', '=', tenant.id).orderBy('code').execute()
  if (!townships.length) throw new ImportError('tenant-unknown', `${tenant.name}还没有乡镇`, `先运行 npm run cli -- county add ${tenant.code}（按统计用区划代码建立乡镇）`)

  const setup = await readAreas(opts, report)
  if (!setup) return report
  const { read, fixedCrs } = setup
  const mapping = mapColumns([...new Set(read.rows.flatMap((r) => Object.keys(r.properties)))])
  if (!mapping.columns.townshipCode && !mapping.columns.townshipName) {
    return fail(report, new ImportError('table-broken', '文件中没有乡镇代码或名称列', '乡镇界图层需要代码列（XZQDM/行政区代码/乡镇代码）或名称列（XZQMC/乡镇名称）'))
  }
  const matcher = new TownshipMatcher(townships as TownshipRef[])
  const place = placer(fixedCrs, null)
  const found = new Map<number, { township: TownshipRef; polygons: Polygon['coordinates'][]; rows: number[] }>()
  for (const raw of read.rows) {
    const f = pick(raw.properties, mapping)
    const code = text(f.townshipCode)
    const name = text(f.townshipName)
    const label = [code, name].filter(Boolean).join(' ')
    const reject = (problem: string, fix: string) => report.problems.push({ row: raw.row, ...(label ? { number: label } : {}), problem, fix })
    if (raw.problem) {
      reject(raw.problem.problem, raw.problem.fix)
      continue
    }
    const placed = place.place(raw)
    if (!placed.ok) {
      reject(placed.problem, placed.fix)
      continue
    }
    if (!placed.geometry) {
      reject('该行只有坐标点，没有乡镇边界（面）', '导入乡镇界面图层（Shapefile 或 GeoJSON 的 Polygon/MultiPolygon）')
      continue
    }
    const match = matcher.match({ code, name, geometry: null, centroid: null })
    if (!match) {
      reject(`找不到乡镇（${label || '没有代码和名称'}）`,
        `本县乡镇：${townships.map((t) => `${t.code} ${t.name}`).join('、')}；代码或名称有变化时先运行 county township add / rename，再重新导入本文件`)
      continue
    }
    const t = match.township
    const nine = townshipCodeOf(code)
    const how = match.by === 'code' ? '按代码' : nine && nine !== t.code ? `按名称（文件代码 ${nine} 与系统的 ${t.code} 不同）` : '按名称'
    const entry = found.get(t.id) ?? { township: t, polygons: [], rows: [] }
    entry.polygons.push(...(placed.geometry.type === 'Polygon' ? [placed.geometry.coordinates] : placed.geometry.coordinates))
    entry.rows.push(raw.row)
    found.set(t.id, entry)
    report.rows.push({ row: raw.row, result: `${t.code} ${t.name}（${how}${placed.swapped ? '，经纬度已交换' : ''}）` })
  }
  const swapped = swappedNote(place.swappedRows, '个要素')
  if (swapped) report.fileNotes.push(swapped)
  for (const e of found.values()) if (e.rows.length > 1) report.fileNotes.push(`${e.township.name}有 ${e.rows.length} 个面（第 ${e.rows.join('、')} 个要素），合并为一个边界`)

  await db.transaction().execute(async (trx) => {
    for (const e of found.values()) {
      const boundary: Polygon | MultiPolygon = e.polygons.length === 1 ? { type: 'Polygon', coordinates: e.polygons[0]! } : { type: 'MultiPolygon', coordinates: e.polygons }
      await trx.updateTable('townships').set({ boundary: json(boundary) }).where('id', '=', e.township.id).execute()
      await trx.insertInto('township_changes').values({
        tenant_id: tenant.id, township_id: e.township.id, change: 'boundary', code: e.township.code, name: e.township.name,
        old_code: null, old_name: null, source: `${opts.fileName} (${sha256.slice(0, 12)})`, at: opts.now,
      }).execute()
    }
  })
  const without = townships.filter((t) => !found.has(t.id) && !t.boundary)
  if (without.length) report.fileNotes.push(`仍没有边界的乡镇：${without.map((t) => t.name).join('、')}（图斑的所属乡镇靠文件中的代码或名称确定，也不能检查图斑是否在县界内）`)
  report.counts = { rows: read.rows.length, imported: found.size, rejected: report.problems.length }
  report.status = report.problems.length ? 'rows-rejected' : 'ok'
  report.message = `共 ${read.rows.length} 个要素，更新了 ${found.size} 个乡镇的边界${report.problems.length ? `，${report.problems.length} 个要素未导入` : ''}`
  return report
}

/** Reads the file and settles the CRS option; null (with the report filled) when it cannot be read. */
export async function readAreas(opts: AreaImportOptions, report: AreaImportReport) {
  let fixedCrs: string | null = null
  if (opts.crs) {
    fixedCrs = normaliseCrsCode(opts.crs)
    if (!fixedCrs) {
      fail(report, new ImportError('crs-unknown', `不认识的坐标系：${opts.crs}`, '用 EPSG:4490（经纬度）或 EPSG:4513–4554（CGCS2000 高斯-克吕格 3度带）等代码'))
      return null
    }
  }
  try {
    const read = await readBatchFile(opts.fileName, opts.bytes)
    report.format = read.format
    report.fileNotes.push(...read.notes)
    fixedCrs ??= read.crs?.code ?? null
    report.crs = opts.crs ? `${fixedCrs}（--crs）` : read.crs ? read.crs.label : '未声明，按坐标推断'
    if (!read.rows.length) {
      fail(report, new ImportError('file-unreadable', '文件中没有要素', '检查导出的图层是否为空'))
      return null
    }
    return { read, fixedCrs }
  } catch (e) {
    if (e instanceof ImportError) {
      fail(report, e)
      return null
    }
    throw e
  }
}

export function fail(report: AreaImportReport, e: ImportError): AreaImportReport {
  report.status = 'unreadable'
  report.error = { code: e.code, message: e.message, fix: e.fix }
  report.message = `文件无法导入：${e.message}`
  return report
}
