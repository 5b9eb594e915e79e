// Issue 10, defect 8: a tick that found the scheduler's lock busy (or whose run failed) must look
// again the same day — the job's own cron time does not come back until tomorrow, when a digest is
// only recorded superseded. node-cron is replaced by a fake fired on the fake clock's minutes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import pg from 'pg'
import { loadDemoCounty } from '../../db/demo/load-demo-county.js'
import { createScheduler, type CronLike } from '../../jobs/scheduler.js'
import { LOCK_KEY } from '../../jobs/tick.js'
import { FakeClock } from '../support/console-harness.js'
import { engines, openPostgres, postgresReachable, type TestDatabase } from '../support/databases.js'
import { databaseUrl } from '../support/postgres-admin.js'
import { china, jobMessages } from './walk.js'

/** node-cron's part the scheduler uses; `fire` runs the tasks due at a China-time minute, awaited. */
function fakeCron() {
  const tasks: Array<{ expression: string; run: () => unknown; live: boolean }> = []
  const cron: CronLike = {
    schedule(expression, run) {
      const task = { expression, run, live: true }
      tasks.push(task)
      return { destroy: () => (task.live = false) }
    },
  }
  const matches = (field: string, value: number) => field === '*' || Number(field) === value
  async function fire(at: Date) {
    const china = new Date(at.getTime() + 8 * 3_600_000)
    for (const t of tasks.filter((x) => x.live)) {
      const [minute, hour] = t.expression.split(/\s+/)
      if (matches(minute!, china.getUTCMinutes()) && matches(hour!, china.getUTCHours())) await t.run()
    }
  }
  return { cron, fire }
}

const digestRun = (db: TestDatabase['db'], period: string) =>
  db.selectFrom('job_runs').select(['period', 'note', 'started_at']).where('job', '=', 'digest').where('period', '=', period).executeTakeFirst()

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`a failed run is tried again the same day (${engine.name})`, () => {
    let t: TestDatabase
    beforeAll(async () => {
      t = await engine.open()
      await loadDemoCounty(t.db, { now: china('2026-03-02', '07:00') })
    })
    afterAll(async () => t?.close())

    it('a digest whose run failed at 08:00 goes out at the next minute, not superseded tomorrow', async () => {
      const clock = new FakeClock(china('2026-03-02', '07:00'))
      const { cron, fire } = fakeCron()
      let crash = true
      const s = createScheduler({
        db: t.db, now: clock.now, cron,
        afterSend: (job) => {
          if (job === 'digest' && crash) {
            crash = false
            throw new Error('injected: the process lost its database mid-run')
          }
        },
      })
      await s.start()
      clock.set(china('2026-03-02', '08:00').toISOString())
      await fire(clock.now())
      expect(await digestRun(t.db, '2026-03-02')).toBeUndefined() // rolled back
      clock.set(china('2026-03-02', '08:01').toISOString())
      await fire(clock.now())
      const run = await digestRun(t.db, '2026-03-02')
      expect(run?.note).not.toMatch(/skipped/)
      expect(new Date(run!.started_at).toISOString()).toBe(china('2026-03-02', '08:01').toISOString())
      expect((await jobMessages(t.db, 'digest', '2026-03-02', 'console:leader')).length).toBe(1)
      // settled: the minute's recheck does nothing more
      clock.set(china('2026-03-02', '08:02').toISOString())
      const before = await t.db.selectFrom('job_runs').select('id').execute()
      await fire(clock.now())
      expect((await t.db.selectFrom('job_runs').select('id').execute()).length).toBe(before.length)
      await s.stop()
    })
  })
}

describe.skipIf(!(await postgresReachable()))('the advisory lock held by an instance that dies mid-run (PostgreSQL)', () => {
  let t: TestDatabase
  let other: pg.Client
  beforeAll(async () => {
    t = await openPostgres()
    await loadDemoCounty(t.db, { now: china('2026-03-02', '07:00') })
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(t.db)
    other = new pg.Client({ connectionString: databaseUrl(rows[0]!.name) })
    other.on('error', () => {}) // it is terminated on purpose
    await other.connect()
  })
  afterAll(async () => {
    await other?.end().catch(() => {})
    await t?.close()
  })

  it('the instance that found the lock busy at 08:00 runs the digest once the holder is gone', async () => {
    const clock = new FakeClock(china('2026-03-02', '07:00'))
    const { cron, fire } = fakeCron()
    const s = createScheduler({ db: t.db, now: clock.now, cron, lock: 'advisory' })
    await s.start()

    // the first instance: lock taken, its digest run begun and not committed
    await other.query('select pg_advisory_lock($1)', [LOCK_KEY])
    await other.query('begin')
    const tenant = await t.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()
    await other.query(`insert into job_runs (tenant_id, job, period, started_at) values ($1, 'digest', '2026-03-02', now())`, [tenant.id])
    const { rows } = await other.query<{ pid: number }>('select pg_backend_pid() as pid')

    clock.set(china('2026-03-02', '08:00').toISOString())
    await fire(clock.now())
    expect(await digestRun(t.db, '2026-03-02')).toBeUndefined()

    // it dies: its session ends, the lock is free, its run rolled back
    await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(t.db)
    for (;;) {
      const held = await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = ${LOCK_KEY}`.execute(t.db)
      if (held.rows[0]!.n === 0) break
    }

    clock.set(china('2026-03-02', '08:01').toISOString())
    await fire(clock.now())
    const run = await digestRun(t.db, '2026-03-02')
    expect(run?.note).not.toMatch(/skipped/)
    expect((await jobMessages(t.db, 'digest', '2026-03-02', 'console:leader')).length).toBe(1)

    // the next morning: yesterday's was sent, today's runs; nothing superseded
    clock.set(china('2026-03-03', '08:00').toISOString())
    await fire(clock.now())
    const notes = await t.db.selectFrom('job_runs').select(['period', 'note']).where('job', '=', 'digest').orderBy('period').execute()
    expect(notes.map((n) => [n.period, n.note?.startsWith('skipped') ?? false])).toEqual([
      ['2026-03-02', false],
      ['2026-03-03', false],
    ])
    await s.stop()
  })
})
