import { Hono } from 'hono'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import type { Receiver } from '../delivery/channel.js'

export interface HealthDeps {
  db: Kysely<Database>
  now: () => Date
  receivers: readonly Receiver[]
  /** how long the database may take to answer before it counts as unreachable */
  dbTimeoutMs?: number
}

/**
 * `/healthz`: ready (200) only when the database answers and every receiver that holds a
 * connection is up; 503 otherwise, with what is wrong. `/metrics`: Prometheus text format.
 */
export function healthRoutes(deps: HealthDeps): Hono {
  const app = new Hono()
  app.get('/healthz', async (c) => {
    const database = await reachable(deps.db, deps.dbTimeoutMs ?? 2_000)
    const channels = deps.receivers.map((r, i) => ({ platform: r.platform, receiver: i, state: r.state?.() ?? 'up' }))
    const ok = database.ok && channels.every((ch) => ch.state === 'up')
    return c.json({ ok, database, channels }, ok ? 200 : 503)
  })
  app.get('/metrics', async (c) => {
    try {
      return c.text(await metricsText(deps.db, deps.now()), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
    } catch (error) {
      return c.text(`# database unreachable: ${String(error).replace(/\n/g, ' ')}\n`, 503)
    }
  })
  return app
}

async function reachable(db: Kysely<Database>, timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      sql`select 1`.execute(db),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
    ])
    return { ok: true }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  } finally {
    clearTimeout(timer)
  }
}

const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')

export async function metricsText(db: Kysely<Database>, now: Date): Promise<string> {
  const inbound = await db.selectFrom('inbound_messages').select(['status', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('status').execute()
  const outbox = await db
    .selectFrom('outbox')
    .select(['platform', 'status', (eb) => eb.fn.countAll<string>().as('n'), (eb) => eb.fn.min('created_at').as('oldest')])
    .where('status', 'in', ['pending', 'dead'])
    .groupBy(['platform', 'status'])
    .execute()
  const jobs = await db
    .selectFrom('job_runs')
    .select([
      'job',
      sql<string>`case when finished_at is null then 'unfinished' when note like 'skipped: %' then substr(note, 10) else 'ran' end`.as('outcome'),
      (eb) => eb.fn.countAll<string>().as('n'),
    ])
    .groupBy(['job', sql`2`])
    .execute()
  const byStatus = new Map(inbound.map((r) => [r.status, Number(r.n)]))
  const lines = [
    '# HELP weipian_inbound_messages Inbound messages stored, by status (received = not handled yet).',
    '# TYPE weipian_inbound_messages gauge',
    ...(['received', 'handled', 'failed'] as const).map((s) => `weipian_inbound_messages{status="${s}"} ${byStatus.get(s) ?? 0}`),
    '# HELP weipian_inbound_messages_total Inbound messages ever stored.',
    '# TYPE weipian_inbound_messages_total counter',
    `weipian_inbound_messages_total ${[...byStatus.values()].reduce((a, b) => a + b, 0)}`,
    '# HELP weipian_outbox_messages Outbox rows not sent, by platform and status (pending, dead).',
    '# TYPE weipian_outbox_messages gauge',
    ...outbox.map((r) => `weipian_outbox_messages{platform="${label(r.platform)}",status="${r.status}"} ${Number(r.n)}`),
    '# HELP weipian_outbox_oldest_pending_seconds Age of the oldest pending outbox row, by platform.',
    '# TYPE weipian_outbox_oldest_pending_seconds gauge',
    ...outbox
      .filter((r) => r.status === 'pending' && r.oldest)
      .map((r) => `weipian_outbox_oldest_pending_seconds{platform="${label(r.platform)}"} ${Math.max(0, (now.getTime() - new Date(r.oldest as Date).getTime()) / 1000)}`),
    '# HELP weipian_job_runs Scheduled job periods recorded, by job and outcome (ran, stale, superseded, unfinished).',
    '# TYPE weipian_job_runs gauge',
    ...jobs.map((r) => `weipian_job_runs{job="${label(r.job)}",outcome="${label(r.outcome)}"} ${Number(r.n)}`),
  ]
  return `${lines.join('\n')}\n`
}
