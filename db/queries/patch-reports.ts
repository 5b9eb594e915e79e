// What the chat's read commands (查, 统计, 逾期, 待审核) read: each a query, the handler decides what to say.
import { sql } from 'kysely'
import type { Queryable } from '../schema.js'

/** The last `limit` steps of a patch, newest first. */
export function recentEvents(db: Queryable, patchId: number, limit = 4) {
  return db.selectFrom('patch_events').select(['type', 'at']).where('patch_id', '=', patchId).orderBy('seq', 'desc').limit(limit).execute()
}

/** Reports and rectifications waiting for the office, oldest first. */
export function reviewQueue(db: Queryable, tenantId: number, limit = 20) {
  return db
    .selectFrom('patches')
    .leftJoin('townships', 'townships.id', 'patches.township_id')
    .select(['patches.number', 'patches.state', 'townships.name as township'])
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
