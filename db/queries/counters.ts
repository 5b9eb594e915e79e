// The counters and dues that migration 0014's triggers keep: what 统计, 逾期, the digest, the warnings
// and the bulletin read instead of scanning a tenant's patches.
import { sql } from 'kysely'
import type { CounterFacts } from '../../core/index.js'
import type { Queryable } from '../schema.js'

export interface CounterQuery {
  townshipId?: number
  /** issue months in [fromMonth, toMonth] (YYYY-MM) */
  fromMonth?: string
  toMonth?: string
  /**
   * Sum the months together in the database (a row per tenant and facts; per township too with
   * `byTownship`): a few dozen rows for a county whatever its size. Without it: every stored row.
   */
  fold?: 'months' | 'townships'
}

const FACTS = ['state', 'kind', 'military', 'judgment_kind', 'land_use', 'measure', 'rect_complete', 'city_required', 'city_flag', 'city_passed', 'has_remedied'] as const
const SUMS = ['n', 'farmland_units', 'basic_units', 'general_units', 'area_units', 'deduct_demolished_units', 'deduct_permitted_units', 'demolished_area_units', 'permitted_area_units', 'left_area_units'] as const

/** A tenant's counters (or several tenants'), as core's CounterFacts. */
export async function countersOf(db: Queryable, tenantIds: number | readonly number[], query: CounterQuery | number = {}): Promise<Array<CounterFacts & { tenantId: number }>> {
  const q0 = typeof query === 'number' ? { townshipId: query } : query
  const ids = typeof tenantIds === 'number' ? [tenantIds] : [...tenantIds]
  if (ids.length === 0) return []
  const township = q0.fold === 'townships' ? sql<number>`0` : sql<number>`township_id`
  let q = db
    .selectFrom('patch_counters')
    .select([
      'tenant_id', township.as('township_id'), sql<string>`max(issued_month)`.as('issued_month'), ...FACTS,
      ...SUMS.map((c) => sql<string>`sum(${sql.ref(c)})`.as(c)),
    ])
    .where('tenant_id', 'in', ids)
    .groupBy(['tenant_id', ...FACTS])
  q = q0.fold === 'townships' ? q : q.groupBy('township_id')
  if (!q0.fold) q = q.groupBy('issued_month')
  if (q0.townshipId !== undefined) q = q.where('township_id', '=', q0.townshipId)
  if (q0.fromMonth) q = q.where('issued_month', '>=', q0.fromMonth)
  if (q0.toMonth) q = q.where('issued_month', '<=', q0.toMonth)
  const rows = await q.having(sql`sum(n)`, '<>', 0).execute()
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    townshipId: Number(r.township_id),
    issuedMonth: r.issued_month,
    state: r.state as CounterFacts['state'],
    kind: r.kind as CounterFacts['kind'],
    military: r.military,
    judgmentKind: r.judgment_kind as CounterFacts['judgmentKind'],
    landUse: r.land_use,
    measure: r.measure,
    rectComplete: r.rect_complete,
    cityRequired: r.city_required as CounterFacts['cityRequired'],
    cityFlag: r.city_flag,
    cityPassed: r.city_passed,
    hasRemedied: r.has_remedied,
    n: Number(r.n),
    farmlandUnits: Number(r.farmland_units),
    basicUnits: Number(r.basic_units),
    generalUnits: Number(r.general_units),
    areaUnits: Number(r.area_units),
    deductDemolishedUnits: Number(r.deduct_demolished_units),
    deductPermittedUnits: Number(r.deduct_permitted_units),
    demolishedAreaUnits: Number(r.demolished_area_units),
    permittedAreaUnits: Number(r.permitted_area_units),
    leftAreaUnits: Number(r.left_area_units),
  }))
}

export interface DueFilter {
  townshipId?: number
  /** leave military land out (a township group never sees it) */
  civilOnly?: boolean
}

/** Open steps due before `before` (exclusive), counted: an index range. */
export async function countDuesBefore(db: Queryable, tenantId: number, before: string, f: DueFilter = {}): Promise<number> {
  let q = db.selectFrom('patch_dues').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', tenantId).where('due', '<', before)
  if (f.townshipId !== undefined) q = q.where('township_id', '=', f.townshipId)
  if (f.civilOnly) q = q.where('military', '=', false)
  return (await q.executeTakeFirstOrThrow()).n
}

/** The oldest open steps due before `before`, with their patch numbers (limit rows). */
export function oldestDuesBefore(db: Queryable, tenantId: number, before: string, limit: number, f: DueFilter = {}) {
  let q = db
    .selectFrom('patch_dues')
    .innerJoin('patches', 'patches.id', 'patch_dues.patch_id')
    .select(['patches.number', 'patch_dues.due', 'patch_dues.step', 'patch_dues.military'])
    .where('patch_dues.tenant_id', '=', tenantId)
    .where('patch_dues.due', '<', before)
  if (f.townshipId !== undefined) q = q.where('patch_dues.township_id', '=', f.townshipId)
  if (f.civilOnly) q = q.where('patch_dues.military', '=', false)
  return q.orderBy('patch_dues.due').orderBy('patches.number').limit(limit).execute()
}

/** Open steps per township due in [from, to] (inclusive): the digest's overdue and due-this-week counts. */
export function duesByTownship(db: Queryable, tenantIds: readonly number[], from: string | null, to: string, civilOnly = false) {
  if (tenantIds.length === 0) return Promise.resolve([])
  let q = db
    .selectFrom('patch_dues')
    .select(['tenant_id', 'township_id', sql<number>`count(*)::int`.as('n')])
    .where('tenant_id', 'in', [...tenantIds])
    .where('due', '<=', to)
    .groupBy(['tenant_id', 'township_id'])
  if (from !== null) q = q.where('due', '>=', from)
  if (civilOnly) q = q.where('military', '=', false)
  return q.execute()
}

/** Ids of a tenant's patches with an open step due on or before `to` (before, when exclusive): the only patches the warnings read. */
export async function patchIdsDueBy(db: Queryable, tenantId: number, to: string, exclusive = false): Promise<number[]> {
  const rows = await db.selectFrom('patch_dues').select('patch_id').distinct().where('tenant_id', '=', tenantId).where('due', exclusive ? '<' : '<=', to).execute()
  return rows.map((r) => r.patch_id)
}
