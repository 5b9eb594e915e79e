// What a city or province view reads: its counties, and their counters summed per county in the
// database (townships and months folded), for one year.
import { sql } from 'kysely'
import type { CounterFacts } from '../../core/index.js'
import { countiesUnder } from './regions.js'
import type { Queryable, Tenant } from '../schema.js'

export async function rollupInputs(db: Queryable, region: Pick<Tenant, 'id' | 'code' | 'level'>, year: string | undefined) {
  const counties = await countiesUnder(db, region)
  const ids = counties.map((c) => c.id)
  if (ids.length === 0) return { counties, counters: new Map<number, CounterFacts[]>() }
  let q = db
    .selectFrom('patch_counters')
    .select([
      'tenant_id', 'state', 'kind', 'military', 'judgment_kind', 'land_use', 'measure', 'rect_complete', 'city_required', 'city_flag', 'city_passed', 'has_remedied',
      sql<string>`sum(n)`.as('n'), sql<string>`sum(farmland_units)`.as('farmland_units'), sql<string>`sum(basic_units)`.as('basic_units'), sql<string>`sum(general_units)`.as('general_units'),
      sql<string>`sum(area_units)`.as('area_units'), sql<string>`sum(deduct_demolished_units)`.as('dd'), sql<string>`sum(deduct_permitted_units)`.as('dp'),
    ])
    .where('tenant_id', 'in', ids)
    .groupBy(['tenant_id', 'state', 'kind', 'military', 'judgment_kind', 'land_use', 'measure', 'rect_complete', 'city_required', 'city_flag', 'city_passed', 'has_remedied'])
  if (year) q = q.where('issued_month', 'like', `${year}-%`)
  const counters = new Map<number, CounterFacts[]>()
  for (const r of await q.execute()) {
    const list = counters.get(r.tenant_id) ?? []
    list.push({
      townshipId: 0, issuedMonth: year ? `${year}-01` : '', state: r.state as CounterFacts['state'], kind: r.kind as CounterFacts['kind'], military: r.military,
      judgmentKind: r.judgment_kind as CounterFacts['judgmentKind'], landUse: r.land_use, measure: r.measure, rectComplete: r.rect_complete,
      cityRequired: r.city_required as CounterFacts['cityRequired'], cityFlag: r.city_flag, cityPassed: r.city_passed,
      hasRemedied: r.has_remedied, n: Number(r.n), farmlandUnits: Number(r.farmland_units), basicUnits: Number(r.basic_units), generalUnits: Number(r.general_units),
      areaUnits: Number(r.area_units), deductDemolishedUnits: Number(r.dd), deductPermittedUnits: Number(r.dp), demolishedAreaUnits: 0, permittedAreaUnits: 0, leftAreaUnits: 0,
    })
    counters.set(r.tenant_id, list)
  }
  return { counties, counters }
}

/** Open steps past due per county (before `today`). */
export async function overdueByCounty(db: Queryable, countyIds: readonly number[], today: string): Promise<Map<number, number>> {
  if (countyIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('patch_dues')
    .select(['tenant_id', sql<number>`count(*)::int`.as('n')])
    .where('tenant_id', 'in', [...countyIds])
    .where('due', '<', today)
    .groupBy('tenant_id')
    .execute()
  return new Map(rows.map((r) => [r.tenant_id, r.n]))
}
