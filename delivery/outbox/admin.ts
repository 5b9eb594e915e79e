import type { Kysely } from 'kysely'
import type { Database, OutboxStatus } from '../../db/schema.js'

export interface OutboxListing {
  id: number
  status: OutboxStatus
  platform: string
  target: string
  chatName: string | null
  kind: string
  patchNumber: string | null
  attempts: number
  lastError: string | null
  createdAt: Date
}

/** What the outbox holds that is not sent: pending and dead rows (or only the dead). */
export async function listOutbox(db: Kysely<Database>, options: { dead?: boolean; limit?: number } = {}): Promise<OutboxListing[]> {
  const rows = await db
    .selectFrom('outbox')
    .leftJoin('patches', 'patches.id', 'outbox.patch_id')
    .leftJoin('chats', (j) => j.onRef('chats.platform', '=', 'outbox.platform').onRef('chats.platform_chat_id', '=', 'outbox.target'))
    .select([
      'outbox.id', 'outbox.status', 'outbox.platform', 'outbox.target', 'chats.name as chatName', 'outbox.kind',
      'patches.number as patchNumber', 'outbox.attempts', 'outbox.last_error as lastError', 'outbox.created_at as createdAt',
    ])
    .where('outbox.status', options.dead ? '=' : '!=', options.dead ? 'dead' : 'sent')
    .orderBy('outbox.id')
    .limit(options.limit ?? 500)
    .execute()
  return rows
}

/**
 * Re-queues dead rows (all, or the ids given): pending again, due now, attempts from zero. A patch
 * card re-queued lets the dispatcher push its patch again (the key is the same, so the row is this one).
 */
export async function requeueDead(db: Kysely<Database>, ids: number[] | 'all', now: Date): Promise<number> {
  let q = db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, lease_holder: null })
    .where('status', '=', 'dead')
  if (ids !== 'all') {
    if (ids.length === 0) return 0
    q = q.where('id', 'in', ids)
  }
  const result = await q.executeTakeFirst()
  return Number(result.numUpdatedRows)
}
