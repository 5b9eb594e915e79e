import type { Kysely } from 'kysely'
import { json } from '../json.js'
import { describeError, errorCode } from '../../core/index.js'
import type { StoredInbound } from '../payloads.js'
import type { Database, Queryable } from '../schema.js'
import type { Inbound } from '../payloads.js'

type Stored = { id: number; duplicate: false } | { id: number; duplicate: true }

/**
 * Stores an inbound message before anything else happens. Returns its row id, or `duplicate` when
 * the platform delivered the same message (or event) again.
 */
export async function storeInbound(db: Kysely<Database>, message: Inbound): Promise<Stored> {
  return (await storeInbounds(db, [message]))[0]!
}

/**
 * Several messages in one INSERT (one round trip, one commit), answered in their order. A message
 * twice in the list is stored once: the later one is the duplicate.
 */
export async function storeInbounds(db: Kysely<Database>, messages: readonly Inbound[]): Promise<Stored[]> {
  const inserted = await db
    .insertInto('inbound_messages')
    .values(messages.map((message) => ({
      platform: message.platform,
      message_id: message.messageId,
      chat_id: message.chatId,
      sender_id: message.senderId,
      kind: message.kind,
      payload: json<StoredInbound>({ ...message, at: message.at.toISOString() }),
      received_at: message.at,
      status: 'received' as const,
    })))
    .onConflict((oc) => oc.columns(['platform', 'message_id']).doNothing())
    .returning(['id', 'platform', 'message_id'])
    .execute()
  const key = (platform: string, messageId: string) => `${platform}\u0000${messageId}`
  const fresh = new Map(inserted.map((r) => [key(r.platform, r.message_id), r.id]))
  const results: Array<Stored | undefined> = messages.map((m) => {
    const k = key(m.platform, m.messageId)
    const id = fresh.get(k)
    if (id === undefined) return undefined
    fresh.delete(k) // the first of a message given twice is the new one
    return { id, duplicate: false }
  })
  const missing = messages.filter((_, i) => results[i] === undefined)
  if (missing.length) {
    const existing = await db
      .selectFrom('inbound_messages')
      .select(['id', 'platform', 'message_id'])
      .where((eb) => eb.or(missing.map((m) => eb.and([eb('platform', '=', m.platform), eb('message_id', '=', m.messageId)]))))
      .execute()
    const ids = new Map(existing.map((r) => [key(r.platform, r.message_id), r.id]))
    messages.forEach((m, i) => {
      if (results[i]) return
      const id = ids.get(key(m.platform, m.messageId))
      if (id === undefined) throw new Error(`inbound ${m.platform}/${m.messageId}: neither stored nor found`)
      results[i] = { id, duplicate: true }
    })
  }
  return results as Stored[]
}

/**
 * The acknowledgement path's store: each message waits for no other, yet under load the messages
 * that arrive while earlier inserts are in flight go in together, one INSERT for the lot (at most
 * `maxInFlight` at a time, so the acknowledgements never hold every connection). Nothing is
 * delayed to form a batch. A batch that fails is retried message by message, so one bad message
 * fails alone.
 */
export function inboundStore(db: Kysely<Database>, options: { maxInFlight?: number; maxBatch?: number } = {}) {
  const { maxInFlight = 2, maxBatch = 200 } = options
  const queue: Array<{ message: Inbound; resolve: (s: Stored) => void; reject: (e: unknown) => void }> = []
  let inFlight = 0
  const pump = () => {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, maxBatch)
      inFlight++
      storeInbounds(db, batch.map((b) => b.message))
        .then(
          (stored) => batch.forEach((b, i) => b.resolve(stored[i]!)),
          (error) => {
            if (batch.length === 1) return batch[0]!.reject(error)
            for (const b of batch) storeInbound(db, b.message).then(b.resolve, b.reject)
          },
        )
        .finally(() => {
          inFlight--
          pump()
        })
    }
  }
  return (message: Inbound): Promise<Stored> =>
    new Promise((resolve, reject) => {
      queue.push({ message, resolve, reject })
      pump()
    })
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
