// `layer recompute --tenant CODE [--batch LABEL]`: a patch keeps the overlap figures it was imported
// with when a layer is replaced; this recomputes them against the current layers, on request, with
// a line per patch. Each change is an event in the patch's chain (before, after, layer versions).
import type { MultiPolygon, Polygon } from 'geojson'
import { layerName } from '../../core/layer-kinds.js'
import { PROTECTION_LAYERS, ProtectionIndex, type LayerOverlap, type ProtectionArea, type ProtectionLayer } from '../../core/overlay.js'
import { stateLabel, type PatchState } from '../../core/index.js'
import { appendEvent } from '../events.js'
import type { Db } from '../open.js'
import { ImportError } from './types.js'

// policy choice: once judged, a patch's figures are those its judgment and flags were made with;
// only patches not yet judged are recomputed
const RECOMPUTED_STATES: readonly PatchState[] = ['issued', 'dispatched', 'reported']
// policy choice: differences below 0.0001 亩 (0.07 m²) are float noise, not a change
const SAME_MU = 1e-4

export type RecomputeOutcome = 'changed' | 'unchanged' | 'kept-judged' | 'no-geometry'

export interface RecomputeRow {
  number: string
  state: PatchState
  outcome: RecomputeOutcome
  before: LayerOverlap
  after: LayerOverlap | null
}

export interface RecomputeReport {
  tenant: { code: string; name: string }
  batch: string | null
  layers: Array<{ layer: ProtectionLayer; name: string; version: number | null; importedAt: Date | null }>
  counts: Record<RecomputeOutcome, number> & { patches: number }
  rows: RecomputeRow[]
  message: string
}

export interface RecomputeOptions {
  tenantCode: string
  batchLabel?: string
  now: Date
  actor?: string
}

export async function recomputeOverlay(db: Db, opts: RecomputeOptions): Promise<RecomputeReport> {
  const tenant = await db.selectFrom('tenants').select(['id', 'code', 'name']).where('code', '=', opts.tenantCode).executeTakeFirst()
  if (!tenant) throw new ImportError('tenant-unknown', `没有代码为 ${opts.tenantCode} 的县`, '检查 --tenant，或先运行 npm run cli -- county add <6位县级代码>')
  let batchId: number | null = null
  if (opts.batchLabel !== undefined) {
    const batches = await db.selectFrom('batches').select(['id', 'label']).where('tenant_id', '=', tenant.id).orderBy('id').execute()
    const batch = batches.find((b) => b.label === opts.batchLabel)
    if (!batch) {
      throw new ImportError('batch-unknown', `${tenant.name}没有名为“${opts.batchLabel}”的批次`,
        batches.length ? `--batch 用已导入的批次名之一：${batches.map((b) => b.label ?? b.id).join('、')}；不加 --batch 则重算全县` : '该县还没有导入图斑批次')
    }
    batchId = batch.id
  }
  const current = await db.selectFrom('layers').select(['kind', 'version', 'imported_at'])
    .where('tenant_id', '=', tenant.id).where('replaced_at', 'is', null).where('kind', 'in', PROTECTION_LAYERS).execute()
  const layers = PROTECTION_LAYERS.map((layer) => {
    const c = current.find((l) => l.kind === layer)
    return { layer, name: layerName(layer), version: c?.version ?? null, importedAt: c ? new Date(c.imported_at) : null }
  })
  const areas = await db.selectFrom('protection_areas').select(['layer', 'geometry']).where('tenant_id', '=', tenant.id).where('layer', 'in', PROTECTION_LAYERS).execute()
  if (areas.length === 0) {
    throw new ImportError('layer-missing', `${tenant.name}还没有导入耕地、永久基本农田或生态保护红线图层，无从重算`,
      `先导入图层：npm run cli -- layer import 文件 --tenant ${tenant.code} --kind 耕地（或 永久基本农田、生态保护红线）`)
  }
  const index = new ProtectionIndex(areas as ProtectionArea[])

  let q = db.selectFrom('patches')
    .select(['id', 'number', 'state', 'geometry', 'farmland_mu', 'basic_farmland_mu', 'red_line_mu'])
    .where('tenant_id', '=', tenant.id)
  if (batchId !== null) q = q.where('batch_id', '=', batchId)
  const patches = await q.orderBy('number').execute()

  const rows: RecomputeRow[] = []
  const versions = Object.fromEntries(layers.map((l) => [l.layer, l.version]))
  for (const p of patches) {
    const before: LayerOverlap = { farmland: p.farmland_mu, basic_farmland: p.basic_farmland_mu, red_line: p.red_line_mu }
    const row: RecomputeRow = { number: p.number, state: p.state, outcome: 'unchanged', before, after: null }
    rows.push(row)
    if (!RECOMPUTED_STATES.includes(p.state)) {
      row.outcome = 'kept-judged'
      continue
    }
    if (!p.geometry) {
      row.outcome = 'no-geometry'
      continue
    }
    const after = index.overlapByLayer(p.geometry as Polygon | MultiPolygon)
    row.after = after
    if (PROTECTION_LAYERS.every((l) => Math.abs(after[l] - before[l]) < SAME_MU)) continue
    row.outcome = 'changed'
    await db.transaction().execute(async (trx) => {
      // the state may have moved on since the read: a patch judged meanwhile keeps its figures
      const still = await trx.selectFrom('patches').select('state').where('id', '=', p.id).forUpdate().executeTakeFirstOrThrow()
      if (!RECOMPUTED_STATES.includes(still.state)) {
        row.outcome = 'kept-judged'
        row.state = still.state
        return
      }
      await trx.updateTable('patches')
        .set((eb) => ({ farmland_mu: after.farmland, basic_farmland_mu: after.basic_farmland, red_line_mu: after.red_line, version: eb('version', '+', 1), updated_at: opts.now }))
        .where('id', '=', p.id).execute()
      await appendEvent(trx, { patchId: p.id, type: 'overlay_recomputed', at: opts.now, actor: opts.actor ?? 'cli', data: { before, after, layerVersions: versions } })
    })
  }
  const counts = { patches: rows.length, changed: 0, unchanged: 0, 'kept-judged': 0, 'no-geometry': 0 }
  for (const r of rows) counts[r.outcome]++
  const scope = opts.batchLabel !== undefined ? `批次“${opts.batchLabel}”` : '全县'
  const message = rows.length === 0
    ? `${tenant.name}${scope}没有图斑，未做更改`
    : `${tenant.name}${scope} ${counts.patches} 个图斑：重算后变化 ${counts.changed} 个，不变 ${counts.unchanged} 个` +
      (counts['kept-judged'] ? `，已判定保留原面积 ${counts['kept-judged']} 个` : '') +
      (counts['no-geometry'] ? `，无图形 ${counts['no-geometry']} 个` : '')
  return { tenant: { code: tenant.code, name: tenant.name }, batch: opts.batchLabel ?? null, layers, counts, rows, message }
}

const mu = (v: number) => `${Math.round(v * 100) / 100}`

/** The report as the CLI prints it: a summary, the layer versions used, a line per patch that is not unchanged. */
export function formatRecompute(r: RecomputeReport): string {
  const lines = [`✓ ${r.message}`]
  lines.push(`  所用图层：${r.layers.map((l) => (l.version === null ? `${l.name}（未导入，按 0 计）` : `${l.name}第 ${l.version} 版`)).join('，')}`)
  for (const row of r.rows) {
    if (row.outcome === 'changed' && row.after) {
      const after = row.after
      const diffs = PROTECTION_LAYERS.filter((l) => Math.abs(after[l] - row.before[l]) >= SAME_MU).map((l) => `${layerName(l)} ${mu(row.before[l])} → ${mu(after[l])} 亩`)
      lines.push(`  ${row.number}：${diffs.join('，')}`)
    } else if (row.outcome === 'kept-judged') {
      lines.push(`  ${row.number}：${stateLabel(row.state)}，保留原面积（判定所依据的面积不再改动）`)
    } else if (row.outcome === 'no-geometry') {
      lines.push(`  ${row.number}：没有图形，无法叠加，保留导入时的面积`)
    }
  }
  if (r.counts.changed) lines.push('  已推送的卡片不会改写；用“查 图斑编号”可看到新面积。')
  return lines.join('\n')
}
