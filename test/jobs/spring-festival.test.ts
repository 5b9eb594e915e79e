import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { consoleHarness, FakeClock, TOWNSHIP_CHAT } from '../support/console-harness.js'
import { openPglite, type TestDatabase } from '../support/databases.js'
import { china, jobMessages, ranRuns, walk } from './walk.js'

// 春节 2026: 15–23 February off; Saturdays 14 and 28 February are make-up working days
const FEB_WORKDAYS = [2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 24, 25, 26, 27, 28].map((d) => `2026-02-${String(d).padStart(2, '0')}`)

describe('the Spring-Festival month (February 2026)', () => {
  let t: TestDatabase
  let h: Awaited<ReturnType<typeof consoleHarness>>
  const clock = new FakeClock(china('2026-02-01', '00:10'))

  beforeAll(async () => {
    t = await openPglite()
    h = await consoleHarness(t.db, clock, { demoIssuedAt: china('2026-02-01', '00:10') }) // the batch of the 1st
    await h.runtime.dispatch()
    await walk(clock, h.runtime.scheduler, '2026-02-01', '2026-02-28')
  }, 120_000)
  afterAll(async () => t?.close())

  it('fires the daily jobs on the working days of the calendar, make-up Saturdays included', async () => {
    const runs = await ranRuns(t.db)
    for (const job of ['digest', 'warnings', 'bulletin-reminder']) expect(runs.get(job)!.map((r) => r.day), job).toEqual(FEB_WORKDAYS)
    expect(runs.get('bulletin')!.map((r) => [r.period, r.day])).toEqual([['2026-01', '2026-02-02']])
    // the week of 16–22 February has no working day, so no letters run
    expect(runs.get('letters')!.map((r) => [r.period, r.day])).toEqual([
      ['2026-W06', '2026-02-02'],
      ['2026-W07', '2026-02-09'],
      ['2026-W09', '2026-02-24'],
    ])
  })

  it('counts overdue in working days across the holiday and escalates on the make-up Saturday', async () => {
    const chat = TOWNSHIP_CHAT('450329100')
    // verification due 11 February; 12, 13, 14 (Saturday, a working day) → 3 overdue working days
    expect((await jobMessages(t.db, 'warnings', '2026-02-14', chat))[0]!.text).toContain('已逾期3个工作日')
    expect((await jobMessages(t.db, 'warnings', '2026-02-14', 'console:leader'))[0]!.text).toContain('逾期报告')
    expect((await jobMessages(t.db, 'warnings', '2026-02-24', chat))[0]!.text).toContain('已逾期4个工作日')
    // nothing at all from the scheduled jobs during the holiday
    const keys = await t.db.selectFrom('outbox').select('idempotency_key').where('idempotency_key', 'like', 'job:%').execute()
    expect(keys.filter((r) => /:2026-02-(1[5-9]|2[0-3]):/.test(r.idempotency_key))).toEqual([])
    expect(keys.some((r) => r.idempotency_key.includes(':2026-02-14:'))).toBe(true)
    const digest = await jobMessages(t.db, 'digest', '2026-02-24', 'console:leader')
    expect(digest[0]!.text).toContain('（2月14日以来）')
    // the first 提醒函 after the holiday, not during it
    const letters = await t.db.selectFrom('documents').select(['kind', 'created_at']).where('kind', '=', 'warning_letter').execute()
    expect(new Set(letters.map((l) => l.created_at.toISOString().slice(0, 10)))).toEqual(new Set(['2026-02-24']))
  })
})
