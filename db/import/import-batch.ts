// Import of an issued batch: read → check every row → one transaction with the batch, the valid
// patches and their first events. Bad rows are reported, never half-imported silently.
import { refreshZones } from './zones.js'
import { createHash } from 'node:crypto'
import type { MultiPolygon, Polygon } from 'geojson'
import { sql, type Kysely } from 'kysely'
import { areaMu, bboxOf, centroidOf, largestOverlap, pointInPolygon } from '../../core/geometry.js'
import { isPatchNumber } from '../../core/patch-number.js'
import { deadlinesFor, dueMap } from '../../core/lifecycle/deadlines.js'
import type { PatchSnapshot } from '../../core/lifecycle/types.js'
import { tenantPolicy } from '../queries/tenant-policy.js'
import { PROTECTION_LAYERS, ProtectionIndex, type LayerOverlap, type ProtectionArea } from '../../core/overlay.js'

export type OverlayAll = (areas: readonly ProtectionArea[], geometries: readonly (Polygon | MultiPolygon | null)[]) => Promise<LayerOverlap[]>
// policy choice: below 2,000 patches starting threads costs more than the overlay they share
const PARALLEL_FROM = 2000
import { canonicalJson, eventHash } from '../events.js'
import { advanceChain } from '../chain.js'
import { json } from '../json.js'
import type { Database, PatchKind } from '../schema.js'
import { normaliseCrsCode, GEOGRAPHIC } from './crs.js'
import { geometryFix, placer, swappedNote } from './place.js'
import {
  AREA_FIELDS, aliasesFromPolicy, dateString, mapColumns, num, pick, text, toMu, truthy,
  type AreaField, type AreaUnit, type FieldAliases, type FieldMapping,
} from './fields.js'
import { readBatchFile } from './read-file.js'
import type { ImportReport, UnitDecision } from './report.js'
import { TownshipMatcher, type TownshipRef } from './townships.js'
import { ImportError, type RawRow, type ReadResult } from './types.js'

export interface ImportOptions {
  tenantCode: string
  fileName: string
  bytes: Uint8Array
  batchLabel?: string
  crs?: string // 'EPSG:NNNN'
  issuedOn?: string // 'YYYY-MM-DD'
  now: Date
  fieldAliases?: FieldAliases // on top of the tenant's policy_overrides.fieldAliases
  actor?: string // who imports, for the first event; default 'import'
  /**
   * the overlay of many patches at once (the CLI: on every core, db/import/parallel-overlay.ts);
   * without it, or for a small batch, one thread in this process
   */
  overlayAll?: OverlayAll
  /** the unit of area columns whose names do not say it (`--area-unit`) */
  areaUnit?: AreaUnit
}

// Farther than this outside the county's township boundaries, a patch is misplaced (wrong zone, wrong county).
const FAR_KM = 20

// A declared area disagreeing with the geometry by more than both is reported.
const AREA_TOLERANCE = { ratio: 0.1, mu: 0.1 }

interface Candidate {
  raw: RawRow
  number: string
  geometry: Polygon | MultiPolygon | null
  centroid: [number, number] | null
  computedMu: number | null
  townshipId: number
  fields: ReturnType<typeof pick>
}

export async function importBatch(db: Kysely<Database>, opts: ImportOptions): Promise<ImportReport> {
  const sha256 = createHash('sha256').update(opts.bytes).digest('hex')
  const report = emptyReport(opts.fileName, sha256)

  const tenant = await db.selectFrom('tenants').selectAll().where('code', '=', opts.tenantCode).executeTakeFirst()
  if (!tenant) {
    throw new ImportError('tenant-unknown', `没有代码为 ${opts.tenantCode} 的县（租户）`, '检查 --tenant 参数，或先建立该县')
  }

  const previous = await db
    .selectFrom('batches')
    .selectAll()
    .where('tenant_id', '=', tenant.id)
    .where('source_sha256', '=', sha256)
    .executeTakeFirst()
  if (previous) {
    report.alreadyImported = { batchId: previous.id, label: previous.label, importedAt: chinaDateTime(previous.created_at) }
    // a clean earlier import: nothing can change. With rejected rows, look again: the fix may have
    // been on our side (a township added, a --crs given).
    if (previous.counts.rejected === 0) {
      report.batch = { id: previous.id, label: previous.label, issuedOn: previous.issued_on, created: false }
      report.counts = { rows: previous.counts.rows, imported: 0, skipped: previous.counts.rows, rejected: 0 }
      report.message = `该文件已于 ${report.alreadyImported.importedAt} 导入（批次“${previous.label}”），本次未做任何更改`
      return report
    }
  }

  let crsOption: string | null = null
  if (opts.crs) {
    crsOption = normaliseCrsCode(opts.crs)
    if (!crsOption) {
      return unreadable(report, new ImportError('crs-unknown', `不认识的坐标系：${opts.crs}`, '用 EPSG:4490（经纬度）或 EPSG:4513–4554（CGCS2000 高斯-克吕格 3度带）等代码'))
    }
  }

  const aliases = mergeAliases(aliasesFromPolicy(tenant.policy_overrides), opts.fieldAliases ?? {})
  let read: ReadResult
  try {
    read = await readBatchFile(opts.fileName, opts.bytes, aliases)
  } catch (e) {
    if (e instanceof ImportError) return unreadable(report, e)
    throw e
  }
  report.format = read.format
  report.encoding = read.encoding ?? null
  report.fileNotes.push(...read.notes)
  report.counts.rows = read.rows.length
  if (crsOption) report.crs = { code: crsOption, label: crsOption, source: 'option' }
  else if (read.crs) report.crs = { code: read.crs.code.startsWith('EPSG:') ? read.crs.code : 'prj', label: read.crs.label, source: 'file' }

  const columns = columnsOf(read.rows)
  const mapping = mapColumns(columns, aliases)
  report.fields = mapping.columns
  report.unmappedColumns = mapping.unmapped
  if (read.rows.length === 0) report.fileNotes.push('文件中没有图斑')

  const townships = await db.selectFrom('townships').select(['id', 'code', 'name', 'boundary']).where('tenant_id', '=', tenant.id).execute()
  const matcher = new TownshipMatcher(townships as TownshipRef[])
  const countyCentre = centreOf(townships as TownshipRef[])
  const countyExtent = extentOf(townships as TownshipRef[])
  // the county's outline is known only when every township has its boundary
  const bounded = townships.length && townships.every((t) => t.boundary) ? (townships as TownshipRef[]).map((t) => ({ id: t, geometry: t.boundary! })) : null

  // --- per row: geometry, CRS, validity, township
  const fixedCrs = crsOption ?? read.crs?.code ?? null
  const place = placer(fixedCrs, countyCentre)
  const inferred = place.inferred
  const candidates: Candidate[] = []
  for (const raw of read.rows) {
    const fields = pick(raw.properties, mapping)
    const number = text(fields.number) ?? undefined
    const reject = (problem: string, fix: string) => report.problems.push({ row: raw.row, number, problem, fix })
    if (raw.problem) {
      reject(raw.problem.problem, raw.problem.fix)
      continue
    }
    if (!number) {
      reject('缺少图斑编号', mapping.columns.number
        ? `在“${mapping.columns.number}”列填写该图斑的编号`
        : '文件中没有编号列（图斑编号/监测编号/JCBH/TBBH/线索编号）：添加该列，或在本县配置 fieldAliases.number 中登记所用列名')
      continue
    }
    if (!isPatchNumber(number.normalize('NFKC'))) {
      reject(`图斑编号“${number}”在聊天中无法识别（如「查 ${number}」）`,
        '编号应由字母和数字组成（可用单个“-”分隔），至少 8 位且至少 6 位数字，纯数字至少 12 位，如 JC2026450329001、450329SJBG26210183；请使用下发文件中的监测编号（JCBH），不要另编短号')
      continue
    }
    const placed = place.place(raw)
    if (!placed.ok) {
      reject(placed.problem, placed.fix)
      continue
    }
    const { geometry, centroid } = placed
    const far = countyExtent ? kmOutside(centroid, countyExtent) : 0
    if (far > FAR_KM) {
      reject(`图斑位置（${centroid.map((v) => v.toFixed(4)).join(', ')}）在本县范围外约 ${Math.round(far)} 公里，可能坐标系错误或不是本县图斑`, geometryFix(['坐标超出中国范围'], fixedCrs !== null))
      continue
    }
    const code = text(fields.townshipCode)
    const name = text(fields.townshipName)
    const match = matcher.match({ code, name, geometry, centroid })
    if (!match) {
      const given = [code && `代码 ${code}`, name && `名称“${name}”`].filter(Boolean).join('、')
      reject(given ? `找不到乡镇（${given}）` : '找不到所属乡镇（文件没有行政区代码或名称，图斑也不在任何乡镇边界内）',
        `在文件中填写正确的乡镇代码（9位）或名称；若是新设或更名的乡镇，先在系统中添加该乡镇（npm run cli -- county township add 代码 名称 --tenant ${tenant.code}），再重新导入本文件`)
      continue
    }
    if (bounded && !insideCounty(bounded, geometry, centroid)) {
      reject(`图斑（中心点 ${centroid.map((v) => v.toFixed(5)).join(', ')}）不在本县任何乡镇的边界内`,
        '核对该图斑是否属于本县、坐标系是否正确；若本县乡镇界不完整，先用 townships import 导入完整的乡镇界，再重新导入本文件')
      continue
    }
    if (match.by !== 'code' && code && code.replace(/\D/g, '').length >= 9) {
      report.notes.push({ row: raw.row, number, note: `行政区代码 ${code} 未找到，按${byName(match.by)}匹配到${match.township.name}` })
    } else if (match.by === 'boundary' || match.by === 'centroid') {
      report.notes.push({ row: raw.row, number, note: `按${byName(match.by)}确定乡镇：${match.township.name}` })
    }
    const county = code?.replace(/\D/g, '')
    if (county?.length === 6 && county !== tenant.code) {
      report.notes.push({ row: raw.row, number, note: `行政区代码 ${code} 不是本县（${tenant.code}）` })
    }
    candidates.push({ raw, number, geometry, centroid, computedMu: geometry ? areaMu(geometry) : null, townshipId: match.township.id, fields })
  }
  const swapped = swappedNote(place.swappedRows, rowWord(read.format))
  if (swapped) report.fileNotes.push(swapped)
  if (!crsOption && !read.crs) {
    if (inferred.size) {
      report.crs = { code: [...inferred].join(','), label: `根据坐标推断为 ${[...inferred].join('、')}（东坐标含带号）`, source: 'inferred' }
    } else if (candidates.length) report.crs = { code: GEOGRAPHIC, label: '未声明，坐标为经纬度，按 CGCS2000（EPSG:4490）处理', source: 'inferred' }
  }

  // --- numbers: repeated in the file, or already in the database
  // the chat finds a patch by its number in any case (findPatchId): numbers differing only in case are one
  const byNumber = new Map<string, Candidate[]>()
  for (const c of candidates) {
    const key = c.number.toUpperCase()
    byNumber.set(key, [...(byNumber.get(key) ?? []), c])
  }
  const unique: Candidate[] = []
  for (const group of byNumber.values()) {
    if (group.length === 1) {
      unique.push(group[0])
      continue
    }
    const rows = group.map((g) => g.raw.row).join('、')
    for (const c of group) {
      report.problems.push({ row: c.raw.row, number: c.number, problem: `图斑编号在文件中重复（第 ${rows} ${rowWord(read.format)}）`, fix: '核对这些行，每个图斑只保留一行、编号唯一，修正后重新导入' })
    }
  }
  const existing = await existingPatches(db, tenant.id, unique.map((c) => c.number))
  const fresh: Candidate[] = []
  for (const c of unique) {
    const old = existing.get(c.number.toUpperCase())
    if (!old) {
      fresh.push(c)
      continue
    }
    const same = canonicalJson(old.attributes) === canonicalJson(c.raw.properties) && canonicalJson(old.geometry) === canonicalJson(c.geometry)
    if (previous && old.batch_id === previous.id) {
      report.counts.skipped++
    } else if (same) {
      report.counts.skipped++
      report.notes.push({ row: c.raw.row, number: c.number, note: `已在批次“${old.label ?? old.batch_id}”中导入，内容相同，跳过` })
    } else {
      report.problems.push({
        row: c.raw.row, number: c.number,
        problem: `图斑编号已存在（批次“${old.label ?? '无'}”${old.source_file ? `，文件 ${old.source_file}` : ''}），且内容不同`,
        fix: '若是对已下发图斑的更正，请在系统中对该图斑办理更正；若编号填错，修正编号后重新导入',
      })
    }
  }

  // --- areas: units per column, computed vs declared
  const units = decideUnits(mapping, fresh, opts.areaUnit)
  if (units instanceof ImportError) return unreadable(report, units)
  report.units = units
  const convert = (field: AreaField, v: unknown) => {
    const n = num(v)
    const u = report.units[field]
    return n === null ? null : toMu(n, u?.unit ?? 'mu')
  }

  const areas = await loadProtection(db, tenant.id, fresh)
  const protection = areas
  let overlaps: LayerOverlap[] | null = null
  if (areas && opts.overlayAll && fresh.length >= PARALLEL_FROM) overlaps = await opts.overlayAll(areas, fresh.map((c) => c.geometry))
  const index = areas && !overlaps ? new ProtectionIndex(areas) : null
  report.overlay = protection ? 'protection-layers' : fresh.some((c) => c.fields.farmland != null || c.fields.basicFarmland != null || c.fields.redLine != null) ? 'declared' : 'none'

  const today = chinaDate(opts.now)
  const firstValue = (k: 'issuedOn' | 'batchLabel') => read.rows.map((r) => pick(r.properties, mapping)[k]).find((v) => text(v) !== null)
  const issuedOn = opts.issuedOn ?? dateString(firstValue('issuedOn')) ?? today
  const label = opts.batchLabel ?? text(firstValue('batchLabel')) ?? opts.fileName.replace(/\.[^.]+$/, '')
  const firstFields = read.rows.length ? pick(read.rows[0].properties, mapping) : {}
  const period = num(firstFields.year) && num(firstFields.quarter) ? `${num(firstFields.year)}-Q${num(firstFields.quarter)}` : null

  const rows = fresh.map((c, i) => {
    const declaredMu = convert('declaredArea', c.fields.declaredArea)
    if (c.computedMu !== null && declaredMu !== null) {
      const diff = Math.abs(declaredMu - c.computedMu)
      if (diff > AREA_TOLERANCE.mu && diff > AREA_TOLERANCE.ratio * c.computedMu) {
        report.areaMismatches.push({ row: c.raw.row, number: c.number, declaredMu: round(declaredMu), computedMu: round(c.computedMu) })
      }
    }
    const overlap = !c.geometry ? null : overlaps ? overlaps[i]! : index ? index.overlapByLayer(c.geometry) : null
    const category = text(c.fields.category)
    const kind: PatchKind = text(c.fields.mineral) !== null || /矿/.test(category ?? '') ? 'mineral' : 'land'
    const bbox = c.geometry ? bboxOf(c.geometry) : null
    return {
      candidate: c,
      values: {
        tenant_id: tenant.id,
        number: c.number,
        kind,
        category: category ?? (kind === 'mineral' ? '矿产卫片' : '未注明'),
        township_id: c.townshipId,
        geometry: c.geometry ? json(c.geometry) : null,
        min_lon: bbox?.[0] ?? null,
        min_lat: bbox?.[1] ?? null,
        max_lon: bbox?.[2] ?? null,
        max_lat: bbox?.[3] ?? null,
        centroid_lon: c.centroid?.[0] ?? null,
        centroid_lat: c.centroid?.[1] ?? null,
        area_mu: c.computedMu ?? declaredMu ?? 0,
        declared_area_mu: declaredMu,
        farmland_mu: overlap ? overlap.farmland : convert('farmland', c.fields.farmland) ?? 0,
        basic_farmland_mu: overlap ? overlap.basic_farmland : convert('basicFarmland', c.fields.basicFarmland) ?? 0,
        red_line_mu: overlap ? overlap.red_line : convert('redLine', c.fields.redLine) ?? 0,
        military: truthy(c.fields.military),
        attributes: json(c.raw.properties),
        state: 'issued' as const,
        flags: json<string[]>([]),
        due: json(firstDues(kind, category ?? (kind === 'mineral' ? '矿产卫片' : '未注明'), dateString(c.fields.issuedOn) ?? issuedOn, today, tenant.policy_overrides)),
        issued_on: dateString(c.fields.issuedOn) ?? issuedOn,
        received_on: today,
      },
    }
  })
  for (const r of rows) {
    if (r.values.geometry === null && r.values.declared_area_mu === null) {
      report.notes.push({ row: r.candidate.raw.row, number: r.candidate.number, note: '没有图形也没有监测面积，面积记为 0' })
    }
  }

  report.problems.sort((a, b) => a.row - b.row)
  report.notes.sort((a, b) => a.row - b.row)
  report.counts.rejected = report.problems.length
  report.counts.imported = rows.length

  // --- one transaction: batch row, patches, first events
  const actor = opts.actor ?? 'import'
  try {
    await db.transaction().execute(async (trx) => {
      let batchId: number
      if (previous) {
        batchId = previous.id
        await trx.updateTable('batches').set({
          counts: json({ rows: read.rows.length, imported: previous.counts.imported + rows.length, rejected: report.counts.rejected }),
        }).where('id', '=', previous.id).execute()
      } else {
        const b = await trx.insertInto('batches').values({
          tenant_id: tenant.id, label, period, issued_on: issuedOn, source_file: opts.fileName, source_sha256: sha256,
          counts: json({ rows: read.rows.length, imported: rows.length, rejected: report.counts.rejected }),
        }).returning('id').executeTakeFirstOrThrow()
        batchId = b.id
      }
      report.batch = { id: batchId, label: previous?.label ?? label, issuedOn: previous?.issued_on ?? issuedOn, created: !previous }
      const newIds: number[] = []
      // chunks keep each statement under PostgreSQL's 65535 bind parameters
      for (let i = 0; i < rows.length; i += 500) {
        const chunk = rows.slice(i, i + 500)
        const inserted = await trx.insertInto('patches')
          .values(chunk.map((r) => ({ ...r.values, batch_id: batchId })))
          .returning(['id', 'number']).execute()
        const idOf = new Map(inserted.map((p) => [p.number, p.id]))
        newIds.push(...inserted.map((p) => p.id))
        // new patches inside this transaction: nobody else can append to them, so seq 1 needs no lock
        const events = chunk.map((r) => {
          const data = { batchId, file: opts.fileName, sha256, row: r.candidate.raw.row }
          return {
            patch_id: idOf.get(r.values.number)!, seq: 1, type: 'imported', at: opts.now, actor, data: json(data), inbound_id: null,
            prev_hash: '', hash: eventHash({ prevHash: '', patchNumber: r.values.number, type: 'imported', at: opts.now, actor, inboundId: null, data }),
          }
        })
        // the tenant's running head advances over them in this transaction (db/chain.ts)
        const positions = await advanceChain(trx, tenant.id, events.map((e) => ({ patchId: e.patch_id, seq: 1, hash: e.hash })), opts.now)
        await trx.insertInto('patch_events').values(events.map((e, i) => ({ ...e, chain_seq: positions[i]! }))).execute()
      }
      // 002:46-60 routing: the zones each new patch lies in (issue 12 point 14)
      await refreshZones(trx, tenant.id, newIds)
    })
  } catch (e) {
    // the same file imported at the same moment by someone else
    if (!previous && isUniqueViolation(e)) return importBatch(db, opts)
    throw e
  }

  report.status = report.counts.rejected > 0 ? 'rows-rejected' : 'ok'
  report.message = summary(report)
  return report
}

function emptyReport(fileName: string, sha256: string): ImportReport {
  return {
    status: 'ok', message: '', fileName, sha256, format: null, encoding: null,
    crs: { code: null, label: '未知', source: 'none' }, fields: {}, unmappedColumns: [], units: {}, overlay: 'none',
    batch: null, alreadyImported: null, counts: { rows: 0, imported: 0, skipped: 0, rejected: 0 },
    problems: [], notes: [], areaMismatches: [], fileNotes: [], error: null,
  }
}

function unreadable(report: ImportReport, e: ImportError): ImportReport {
  report.status = 'unreadable'
  report.error = { code: e.code, message: e.message, fix: e.fix }
  report.message = `文件无法导入：${e.message}`
  return report
}

function summary(r: ImportReport): string {
  const parts = [`共 ${r.counts.rows} 个图斑`, `导入 ${r.counts.imported} 个`]
  if (r.counts.skipped) parts.push(`已存在跳过 ${r.counts.skipped} 个`)
  if (r.counts.rejected) parts.push(`有问题未导入 ${r.counts.rejected} 个`)
  if (r.areaMismatches.length) parts.push(`面积不符 ${r.areaMismatches.length} 个`)
  const again = r.alreadyImported ? `该文件已于 ${r.alreadyImported.importedAt} 导入过；` : ''
  return `${again}${parts.join('，')}`
}

const byName = (by: string) => ({ name: '名称', boundary: '边界', centroid: '中心点位置', code: '代码' })[by] ?? by
export const rowWord = (format: string | null) => (format === 'csv' || format === 'xlsx' ? '行' : '个要素')

function columnsOf(rows: RawRow[]): string[] {
  const seen = new Set<string>()
  for (const r of rows) for (const k of Object.keys(r.properties)) seen.add(k)
  return [...seen]
}

function mergeAliases(a: FieldAliases, b: FieldAliases): FieldAliases {
  const out: Record<string, readonly string[]> = { ...a }
  for (const [k, v] of Object.entries(b)) out[k] = [...(v ?? []), ...(out[k] ?? [])]
  return out as FieldAliases
}

/**
 * A column's unit: from its name, or `--area-unit`; else the declared area is compared with the
 * computed areas of the file (median ratio near 1 → 亩, near 666.7 → m², near 1/15 → 公顷); other
 * area columns follow it. Without geometry to compare, values that look like m² (6667 for one
 * 亩) are not taken as 亩: the file is refused until the unit is given.
 */
function decideUnits(mapping: FieldMapping, rows: Candidate[], option: AreaUnit | undefined): Partial<Record<AreaField, UnitDecision>> | ImportError {
  const units: Partial<Record<AreaField, UnitDecision>> = {}
  let declared: UnitDecision | undefined
  const values = (f: AreaField) => rows.map((c) => num(c.fields[f])).filter((v): v is number => v !== null && v > 0).sort((p, q) => p - q)
  const median = (xs: number[]) => (xs.length ? xs[Math.floor(xs.length / 2)]! : null)
  const refuse = (f: AreaField, why: string) => new ImportError('area-unit-unknown',
    `${FIELD_LABELS[f]}列“${mapping.columns[f]}”没有注明单位，${why}`,
    '确认单位后重新导入并指定 --area-unit m2（平方米）、--area-unit mu（亩）或 --area-unit ha（公顷）；或在列名中注明单位，如“监测面积(平方米)”')
  // 1 亩 is 666.7 m²: a median of 100 or more is a patch of 100 亩 — rare — or of 100 m²
  const looksLikeM2 = (xs: number[]) => (median(xs) ?? 0) >= 100
  if (mapping.columns.declaredArea) {
    const named = mapping.units.declaredArea
    if (named) declared = { unit: named, how: 'column-name' }
    else if (option) declared = { unit: option, how: 'option' }
    else {
      const ratios = rows
        .map((c) => ({ d: num(c.fields.declaredArea), a: c.computedMu }))
        .filter((x): x is { d: number; a: number } => x.d !== null && x.d > 0 && x.a !== null && x.a > 0)
        .map((x) => x.d / x.a)
        .sort((p, q) => p - q)
      const m = median(ratios)
      const near = (target: number) => m !== null && Math.abs(m / target - 1) < 0.25
      const unit: AreaUnit | null = near(1) ? 'mu' : near(10000 / 15) ? 'm2' : near(1 / 15) ? 'ha' : null
      if (unit) declared = { unit, how: 'compared' }
      else if (m !== null && m > 25) return refuse('declaredArea', `与图形面积相比约为其 ${Math.round(m)} 倍，不像亩`)
      else if (m === null && looksLikeM2(values('declaredArea'))) return refuse('declaredArea', `数值（中位数 ${median(values('declaredArea'))}）像平方米而不是亩，文件又没有图形可以比对`)
      else declared = { unit: 'mu', how: 'default' }
    }
    units.declaredArea = declared
  }
  for (const f of AREA_FIELDS) {
    if (f === 'declaredArea' || !mapping.columns[f]) continue
    const named = mapping.units[f]
    if (named) units[f] = { unit: named, how: 'column-name' }
    else if (option) units[f] = { unit: option, how: 'option' }
    else if (declared) units[f] = { unit: declared.unit, how: 'follows-declared' }
    else if (looksLikeM2(values(f))) return refuse(f, `数值（中位数 ${median(values(f))}）像平方米而不是亩`)
    else units[f] = { unit: 'mu', how: 'default' }
  }
  return units
}

const FIELD_LABELS: Record<AreaField, string> = { declaredArea: '监测面积', farmland: '耕地面积', basicFarmland: '永久基本农田面积', redLine: '生态保护红线面积' }

async function existingPatches(db: Kysely<Database>, tenantId: number, numbers: string[]) {
  const out = new Map<string, { batch_id: number | null; attributes: unknown; geometry: unknown; label: string | null; source_file: string | null }>()
  for (let i = 0; i < numbers.length; i += 1000) {
    const chunk = numbers.slice(i, i + 1000).map((n) => n.toUpperCase())
    if (!chunk.length) continue
    const found = await db.selectFrom('patches')
      .leftJoin('batches', 'batches.id', 'patches.batch_id')
      .select(['patches.number', 'patches.batch_id', 'patches.attributes', 'patches.geometry', 'batches.label', 'batches.source_file'])
      .where('patches.tenant_id', '=', tenantId)
      .where(sql`upper(patches.number)`, 'in', chunk)
      .execute()
    for (const f of found) out.set(f.number.toUpperCase(), f)
  }
  return out
}

/** The tenant's protection polygons near the batch; null when the tenant has none. */
async function loadProtection(db: Kysely<Database>, tenantId: number, rows: Candidate[]): Promise<ProtectionArea[] | null> {
  const withGeometry = rows.filter((c) => c.geometry)
  if (!withGeometry.length) return null
  // routing zones (城镇开发边界, 河道 …) share the table; only the protection layers are overlaid
  const any = await db.selectFrom('protection_areas').select('id').where('tenant_id', '=', tenantId).where('layer', 'in', PROTECTION_LAYERS).limit(1).executeTakeFirst()
  if (!any) return null
  const b = [Infinity, Infinity, -Infinity, -Infinity]
  for (const c of withGeometry) {
    const [x0, y0, x1, y1] = bboxOf(c.geometry!)
    b[0] = Math.min(b[0], x0)
    b[1] = Math.min(b[1], y0)
    b[2] = Math.max(b[2], x1)
    b[3] = Math.max(b[3], y1)
  }
  const areas = await db.selectFrom('protection_areas').select(['layer', 'geometry'])
    .where('tenant_id', '=', tenantId)
    .where('layer', 'in', PROTECTION_LAYERS)
    .where('max_lon', '>=', b[0]).where('min_lon', '<=', b[2])
    .where('max_lat', '>=', b[1]).where('min_lat', '<=', b[3])
    .execute()
  return areas as ProtectionArea[]
}

/** Whether a patch lies (at least partly) inside one of the township boundaries. */
function insideCounty(townships: { id: TownshipRef; geometry: Polygon | MultiPolygon }[], geometry: Polygon | MultiPolygon | null, centroid: [number, number]): boolean {
  if (townships.some((t) => pointInPolygon(centroid, t.geometry))) return true
  return geometry !== null && largestOverlap(geometry, townships) !== null
}

function centreOf(townships: TownshipRef[]): [number, number] | null {
  const withBoundary = townships.filter((t) => t.boundary)
  if (!withBoundary.length) return null
  const cs = withBoundary.map((t) => centroidOf(t.boundary!))
  return [cs.reduce((s, c) => s + c[0], 0) / cs.length, cs.reduce((s, c) => s + c[1], 0) / cs.length]
}

function extentOf(townships: TownshipRef[]): [number, number, number, number] | null {
  const boxes = townships.filter((t) => t.boundary).map((t) => bboxOf(t.boundary!))
  if (!boxes.length) return null
  return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))]
}

/** Kilometres from a point to a lon/lat box (0 inside); equirectangular is plenty at this scale. */
function kmOutside([x, y]: [number, number], [x0, y0, x1, y1]: [number, number, number, number]): number {
  const dx = Math.max(x0 - x, 0, x - x1) * 111.32 * Math.cos((y * Math.PI) / 180)
  const dy = Math.max(y0 - y, 0, y - y1) * 110.57
  return Math.hypot(dx, dy)
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505'
}

const round = (v: number) => Math.round(v * 100) / 100

// Calendar dates are China time (UTC+8, no DST).
function chinaDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}
function chinaDateTime(d: Date | string): string {
  const t = new Date(new Date(d).getTime() + 8 * 3600_000).toISOString()
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`
}


/**
 * The open steps of a patch just issued, as core's deadlines give them: written with the patch so
 * the dues index (逾期, the warnings) knows an undispatched patch too. Past the calendar's data: none
 * yet (the first transition says so and computes them).
 */
function firstDues(kind: PatchKind, category: string, issuedOn: string, receivedOn: string, overrides: unknown): Record<string, string> {
  try {
    const patch: PatchSnapshot = {
      id: '', number: '', townshipCode: '', kind, category, areaMu: 0, farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0,
      issuedOn, receivedOn, military: false, state: 'issued', flags: [], due: {},
      evidence: { photos: 0, flaggedPhotos: 0, locations: 0, documents: 0, fieldCheck: false },
    }
    return dueMap(deadlinesFor(patch, tenantPolicy(overrides)))
  } catch {
    return {}
  }
}
