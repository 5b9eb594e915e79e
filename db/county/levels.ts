// A city (4503) or a province (45) as a tenant of its own: it has no townships or patches; its
// counties are the county tenants whose code starts with its code. Made by `admin invite --level`.
import { json } from '../json.js'
import type { Queryable, Tenant } from '../schema.js'
import { LEVEL_NAMES } from '../queries/regions.js'
import { CountyError } from './county.js'
import { DIVISION_SOURCE, regionDivision } from './divisions.js'

const DIGITS = { city: 4, province: 2 } as const

/** The city or province tenant, made from the division codes when missing (idempotent). */
export async function ensureRegion(db: Queryable, level: 'city' | 'province', code: string, now: Date): Promise<Tenant> {
  if (!new RegExp(`^\\d{${DIGITS[level]}}$`).test(code)) {
    throw new CountyError('county-code', `${LEVEL_NAMES[level]}代码应为 ${DIGITS[level]} 位数字，收到「${code}」`, level === 'city' ? '如百色市为 4510、桂林市为 4503' : '如广西壮族自治区为 45')
  }
  const division = regionDivision(level, code)
  if (!division) throw new CountyError('county-unknown', `${DIVISION_SOURCE}中没有${LEVEL_NAMES[level]}代码 ${code}`, '核对代码：市级 4 位、省级 2 位')
  const existing = await db.selectFrom('tenants').selectAll().where('code', '=', code).executeTakeFirst()
  if (existing) {
    if (existing.level !== level) throw new CountyError('county-code', `代码 ${code} 已是${LEVEL_NAMES[existing.level]}单位「${existing.name}」`, '核对 --level 与 --code')
    return existing
  }
  return db.insertInto('tenants').values({ code, name: division.name, level, policy_overrides: json({}), created_at: now }).returningAll().executeTakeFirstOrThrow()
}

