// What the chat's read commands (查, 统计, 逾期, 待审核) read: each a query, the handler decides what to say.
import { sql } from 'kysely'
import type { Queryable } from '../schema.js'

/** The last `limit` steps of a patch, newest first. */
export function recentEvents(db: Queryable, patchId: number, limit = 4) {
  return db.selectFrom('patch_events').select(['type', 'at']).where('patch_id', '=', patchId).orderBy('seq', 'desc').limit(limit).execute()
}

/** Patches by state in a tenant, or in one of its townships; military land apart (it is counted on its own). */
export function stateCounts(db: Queryable, tenantId: number, townshipId?: number) {
  let q = db.selectFrom('patches').select(['state', sql<number>`count(*)::int`.as('n')]).where('tenant_id', '=', tenantId).where('military', '=', false).groupBy('state')
  if (townshipId !== undefined) q = q.where('township_id', '=', townshipId)
  return q.execute()
}

/** How many military-land patches a tenant has: the only figure of them a chat hears (001:61). */
export async function militaryCount(db: Queryable, tenantId: number): Promise<number> {
  const row = await db.selectFrom('patches').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', tenantId).where('military', '=', true).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Open steps past their due date (`today`, a China date), oldest first; the comparison runs in the database. */
export function overdueSteps(db: Queryable, tenantId: number, today: string, townshipId?: number) {
  let q = db
    .selectFrom(sql<{ number: string; township_id: number | null; military: boolean; due: string }>`(
      select p.number, p.township_id, p.military, d.value as due
      from patches p cross join lateral jsonb_each_text(p.due) d
      where p.tenant_id = ${tenantId} and d.value < ${today})`.as('o'))
    .select(['o.number', 'o.military', 'o.due'])
  if (townshipId !== undefined) q = q.where('o.township_id', '=', townshipId)
  return q.orderBy('o.due').orderBy('o.number').execute()
}

/** Reports and rectifications waiting for the office, oldest first. */
export function reviewQueue(db: Queryable, tenantId: number, limit = 20) {
  return db
    .selectFrom('patches')
    .leftJoin('townships', 'townships.id', 'patches.township_id')
    .select(['patches.number', 'patches.state', 'patches.military', 'townships.name as township'])
    .where('patches.tenant_id', '=', tenantId)
    .where('patches.state', 'in', ['reported', 'rectified'])
    .orderBy('patches.updated_at')
    .limit(limit)
    .execute()
}

/** How many wait for the office: the partial index of migration 0014, counted. */
export async function reviewQueueSize(db: Queryable, tenantId: number): Promise<number> {
  const row = await db
    .selectFrom('patches')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('tenant_id', '=', tenantId)
    .where('state', 'in', ['reported', 'rectified'])
    .executeTakeFirstOrThrow()
  return row.n
}
