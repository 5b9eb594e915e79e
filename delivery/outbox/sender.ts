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
  /** what this process saw of each platform, across calls: a platform's recovery ends the backoffs it caused */
  health?: PlatformHealth
  /** how many of a chat's oldest rows one claim takes, sent one after the other */
  perChat?: number
  /** the time as it goes on during a call (a chat's rows go out over a second or so); `now` when absent */
  clock?: () => Date
  log?: (line: string) => void
}

/**
 * Per platform, across `deliverDue` calls: the rows this process backed off after a transient
 * failure, and the chats that failed since the platform's last success. Failures in two or more
 * chats with no success between them are the platform's outage, not one row's trouble; the next
 * success is its recovery, and the rows backed off meanwhile are due at once instead of waiting out
 * backoffs of up to 30 s (a chat's oldest row blocks the chat, so a long backoff left from the outage
 * would hold a whole chat after the platform is back). One row failing alone keeps its backoff.
 */
export class PlatformHealth {
  readonly #failing = new Map<string, Set<string>>() // platform → chats that failed since its last success
  readonly #backingOff = new Map<string, Set<number>>() // platform → ids of rows this process backed off

  /** a row claimed: it is in flight, not backing off */
  claimed(row: Pick<OutboxRow, 'id' | 'platform'>) {
    this.#backingOff.get(row.platform)?.delete(row.id)
  }

  failed(row: Pick<OutboxRow, 'id' | 'platform' | 'target'>) {
    let chats = this.#failing.get(row.platform)
    if (!chats) this.#failing.set(row.platform, (chats = new Set()))
    chats.add(row.target)
    let ids = this.#backingOff.get(row.platform)
    if (!ids) this.#backingOff.set(row.platform, (ids = new Set()))
    ids.add(row.id)
  }

  /** A success: the ids to make due now when it ends an outage, else none. */
  succeeded(platform: string): number[] {
    const outage = (this.#failing.get(platform)?.size ?? 0) >= 2
    this.#failing.delete(platform)
    if (!outage) return []
    const ids = [...(this.#backingOff.get(platform) ?? [])]
    this.#backingOff.delete(platform)
    return ids
  }
}

export type Materialise = (payload: OutboxPayload, row?: OutboxRow) => Promise<Outgoing>

/** Operational constants of the sender (not the county's rules). */
export const SENDER_DEFAULTS = {
  batchSize: 50,
  perChat: 5, // policy choice: a second's worth at Feishu's 5 messages/s per chat, so a chat's next rows need no claim of their own
  leaseMs: 60_000,
  maxAttempts: 20,
  giveUpAfterMs: 60 * 60_000,
  backoffBaseMs: 1_000,
  backoffCapMs: 30_000,
} as const

/**
 * Delivers due outbox rows. A claim takes the oldest pending rows of each chat (up to `perChat`, all
 * due), and each chat's rows are sent one after the other, so each chat gets its messages in order,
 * one in flight at a time, and chats go side by side; rows are claimed with a lease, so two senders
 * never send one row twice. Returns how many rows were sent.
 *
 * A failure is one of three kinds (delivery/channel.ts): a *wait* (rate limit) reschedules the row
 * at the platform's reset and does not count as an attempt; a *transient* one backs off
 * exponentially (capped at 30 s, with jitter) and gives up only after `maxAttempts` tries and
 * `giveUpAfterMs`; a *permanent* one is dead at once. A dead row goes to `onDead`. The chat's rows
 * claimed after a failed one are handed back untried.
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
    perChat = SENDER_DEFAULTS.perChat,
  } = options
  const clock = options.clock ?? (() => now)
  const ready = [...channels].filter(([, sender]) => sender.ready?.() ?? true).map(([platform]) => platform)
  const claimed = await claim(db, now, batchSize, perChat, leaseMs, ready, holder)
  const health = options.health
  for (const row of claimed) health?.claimed(row)
  const chats = new Map<string, OutboxRow[]>()
  for (const row of claimed) {
    const key = `${row.platform}\u0000${row.target}`
    chats.set(key, [...(chats.get(key) ?? []), row])
  }

  /** One row; true when sent. */
  async function deliverOne(row: OutboxRow, at: Date): Promise<boolean> {
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
        .set({ status: 'sent', sent_id: sent.messageId, sent_at: at, last_error: sent.note ?? null, lease_holder: null })
        .where('id', '=', row.id)
        .execute()
      const recovered = health?.succeeded(row.platform) ?? []
      if (recovered.length) await endBackoffs(db, recovered, at, log)
      return true
    } catch (error) {
      const kind = await recordFailure(db, row, error, at, { maxAttempts, giveUpAfterMs, random, log, onDead: options.onDead })
      if (kind === 'transient') health?.failed(row)
      return false
    }
  }

  const results = await Promise.all(
    [...chats.values()].map(async (rows) => {
      let sent = 0
      for (let i = 0; i < rows.length; i++) {
        if (await deliverOne(rows[i]!, i === 0 ? now : clock())) {
          sent++
          continue
        }
        await handBack(db, rows.slice(i + 1).map((r) => r.id), i === 0 ? now : clock())
        break
      }
      return sent
    }),
  )
  return results.reduce<number>((a, b) => a + b, 0)
}

/** Rows claimed but not tried (an older row of their chat failed): due again, the claim's attempt given back. */
async function handBack(db: Kysely<Database>, ids: number[], now: Date) {
  if (ids.length === 0) return
  await db
    .updateTable('outbox')
    .set((eb) => ({ attempts: eb('attempts', '-', 1), next_attempt_at: now, lease_holder: null }))
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .execute()
}

async function recordFailure(
  db: Kysely<Database>,
  row: OutboxRow,
  error: unknown,
  now: Date,
  o: { maxAttempts: number; giveUpAfterMs: number; random: () => number; log: (line: string) => void; onDead: SenderOptions['onDead'] },
): Promise<'wait' | 'transient' | 'dead'> {
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
    return 'dead'
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
  return kind === 'wait' ? 'wait' : 'transient'
}

/** The platform is back: rows backed off during its outage are due now (not those someone has claimed since). */
async function endBackoffs(db: Kysely<Database>, ids: number[], now: Date, log: (line: string) => void) {
  const result = await db
    .updateTable('outbox')
    .set({ next_attempt_at: now })
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .where('lease_holder', 'is', null)
    .where('next_attempt_at', '>', now)
    .executeTakeFirst()
  const n = Number(result.numUpdatedRows)
  if (n) log(`outbox: the platform answers again: ${n} rows backing off are due now`)
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

/**
 * Up to `perChat` of each chat's oldest pending rows, when they and every older pending row of the
 * chat are due (the oldest of at most `limit` chats, then each chat's next rows by the chat's index);
 * only the oldest when it failed last time (a rate limit, an outage: it is likely to fail again). Two senders may pick the same rows: the UPDATE re-checks each row once it has its
 * lock, so the second gets none of the rows the first took. A chat's rows are kept only from its
 * oldest on without a gap (a limit or another sender may have cut the run); the rest are handed back.
 */
async function claim(db: Kysely<Database>, now: Date, limit: number, perChat: number, leaseMs: number, platforms: string[], holder: string | null) {
  if (platforms.length === 0) return []
  const until = new Date(now.getTime() + leaseMs)
  const result = await sql<OutboxRow & { rn: string | number }>`
    with heads as (
      select o.platform, o.target, o.id, o.last_error from outbox o
      where o.status = 'pending' and o.next_attempt_at <= ${now}
        and o.platform in (${sql.join(platforms)})
        and not exists (
          select 1 from outbox e
          where e.platform = o.platform and e.target = o.target and e.status = 'pending' and e.id < o.id)
      order by o.id
      limit ${limit}),
    q as (
      -- each chat's run from its oldest row, as long as the rows are due (an index range scan per chat)
      select r.id, r.rn from heads h cross join lateral (
        select x.id, row_number() over w as rn, bool_and(x.next_attempt_at <= ${now}) over w as due
        from outbox x
        where x.platform = h.platform and x.target = h.target and x.status = 'pending' and x.id >= h.id
        window w as (order by x.id)
        order by x.id
        -- a chat whose oldest row failed last time tries that row alone: no rows claimed to be handed back
        limit case when h.last_error is null then ${perChat}::int else 1 end) r
      where r.due),
    u as (
      update outbox set attempts = attempts + 1, next_attempt_at = ${until}, lease_holder = ${holder}
      where id in (select id from q) and status = 'pending' and next_attempt_at <= ${now}
      returning *)
    select u.*, q.rn from u join q on q.id = u.id
    order by u.id`.execute(db)
  const kept: OutboxRow[] = []
  const cut: number[] = []
  const expected = new Map<string, number>() // chat → the rank its next row must have
  for (const { rn, ...row } of result.rows) {
    const key = `${row.platform}\u0000${row.target}`
    const want = expected.get(key) ?? 1
    if (Number(rn) === want) {
      kept.push(row)
      expected.set(key, want + 1)
    } else {
      cut.push(row.id)
      expected.set(key, Infinity)
    }
  }
  await handBack(db, cut, now)
  return kept
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
