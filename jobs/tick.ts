// tick(now): which periods of which jobs are due for each tenant at `now`, including those missed
// while the process was down, each run through the ledger. Whatever wakes it — node-cron in the Node
// process (jobs/scheduler.ts), a cron trigger on the worker, a test's fake clock walking months in
// milliseconds — runs the same tick, and the ledger keeps a period to one run across all of them.
// No cron library here: the worker imports this file.
import { sql, type Kysely } from 'kysely'
import { addCalendarDays, chinaDate, type Policy } from '../core/index.js'
import { tenantPolicy } from '../db/queries/tenant-policy.js'
import type { Database, Tenant } from '../db/schema.js'
import { runOnce } from './ledger.js'
import { makeSend, type JobRun } from './run-context.js'
import { SCHEDULE, minuteOfDay, type JobSpec, type Occurrence } from './schedule.js'

export interface SchedulerOptions {
  db: Kysely<Database>
  now: () => Date
  schedule?: readonly JobSpec[]
  log?: (line: string) => void
  /** PostgreSQL only: one instance ticks at a time (saves work; the ledger alone guarantees once) */
  lock?: 'advisory' | 'none'
  /** how far back a start-up looks for missed periods */
  lookbackDays?: number
  /** test hook, called after each batch of outbox rows a job writes: throw to simulate a crash */
  afterSend?: (job: string, period: string) => void | Promise<void>
  /** after runs committed: the sender may deliver now */
  onCommitted?: () => void
  /**
   * How many tenants one job works on at once (each tenant's run is a transaction of its own): a large
   * county holds one slot while the others go on. PostgreSQL: a few (the pool's connections); PGlite: 1.
   */
  concurrency?: number
}

export type Outcome = 'ran' | 'stale' | 'superseded' | 'failed'

export interface TickResult {
  tenantId: number
  job: string
  period: string
  outcome: Outcome
  note?: string | null
}

const HOUR = 3_600_000
/** arbitrary, fixed: the scheduler's advisory lock */
export const LOCK_KEY = 450_329_001
/** operational, not the county's: how long an unsettled tick waits before it is tried again */
export const RECHECK_AFTER_MS = 60_000

/** Runs `work` over `items`, at most `limit` at a time; results in the items' order. */
export async function pooled<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await work(items[i]!)
    }
  })
  await Promise.all(lanes)
  return out
}

/** Minutes since midnight in China time. */
const chinaMinutes = (now: Date) => Math.floor(((now.getTime() + 8 * HOUR) % (24 * HOUR)) / 60_000)
/** The instant of `minutes` past midnight of a China date. */
const instantOf = (date: string, minutes: number) => new Date(Date.parse(`${date}T00:00:00Z`) - 8 * HOUR + minutes * 60_000)

export function createTicker(options: SchedulerOptions) {
  const { db, schedule = SCHEDULE, log = () => {}, lookbackDays = 40 } = options
  let chain: Promise<unknown> = Promise.resolve()
  /**
   * A tick that found the lock busy, or a run that failed, leaves work that may not be done: the
   * holder may die mid-run (its run rolls back) and the job's own time does not come again today.
   * `recheck` (every minute) then ticks again until a tick has run clean.
   */
  let unsettled: Date | undefined

  async function tickTenant(tenant: Tenant, policy: Policy, now: Date, only?: string): Promise<TickResult[]> {
    const today = chinaDate(now)
    const minutes = chinaMinutes(now)
    // nothing is missed before the scheduler first ran for the tenant
    const first = await db
      .selectFrom('job_runs')
      .select((eb) => eb.fn.min('started_at').as('at'))
      .where('tenant_id', '=', tenant.id)
      .executeTakeFirst()
    const since = first?.at ? chinaDate(new Date(first.at)) : today
    const back = addCalendarDays(today, -lookbackDays)
    const from = since > back ? since : back
    const results: TickResult[] = []
    for (const spec of schedule) {
      if (only && spec.job !== only) continue
      // a city or province has no patches: it runs its roll-up, a county everything else
      if (Boolean(spec.region) !== (tenant.level !== 'county')) continue
      try {
        // the county's own time of day when its policy gives one
        const own = policy.jobTimes[spec.job]
        const at = own ? Number(own.slice(0, 2)) * 60 + Number(own.slice(3)) : minuteOfDay(spec.cron)
        const due = spec.occurrences(from, today, policy).filter((o) => o.date < today || minutes >= at)
        if (due.length === 0) continue
        const done = new Set(
          (
            await db
              .selectFrom('job_runs')
              .select('period')
              .where('tenant_id', '=', tenant.id)
              .where('job', '=', spec.job)
              .where('period', 'in', due.map((o) => o.period))
              .execute()
          ).map((r) => r.period),
        )
        const newest = due[due.length - 1]!
        for (const o of due) {
          if (done.has(o.period)) continue
          const result = await runPeriod(tenant, policy, spec, o, o !== newest, now, at)
          if (result) results.push(result)
        }
      } catch (error) {
        log(`任务 ${spec.job}（${tenant.name}）失败：${String(error)}`)
        results.push({ tenantId: tenant.id, job: spec.job, period: '', outcome: 'failed', note: String(error) })
      }
    }
    return results
  }

  /** One period through the ledger: skipped (recorded, nothing sent), run, or failed (rolled back). */
  async function runPeriod(
    tenant: Tenant, policy: Policy, spec: JobSpec, o: Occurrence, older: boolean, now: Date, at: number,
  ): Promise<TickResult | undefined> {
    const today = chinaDate(now)
    const key = { tenantId: tenant.id, job: spec.job, period: o.period, now }
    const base = { tenantId: tenant.id, job: spec.job, period: o.period }
    try {
      const skip: Outcome | undefined = today > spec.catchUpUntil(o, policy) ? 'stale' : spec.latestOnly && older ? 'superseded' : undefined
      if (skip) {
        const r = await runOnce(db, key, async () => `skipped: ${skip}`)
        return r.ran ? { ...base, outcome: skip } : undefined
      }
      const r = await runOnce(db, key, (trx) => {
        const run: Omit<JobRun, 'send'> = {
          trx, tenant, policy, job: spec.job, period: o.period, date: o.date, today, now,
          late: o.date < today, since: previousInstant(spec, o, policy, at),
        }
        return spec.work({ ...run, send: makeSend(run, options.afterSend) })
      })
      if (!r.ran) return undefined
      log(`任务 ${spec.job} ${o.period}（${tenant.name}）：${r.note ?? '完成'}`)
      return { ...base, outcome: 'ran', note: r.note }
    } catch (error) {
      // the period's row rolled back with its effects; the next tick runs it again
      log(`任务 ${spec.job} ${o.period}（${tenant.name}）失败：${String(error)}`)
      return { ...base, outcome: 'failed', note: String(error) }
    }
  }

  function previousInstant(spec: JobSpec, o: Occurrence, policy: Policy, at: number): Date {
    const before = spec.occurrences(addCalendarDays(o.date, -lookbackDays), addCalendarDays(o.date, -1), policy)
    const prev = before[before.length - 1]
    return prev ? instantOf(prev.date, at) : instantOf(addCalendarDays(o.date, -1), at)
  }

  async function tickAll(now: Date, only?: string): Promise<TickResult[]> {
    const tenants: Array<{ tenant: Tenant; policy: Policy }> = []
    for (const tenant of await db.selectFrom('tenants').selectAll().orderBy('id').execute()) {
      try {
        tenants.push({ tenant, policy: tenantPolicy(tenant.policy_overrides) })
      } catch (error) {
        log(`${tenant.name}的政策参数有误，跳过定时任务：${String(error)}`)
      }
    }
    const results: TickResult[] = []
    // job by job, so every county's digest goes before any county's warnings; within a job the
    // tenants go through a bounded pool, each run its own transaction
    for (const spec of schedule) {
      if (only && spec.job !== only) continue
      results.push(...(await pooled(tenants, options.concurrency ?? 1, ({ tenant, policy }) => tickTenant(tenant, policy, now, spec.job))).flat())
    }
    if (results.some((r) => r.outcome === 'ran')) options.onCommitted?.()
    return results
  }

  async function lockedTick(now: Date, only?: string): Promise<TickResult[]> {
    const settle = (results: TickResult[]) => {
      if (results.some((r) => r.outcome === 'failed')) unsettled ??= now
      return results
    }
    if (options.lock !== 'advisory') return settle(await tickAll(now, only))
    return db.connection().execute(async (conn) => {
      const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${LOCK_KEY}) as ok`.execute(conn)
      if (!got.rows[0]?.ok) {
        // another instance is ticking: its ledger rows cover us unless it dies mid-run, so look again
        unsettled ??= now
        return []
      }
      try {
        return settle(await tickAll(now, only))
      } finally {
        await sql`select pg_advisory_unlock(${LOCK_KEY})`.execute(conn)
      }
    })
  }

  /** Runs what is due at `now` (default: the clock); ticks of one scheduler never overlap. */
  function tick(now: Date = options.now(), only?: string): Promise<TickResult[]> {
    const next = chain.then(() => lockedTick(now, only))
    chain = next.catch(() => {
      unsettled ??= now // the tick itself failed (database unreachable): look again
    })
    return next
  }

  /**
   * Ticks every job again if an earlier tick was left unsettled (lock busy, a run failed); nothing
   * otherwise. The ledger decides what is still to do, so a period done meanwhile is not redone.
   */
  function recheck(now: Date = options.now()): Promise<TickResult[]> {
    if (!unsettled || now.getTime() - unsettled.getTime() < RECHECK_AFTER_MS) return Promise.resolve([])
    unsettled = undefined
    return tick(now)
  }

  /** resolves once every tick asked for so far has finished */
  const idle = () => chain.then(() => undefined)
  return { tick, recheck, idle }
}

export type Ticker = ReturnType<typeof createTicker>
