// Helpers for walking a tenant through days with a fake clock.
import { chinaDate } from '../../core/index.js'
import type { Db } from '../../db/open.js'
import type { OutboxPayload } from '../../delivery/outbox/payload.js'
import type { Scheduler } from '../../jobs/scheduler.js'
import type { FakeClock } from '../support/console-harness.js'

/** China wall-clock time → instant. */
export const china = (date: string, time = '09:00') => new Date(`${date}T${time}:00+08:00`)

export function* days(from: string, to: string): Generator<string> {
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
    yield d.toISOString().slice(0, 10)
  }
}

/** Ticks at a few times of each day, as node-cron and restarts would. */
export async function walk(
  clock: FakeClock,
  scheduler: Scheduler,
  from: string,
  to: string,
  each?: (date: string, time: string) => Promise<void>,
  times = ['07:00', '12:00', '20:00'],
) {
  for (const date of days(from, to)) {
    for (const time of times) {
      clock.set(china(date, time).toISOString())
      await scheduler.tick()
      await each?.(date, time)
    }
  }
}

/** What ran: job → periods, and the China day each ran on (skips excluded). */
export async function ranRuns(db: Db) {
  const rows = await db.selectFrom('job_runs').select(['job', 'period', 'started_at', 'note']).orderBy('id').execute()
  const out = new Map<string, Array<{ period: string; day: string; note: string | null }>>()
  for (const r of rows) {
    if (r.note?.startsWith('skipped')) continue
    out.set(r.job, [...(out.get(r.job) ?? []), { period: r.period, day: chinaDate(new Date(r.started_at)), note: r.note }])
  }
  return out
}

/** Outbox rows a job wrote for a period (any target), with their payloads. */
export async function jobMessages(db: Db, job: string, period: string, target?: string) {
  let q = db.selectFrom('outbox').select(['target', 'kind', 'payload', 'idempotency_key']).where('idempotency_key', 'like', `job:%:${job}:${period}:%`)
  if (target) q = q.where('target', '=', target)
  const rows = await q.orderBy('id').execute()
  return rows.map((r) => ({ ...r, payload: r.payload as unknown as OutboxPayload, text: textOf(r.payload as unknown as OutboxPayload) }))
}

export function textOf(p: OutboxPayload): string {
  if (p.kind === 'text') return p.text
  if (p.kind === 'card') return JSON.stringify(p.card)
  return JSON.stringify(p)
}
