// A city's or province's counties (no division data here: the worker imports this through the jobs).
import type { Queryable, Tenant, TenantLevel } from '../schema.js'

export const LEVEL_NAMES: Record<TenantLevel, string> = { county: '县级', city: '市级', province: '省级' }

/** The counties a city or province reads, in code order (a county tenant reads itself). */
export function countiesUnder(db: Queryable, region: Pick<Tenant, 'id' | 'code' | 'level'>) {
  let q = db.selectFrom('tenants').selectAll().where('level', '=', 'county').orderBy('code')
  q = region.level === 'county' ? q.where('id', '=', region.id) : q.where('code', 'like', `${region.code}%`)
  return q.execute()
}
