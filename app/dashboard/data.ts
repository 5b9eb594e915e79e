// What the staff dashboard shows, as JSON: the figures come from the functions that answer `统计` and
// `逾期` in the chat (townshipFacts, countyAccountability, stateCounts, overdueSteps), the patch page from the 卷宗's own reading
// (loadDossier) and core's patchSummary — the browser only draws and filters, it decides nothing.
import type * as GeoJSON from 'geojson'
import { ALL_STATES, FLAG_LABELS, chinaDate, countyAccountability, eventLabel, patchSummary, stateLabel, townshipFacts, type PatchState } from '../../core/index.js'
import { loadDossier } from '../../db/queries/dossier.js'
import { overdueSteps, stateCounts } from '../../db/queries/patch-reports.js'
import { loadTenant } from '../../db/queries/tenant-patches.js'
import { tenantPolicy } from '../../db/queries/tenant-policy.js'
import type { Queryable } from '../../db/schema.js'
import { photoFacts, type PhotoSheetRow } from '../../render/dossier/photo-sheet.js'
import { chinaTime } from '../../render/dossier/situation-docx.js'
import { tenantByCode } from '../../render/filling-table.js'

export interface TownshipLine {
  id: number
  code: string
  name: string
  total: number
  byState: Partial<Record<PatchState, number>>
  illegalMu: number
  totalMu: number
  ratio: number
  triggered: boolean
  overdue: number
}

export interface DashboardSummary {
  tenant: { code: string; name: string }
  today: string
  states: Array<{ state: PatchState; label: string }>
  categories: string[]
  batches: string[]
  line: { county: { minMu: number; minRatio: number }; township: { minMu: number; minRatio: number } }
  county: Omit<TownshipLine, 'id' | 'code'>
  townships: TownshipLine[]
}

export interface PatchProperties {
  id: number
  number: string
  state: PatchState
  stateLabel: string
  township: string
  category: string
  areaMu: number
  farmlandMu: number
  overdue: boolean
  key: boolean
  military: boolean
  /** the centroid, for the dot that marks a patch too small to see at county scale */
  lon: number | null
  lat: number | null
}

export interface PatchPage {
  id: number
  number: string
  tenant: string
  township: string | null
  batch: string | null
  category: string
  issuedOn: string
  facts: Array<[string, string]>
  summary: ReturnType<typeof patchSummary>
  events: Array<{ seq: number; at: string; label: string; who: string }>
  photos: Array<PhotoSheetRow & { id: number; url: string }>
  documents: Array<{ id: number; title: string; state: string; url: string }>
  chain: { events: number; ok: boolean; problems: string[] }
  mapUrl: string
  dossierUrl: string
}

const mu = (n: number) => `${Math.round(n * 100) / 100}亩`

/** The patches `逾期` lists (open steps past due today), by number, with their townships. */
async function overduePatches(db: Queryable, tenantId: number, today: string): Promise<Map<string, number | null>> {
  return new Map((await overdueSteps(db, tenantId, today)).map((o) => [o.number, o.township_id]))
}

export async function dashboardSummary(db: Queryable, tenantCode: string, now: Date): Promise<DashboardSummary> {
  const tenant = await tenantByCode(db, tenantCode)
  const policy = tenantPolicy(tenant.policy_overrides)
  const today = chinaDate(now)
  const townships = await db.selectFrom('townships').select(['id', 'code', 'name']).where('tenant_id', '=', tenant.id).orderBy('code').execute()
  const overdue = [...(await overduePatches(db, tenant.id, today)).values()]
  // the 问责 figures of `统计`: core's townshipFacts and countyAccountability over the accountability year
  const { patches } = await loadTenant(db, tenant.id)
  const line = async (township?: { id: number; code: string; name: string }) => {
    const byState: TownshipLine['byState'] = {}
    let total = 0
    for (const r of await stateCounts(db, tenant.id, township?.id)) {
      byState[r.state as PatchState] = r.n
      total += r.n
    }
    const a = township ? townshipFacts(township, patches, today, policy).accountability : countyAccountability(patches, today, policy)
    return {
      total, byState, illegalMu: a.illegalMu, totalMu: a.totalMu, ratio: a.ratio, triggered: a.triggered,
      overdue: township === undefined ? overdue.length : overdue.filter((t) => t === township.id).length,
    }
  }
  const categories = await db.selectFrom('patches').select('category').distinct().where('tenant_id', '=', tenant.id).orderBy('category').execute()
  const batches = await db.selectFrom('batches').select('label').where('tenant_id', '=', tenant.id).orderBy('id').execute()
  const lines: TownshipLine[] = []
  for (const t of townships) lines.push({ id: t.id, code: t.code, name: t.name, ...(await line(t)) })
  return {
    tenant: { code: tenant.code, name: tenant.name },
    today,
    states: ALL_STATES.map((state) => ({ state, label: stateLabel(state) })),
    categories: categories.map((c) => c.category),
    batches: batches.map((b) => b.label),
    line: { county: policy.accountability.county, township: policy.accountability.township },
    county: { name: tenant.name, ...(await line()) },
    townships: lines,
  }
}

const round6 = (ring: number[][]) => ring.map(([x, y]) => [Math.round(x! * 1e6) / 1e6, Math.round(y! * 1e6) / 1e6])
function lean(g: GeoJSON.Polygon | GeoJSON.MultiPolygon): GeoJSON.Polygon | GeoJSON.MultiPolygon {
  return g.type === 'Polygon' ? { type: 'Polygon', coordinates: g.coordinates.map(round6) } : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(round6)) }
}

/** Every patch with a geometry, its state and whether it is overdue (as `逾期` says) or a key patch. */
export async function patchFeatures(db: Queryable, tenantCode: string, now: Date): Promise<GeoJSON.FeatureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon, PatchProperties>> {
  const tenant = await tenantByCode(db, tenantCode)
  const overdue = await overduePatches(db, tenant.id, chinaDate(now))
  const rows = await db
    .selectFrom('patches')
    .leftJoin('townships', 'townships.id', 'patches.township_id')
    .select(['patches.id', 'patches.number', 'patches.state', 'patches.category', 'patches.area_mu', 'patches.farmland_mu', 'patches.flags', 'patches.military', 'patches.geometry', 'patches.centroid_lon', 'patches.centroid_lat', 'townships.name as township'])
    .where('patches.tenant_id', '=', tenant.id)
    .where('patches.geometry', 'is not', null)
    .orderBy('patches.number')
    .execute()
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => ({
      type: 'Feature',
      id: r.id,
      geometry: lean(r.geometry!),
      properties: {
        id: r.id, number: r.number, state: r.state, stateLabel: stateLabel(r.state), township: r.township ?? '未定乡镇', category: r.category,
        areaMu: Math.round(r.area_mu * 100) / 100, farmlandMu: Math.round(r.farmland_mu * 100) / 100,
        overdue: overdue.has(r.number), key: r.flags.includes('key_patch'), military: r.military, lon: r.centroid_lon, lat: r.centroid_lat,
      },
    })),
  }
}

export async function townshipFeatures(db: Queryable, tenantCode: string): Promise<GeoJSON.FeatureCollection> {
  const tenant = await tenantByCode(db, tenantCode)
  const rows = await db.selectFrom('townships').select(['id', 'code', 'name', 'boundary']).where('tenant_id', '=', tenant.id).where('boundary', 'is not', null).execute()
  return { type: 'FeatureCollection', features: rows.map((r) => ({ type: 'Feature', id: r.id, geometry: lean(r.boundary!), properties: { code: r.code, name: r.name } })) }
}

export async function patchPage(db: Queryable, patchId: number, now: Date): Promise<PatchPage | undefined> {
  const d = await loadDossier(db, patchId)
  if (!d) return undefined
  const p = d.patch
  const policy = tenantPolicy(d.tenant.policy_overrides)
  const photos = []
  for (const [i, e] of d.evidence.filter((x) => x.kind === 'photo').entries()) {
    photos.push({ id: e.id, url: `/api/dashboard/evidence/${e.id}/photo`, ...(await photoFacts(e, `照片${i + 1}`)) })
  }
  return {
    id: p.id,
    number: p.number,
    tenant: d.tenant.code,
    township: d.township?.name ?? null,
    batch: d.batch?.label ?? null,
    category: p.category,
    issuedOn: p.issued_on,
    facts: [
      ['所属乡镇', d.township?.name ?? '未定'], ['监测批次', d.batch?.label ?? '—'], ['下发日期', p.issued_on], ['图斑类型', p.category],
      ['监测面积', mu(p.area_mu)], ['耕地', mu(p.farmland_mu)], ['永久基本农田', mu(p.basic_farmland_mu)], ['生态保护红线', mu(p.red_line_mu)],
      ['中心点', p.centroid_lon !== null && p.centroid_lat !== null ? `${p.centroid_lon.toFixed(6)}°E，${p.centroid_lat.toFixed(6)}°N` : '—'],
      ['标识', p.flags.map((f) => FLAG_LABELS[f] ?? f).join('、') || '—'],
    ],
    summary: patchSummary(d.snapshot, policy, chinaDate(now)),
    events: d.events.map((e) => ({ seq: e.seq, at: chinaTime(e.at), label: eventLabel(e.type), who: e.who })),
    photos,
    documents: d.documents.map((x) => ({ id: x.id, title: x.title, state: x.state, url: `/api/dashboard/documents/${x.id}/file` })),
    chain: { events: d.chain.events, ok: d.chain.breaks.length === 0, problems: d.chain.breaks.map((b) => `第${b.seq}条：${b.problem}`) },
    mapUrl: `/api/dashboard/patches/${p.id}/map.png`,
    dossierUrl: `/api/exports/${encodeURIComponent(d.tenant.code)}/dossier/${encodeURIComponent(p.number)}`,
  }
}
