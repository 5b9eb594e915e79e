import { sql, type Kysely } from 'kysely'
import type { Database, OutboxRow } from '../../db/schema.js'
import { describeError, errorCode } from '../../core/index.js'
import { RetryableSendError, type Sender, type Outgoing } from '../channel.js'
import type { OutboxPayload } from './payload.js'

export interface SenderOptions {
  batchSize?: number
  leaseMs?: number // a claimed row is someone's until then; a crash mid-send frees it after the lease
  maxAttempts?: number
  log?: (line: string) => void
}

export type Materialise = (payload: OutboxPayload, row?: OutboxRow) => Promise<Outgoing>

/**
 * Delivers due outbox rows. Only the oldest pending row of each chat can be claimed, so each chat
 * gets its messages in order, one in flight at a time; rows are claimed with SKIP LOCKED and a
 * lease, so two senders never send one row twice. Returns how many rows were sent.
 */
export async function deliverDue(
  db: Kysely<Database>,
  channels: ReadonlyMap<string, Sender>,
  materialise: Materialise,
  now: Date,
  options: SenderOptions = {},
): Promise<number> {
  const { batchSize = 50, leaseMs = 60_000, maxAttempts = 12, log = () => {} } = options
  const ready = [...channels].filter(([, sender]) => sender.ready?.() ?? true).map(([platform]) => platform)
  const claimed = await claim(db, now, batchSize, leaseMs, ready)
  const results = await Promise.all(
    claimed.map(async (row) => {
      const channel = channels.get(row.platform)!
      try {
        const payload = row.payload as OutboxPayload
        let sent: { messageId: string | null; note?: string }
        if (payload.kind === 'update') {
          sent = await deliverUpdate(db, channel, row, payload, materialise)
        } else {
          const outgoing = await materialise(payload, row)
          sent = await channel.send(row.target, outgoing, {
            idempotencyKey: row.idempotency_key,
            ...(row.reply_to ? { replyTo: row.reply_to } : {}),
          })
        }
        await db
          .updateTable('outbox')
          .set({ status: 'sent', sent_id: sent.messageId, sent_at: now, last_error: sent.note ?? null })
          .where('id', '=', row.id)
          .execute()
        return 1
      } catch (error) {
        const retryable = error instanceof RetryableSendError
        const dead = !retryable || row.attempts >= maxAttempts
        const wait = retryable && error.retryAfterMs !== undefined ? error.retryAfterMs : backoffMs(row.attempts)
        log(`outbox ${row.id} → ${row.target}: ${dead ? 'gave up' : 'will retry'}: ${String(error)}`)
        await db
          .updateTable('outbox')
          .set({
            status: dead ? 'dead' : 'pending',
            last_error: describeError(error).slice(0, 2000),
            last_error_code: errorCode(error),
            next_attempt_at: new Date(now.getTime() + wait),
          })
          .where('id', '=', row.id)
          .execute()
        return 0
      }
    }),
  )
  return results.reduce<number>((a, b) => a + b, 0)
}

/**
 * A card update patches the message its original row became. The original is an older row of the
 * same chat, so the per-chat order has sent it before the update can be claimed; should it still be
 * pending (another chat, a lease), the update waits. An original that was never delivered, or a
 * channel that cannot update, leaves nothing to do: the update counts as done, with a note.
 */
async function deliverUpdate(
  db: Kysely<Database>,
  channel: Sender,
  row: OutboxRow,
  payload: Extract<OutboxPayload, { kind: 'update' }>,
  materialise: Materialise,
): Promise<{ messageId: string | null; note?: string }> {
  const original = await db
    .selectFrom('outbox')
    .select(['status', 'sent_id'])
    .where('idempotency_key', '=', payload.ofKey)
    .where('platform', '=', row.platform)
    .executeTakeFirst()
  if (original?.status === 'pending') throw new RetryableSendError(`the card to update (${payload.ofKey}) is not sent yet`, 5_000)
  if (!original?.sent_id) return { messageId: null, note: `nothing to update: ${payload.ofKey} was not delivered` }
  if (!channel.update) return { messageId: original.sent_id, note: `${row.platform} does not update messages` }
  await channel.update(row.target, original.sent_id, await materialise(payload, row))
  return { messageId: original.sent_id }
}

/** 1 s, 2 s, 4 s … capped at 10 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), 600_000)
}

async function claim(db: Kysely<Database>, now: Date, limit: number, leaseMs: number, platforms: string[]) {
  if (platforms.length === 0) return []
  const until = new Date(now.getTime() + leaseMs)
  const result = await sql<OutboxRow>`
    update outbox set attempts = attempts + 1, next_attempt_at = ${until}
    where id in (
      select o.id from outbox o
      where o.status = 'pending' and o.next_attempt_at <= ${now}
        and o.platform in (${sql.join(platforms)})
        and not exists (
          select 1 from outbox e
          where e.platform = o.platform and e.target = o.target and e.status = 'pending' and e.id < o.id)
      order by o.id
      limit ${limit}
      for update skip locked)
    returning *`.execute(db)
  return result.rows.sort((a, b) => a.id - b.id)
}
