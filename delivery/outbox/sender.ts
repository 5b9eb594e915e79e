import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, OutboxRow } from '../../db/schema.js'
import { describeError, errorCode } from '../../core/index.js'
import { failureKind, RetryableSendError, type Sender, type Outgoing } from '../channel.js'
import { platformKey } from '../keys.js'
import type { OutboxPayload } from './payload.js'

export interface SenderOptions {
  batchSize?: number
  leaseMs?: number // a claimed row is someone's until then; a crash mid-send frees it after the lease
  /** a transient failure gives a row up only after this many tries … */
  maxAttempts?: number
  /** … and only once it has been failing this long (a short outage never kills a card) */
  giveUpAfterMs?: number
  /** jitter source for the backoff, in [0, 1) (tests pass a seeded one) */
  random?: () => number
  /** who holds the leases this sender takes (a process's id; see reclaimOrphanedLeases) */
  holder?: string
  /** the deployment's id, put in front of every key sent to a platform (delivery/keys.ts) */
  deploymentId?: string
  /** a row given up: told in the same transaction that marks it dead (never silent) */
  onDead?: (trx: Transaction<Database>, row: OutboxRow, reason: string, now: Date) => Promise<void>
  log?: (line: string) => void
}

export type Materialise = (payload: OutboxPayload, row?: OutboxRow) => Promise<Outgoing>

/** Operational constants of the sender (not the county's rules). */
export const SENDER_DEFAULTS = {
  batchSize: 50,
  leaseMs: 60_000,
  maxAttempts: 20,
  giveUpAfterMs: 60 * 60_000,
  backoffBaseMs: 1_000,
  backoffCapMs: 30_000,
} as const

/**
 * Delivers due outbox rows. Only the oldest pending row of each chat can be claimed, so each chat
 * gets its messages in order, one in flight at a time; rows are claimed with SKIP LOCKED and a
 * lease, so two senders never send one row twice. Returns how many rows were sent.
 *
 * A failure is one of three kinds (delivery/channel.ts): a *wait* (rate limit) reschedules the row
 * at the platform's reset and does not count as an attempt; a *transient* one backs off
 * exponentially (capped at 30 s, with jitter) and gives up only after `maxAttempts` tries and
 * `giveUpAfterMs`; a *permanent* one is dead at once. A dead row goes to `onDead`.
 */
export async function deliverDue(
  db: Kysely<Database>,
  channels: ReadonlyMap<string, Sender>,
  materialise: Materialise,
  now: Date,
  options: SenderOptions = {},
): Promise<number> {
  const {
    batchSize = SENDER_DEFAULTS.batchSize, leaseMs = SENDER_DEFAULTS.leaseMs, maxAttempts = SENDER_DEFAULTS.maxAttempts,
    giveUpAfterMs = SENDER_DEFAULTS.giveUpAfterMs, random = Math.random, holder = null, deploymentId = '', log = () => {},
  } = options
  const ready = [...channels].filter(([, sender]) => sender.ready?.() ?? true).map(([platform]) => platform)
  const claimed = await claim(db, now, batchSize, leaseMs, ready, holder)
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
            idempotencyKey: platformKey(deploymentId, row),
            ...(row.reply_to ? { replyTo: row.reply_to } : {}),
            tenantId: row.tenant_id,
          })
        }
        await db
          .updateTable('outbox')
          .set({ status: 'sent', sent_id: sent.messageId, sent_at: now, last_error: sent.note ?? null, lease_holder: null })
          .where('id', '=', row.id)
          .execute()
        return 1
      } catch (error) {
        await recordFailure(db, row, error, now, { maxAttempts, giveUpAfterMs, random, log, onDead: options.onDead })
        return 0
      }
    }),
  )
  return results.reduce<number>((a, b) => a + b, 0)
}

async function recordFailure(
  db: Kysely<Database>,
  row: OutboxRow,
  error: unknown,
  now: Date,
  o: { maxAttempts: number; giveUpAfterMs: number; random: () => number; log: (line: string) => void; onDead: SenderOptions['onDead'] },
) {
  const kind = failureKind(error)
  const reason = describeError(error).slice(0, 2000)
  const code = errorCode(error)
  const failingFor = now.getTime() - new Date(row.created_at).getTime()
  const dead = kind === 'permanent' || (kind === 'transient' && row.attempts >= o.maxAttempts && failingFor >= o.giveUpAfterMs)
  if (dead) {
    o.log(`outbox ${row.id} → ${row.target}: gave up (${kind}): ${reason}`)
    await db.transaction().execute(async (trx) => {
      const marked = await trx
        .updateTable('outbox')
        .set({ status: 'dead', last_error: reason, last_error_code: code, lease_holder: null })
        .where('id', '=', row.id)
        .where('status', '=', 'pending')
        .executeTakeFirst()
      if (Number(marked.numUpdatedRows) === 1 && o.onDead) await o.onDead(trx, row, reason, now)
    })
    return
  }
  // a wait is the platform's schedule, not a failure: the claim's attempt is given back
  const waitMs = kind === 'wait' ? ((error as RetryableSendError).retryAfterMs ?? 1000) : backoffMs(row.attempts, o.random)
  o.log(`outbox ${row.id} → ${row.target}: ${kind === 'wait' ? `waits ${waitMs} ms` : `retries in ${waitMs} ms`}: ${reason}`)
  await db
    .updateTable('outbox')
    .set((eb) => ({
      last_error: reason,
      last_error_code: code,
      next_attempt_at: new Date(now.getTime() + waitMs),
      lease_holder: null,
      ...(kind === 'wait' ? { attempts: eb('attempts', '-', 1) } : {}),
    }))
    .where('id', '=', row.id)
    .where('status', '=', 'pending')
    .execute()
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
  await channel.update(row.target, original.sent_id, await materialise(payload, row), { tenantId: row.tenant_id })
  return { messageId: original.sent_id }
}

/**
 * Capped exponential backoff with "equal jitter": the n-th failed try waits between half and all of
 * min(30 s, 1 s × 2^(n-1)). Counted over transient failures only (waits give their attempt back).
 */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(SENDER_DEFAULTS.backoffBaseMs * 2 ** Math.max(0, attempts - 1), SENDER_DEFAULTS.backoffCapMs)
  return Math.round(ceiling / 2 + (ceiling / 2) * random())
}

async function claim(db: Kysely<Database>, now: Date, limit: number, leaseMs: number, platforms: string[], holder: string | null) {
  if (platforms.length === 0) return []
  const until = new Date(now.getTime() + leaseMs)
  const result = await sql<OutboxRow>`
    update outbox set attempts = attempts + 1, next_attempt_at = ${until}, lease_holder = ${holder}
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

/**
 * At start: rows another sender had claimed, whose holder is gone (a kill -9), are due again at
 * once instead of after their lease. A holder is gone when no connection of the database carries
 * its name (each process connects with application_name = its holder id; PGlite has one process).
 */
export async function reclaimOrphanedLeases(db: Kysely<Database>, holder: string, now: Date): Promise<number> {
  const result = await sql`
    update outbox set next_attempt_at = ${now}, lease_holder = null
    where status = 'pending' and lease_holder is not null and lease_holder <> ${holder}
      and next_attempt_at > ${now}
      and lease_holder not in (select coalesce(application_name, '') from pg_stat_activity)`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}
