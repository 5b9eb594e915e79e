import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { loadDemoCounty } from '../../db/demo/load-demo-county.js'
import type { Database } from '../../db/schema.js'
import { createScheduler, type TickResult } from '../../jobs/scheduler.js'
import { FakeClock } from '../support/console-harness.js'
import { engines, openPostgres, postgresReachable, type TestDatabase } from '../support/databases.js'
import { china, days, jobMessages } from './walk.js'

const jobKeys = async (db: Kysely<Database>, job: string) =>
  (await db.selectFrom('outbox').select('idempotency_key').where('idempotency_key', 'like', `job:%:${job}:%`).execute()).length
const runsOf = async (db: Kysely<Database>, job: string) =>
  db.selectFrom('job_runs').select(['period', 'note']).where('job', '=', job).orderBy('id').execute()

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`the ledger (${engine.name})`, () => {
    let t: TestDatabase
    beforeAll(async () => {
      t = await engine.open()
      await loadDemoCounty(t.db, { now: china('2026-03-02', '07:00') })
    })
    afterAll(async () => t?.close())

    it('rolls back a crash mid-run (after some outbox rows) and reruns the period once', async () => {
      const armed = new Set(['bulletin'])
      const crash = (job: string) => {
        if (armed.delete(job)) throw new Error(`injected crash in ${job}`)
      }
      const clock = new FakeClock(china('2026-03-02', '12:00'))
      const s = createScheduler({ db: t.db, now: clock.now, afterSend: crash })

      let r = await s.tick()
      expect(r.find((x) => x.job === 'bulletin')!.outcome).toBe('failed')
      expect(r.find((x) => x.job === 'digest')!.outcome).toBe('ran')
      expect(await runsOf(t.db, 'bulletin')).toEqual([])
      expect(await jobKeys(t.db, 'bulletin')).toBe(0)
      expect(await t.db.selectFrom('documents').selectAll().execute()).toEqual([])

      // ten days later: the failed bulletin is caught up; warnings crash after their first message
      armed.add('warnings')
      clock.set(china('2026-03-12', '12:00').toISOString())
      r = await s.tick()
      expect(r.filter((x) => x.job === 'bulletin').map((x) => [x.period, x.outcome])).toEqual([['2026-02', 'ran']])
      expect(r.find((x) => x.job === 'warnings' && x.period === '2026-03-12')!.outcome).toBe('failed')
      expect((await runsOf(t.db, 'warnings')).map((x) => x.period)).not.toContain('2026-03-12')
      expect((await jobMessages(t.db, 'warnings', '2026-03-12')).length).toBe(0)

      clock.set(china('2026-03-12', '12:05').toISOString())
      r = await s.tick()
      expect(r.map((x) => [x.job, x.period, x.outcome])).toEqual([['warnings', '2026-03-12', 'ran']])
      const sent = (await jobMessages(t.db, 'warnings', '2026-03-12')).length
      expect(sent).toBeGreaterThan(7) // seven township groups, the office, the leader? (overdue 1: no leader)
      expect(await s.tick()).toEqual([])
      expect((await jobMessages(t.db, 'warnings', '2026-03-12')).length).toBe(sent)
      expect((await t.db.selectFrom('documents').select('id').where('kind', '=', 'bulletin').execute()).length).toBe(1)
    })

    it('catches up after downtime: a late digest says so, stale and superseded periods are recorded, not sent', async () => {
      const clock = new FakeClock(china('2026-03-17', '07:00'))
      const s = createScheduler({ db: t.db, now: clock.now })
      // down since 12 March noon; Tuesday 07:00, before today's digest time
      const r = await s.tick()
      const of = (job: string) => r.filter((x) => x.job === job).map((x) => [x.period, x.outcome])
      expect(of('digest')).toEqual([
        ['2026-03-13', 'stale'],
        ['2026-03-16', 'ran'],
      ])
      expect(of('warnings')).toEqual([
        ['2026-03-13', 'stale'],
        ['2026-03-16', 'stale'],
      ])
      expect(of('letters')).toEqual([['2026-W12', 'ran']])
      const late = await jobMessages(t.db, 'digest', '2026-03-16', 'console:leader')
      expect(late[0]!.text).toContain('3月17日 周二（迟发：3月16日简报）')
      expect(await jobMessages(t.db, 'digest', '2026-03-13')).toEqual([])
      clock.set(china('2026-03-17', '09:00').toISOString())
      const on = await s.tick()
      expect(on.map((x) => [x.job, x.period, x.outcome])).toEqual([
        ['digest', '2026-03-17', 'ran'],
        ['warnings', '2026-03-17', 'ran'],
      ])
      expect((await jobMessages(t.db, 'digest', '2026-03-17', 'console:leader'))[0]!.text).not.toContain('迟发')
      // down on Wednesday: Thursday noon sends Thursday's digest, Wednesday's is superseded
      clock.set(china('2026-03-19', '12:00').toISOString())
      const next = await s.tick()
      expect(next.filter((x) => x.job === 'digest').map((x) => [x.period, x.outcome])).toEqual([
        ['2026-03-18', 'superseded'],
        ['2026-03-19', 'ran'],
      ])
      expect(await jobMessages(t.db, 'digest', '2026-03-18')).toEqual([])
    })
  })
}

describe.skipIf(!(await postgresReachable()))('two scheduler instances on one PostgreSQL', () => {
  let t: TestDatabase
  let second: Kysely<Database>
  beforeAll(async () => {
    t = await openPostgres()
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(t.db)
    const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
    url.pathname = `/${rows[0]!.name}`
    const pool = new pg.Pool({ connectionString: url.toString(), max: 5 })
    pool.on('error', () => {}) // the database is dropped with force at the end; a closing client may hear it
    second = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    await loadDemoCounty(t.db, { now: china('2026-03-01', '07:00') })
  })
  afterAll(async () => {
    await second?.destroy()
    await t?.close()
  })

  it('runs each period once when both tick at the same instants, with and without the advisory lock', async () => {
    const clock = new FakeClock(china('2026-03-01', '07:00'))
    const results: TickResult[] = []
    for (const lock of ['none', 'advisory'] as const) {
      const a = createScheduler({ db: t.db, now: clock.now, lock })
      const b = createScheduler({ db: second, now: clock.now, lock })
      const [from, to] = lock === 'none' ? ['2026-03-02', '2026-03-10'] : ['2026-03-11', '2026-03-17']
      for (const date of days(from, to)) {
        for (const time of ['07:00', '12:00']) {
          const at = china(date, time)
          const both = await Promise.all([a.tick(at), b.tick(at)])
          results.push(...both.flat())
        }
      }
    }
    const ran = results.filter((r) => r.outcome === 'ran')
    const keys = ran.map((r) => `${r.job}:${r.period}`)
    expect(new Set(keys).size).toBe(keys.length)
    expect(results.filter((r) => r.outcome === 'failed')).toEqual([])
    const rows = await t.db.selectFrom('job_runs').select(['job', 'period']).execute()
    expect(rows.length).toBe(keys.length)
    expect(keys.filter((k) => k.startsWith('digest:')).length).toBe(12) // 2–6, 9–13, 16–17 March
    expect((await t.db.selectFrom('documents').select('id').where('kind', '=', 'bulletin').execute()).length).toBe(1)
    const letters = await t.db.selectFrom('documents').select(['township_id', 'kind']).where('kind', '=', 'warning_letter').execute()
    expect(new Set(letters.map((l) => l.township_id)).size).toBe(letters.length)
  }, 60_000)
})
