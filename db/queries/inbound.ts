import type { Kysely } from 'kysely'
import { json } from '../json.js'
import { describeError, errorCode } from '../../core/index.js'
import type { StoredInbound } from '../payloads.js'
import type { Database, Queryable } from '../schema.js'
import type { Inbound } from '../payloads.js'

/**
 * Stores an inbound message before anything else happens. Returns its row id, or `duplicate` when
 * the platform delivered the same message (or event) again.
 */
export async function storeInbound(
  db: Kysely<Database>,
  message: Inbound,
): Promise<{ id: number; duplicate: false } | { id: number; duplicate: true }> {
  const inserted = await db
    .insertInto('inbound_messages')
    .values({
      platform: message.platform,
      message_id: message.messageId,
      chat_id: message.chatId,
      sender_id: message.senderId,
      kind: message.kind,
      payload: json<StoredInbound>({ ...message, at: message.at.toISOString() }),
      received_at: message.at,
      status: 'received',
    })
    .onConflict((oc) => oc.columns(['platform', 'message_id']).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (inserted) return { id: inserted.id, duplicate: false }
  const existing = await db
    .selectFrom('inbound_messages')
    .select('id')
    .where('platform', '=', message.platform)
    .where('message_id', '=', message.messageId)
    .executeTakeFirstOrThrow()
  return { id: existing.id, duplicate: true }
}

/** The stored message, as the channel gave it (dates revived). */
function inboundFromPayload(payload: StoredInbound): Inbound {
  return { ...payload, at: new Date(payload.at) }
}

export async function markFailed(db: Kysely<Database>, id: number, error: unknown) {
  await db
    .updateTable('inbound_messages')
    .set((eb) => ({ status: 'failed', error: describeError(error).slice(0, 4000), error_code: errorCode(error), attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('status', '!=', 'handled')
    .execute()
}

/** Messages stored but not handled (a crash, a failure): what `replay` picks up. */
export async function unhandledInbound(db: Kysely<Database>, options: { before: Date; maxAttempts: number; limit?: number; afterId?: number }) {
  const { before, maxAttempts, limit = 100, afterId = 0 } = options
  return db
    .selectFrom('inbound_messages')
    .select(['id', 'platform', 'chat_id as chatId', 'attempts'])
    .where('status', '!=', 'handled')
    .where('received_at', '<=', before)
    .where('attempts', '<', maxAttempts)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute()
}

/** A stored message: its payload as the channel gave it, and whether it is handled. */
export async function storedInbound(db: Queryable, id: number) {
  const row = await db.selectFrom('inbound_messages').select(['payload', 'status']).where('id', '=', id).executeTakeFirstOrThrow()
  return { inbound: inboundFromPayload(row.payload), handled: row.status === 'handled' }
}

/** Locks the message for its handling; true when it was handled meanwhile (by a replay, another instance). */
export async function lockInbound(trx: Queryable, id: number): Promise<boolean> {
  const locked = await trx.selectFrom('inbound_messages').select('status').where('id', '=', id).forUpdate().executeTakeFirstOrThrow()
  return locked.status === 'handled'
}

/** The "handled" mark, in the transaction that wrote what the message caused. */
export async function markHandled(trx: Queryable, id: number, at: Date) {
  await trx
    .updateTable('inbound_messages')
    .set((eb) => ({ status: 'handled', handled_at: at, error: null, error_code: null, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute()
}
