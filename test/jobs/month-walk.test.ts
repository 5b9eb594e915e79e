import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { unzipSync, strFromU8 } from 'fflate'
import { chineseDocDate } from '../../core/index.js'
import { consoleHarness, FakeClock, OFFICE, STAFF, TOWNSHIP_CHAT, OFFICIAL } from '../support/console-harness.js'
import { openPglite, type TestDatabase } from '../support/databases.js'
import { china, jobMessages, ranRuns, walk } from './walk.js'

const LEADER_CHAT = 'console:leader'
const LEADER = 'console:leader:1'
const ZIYUAN = '450329100'

// March 2026 has no holiday: every Monday to Friday is a working day
const MARCH_WORKDAYS = [2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20, 23, 24, 25, 26, 27, 30, 31].map((d) => `2026-03-${String(d).padStart(2, '0')}`)

describe('a month of scheduled work on the demo county (March 2026)', () => {
  let t: TestDatabase
  let h: Awaited<ReturnType<typeof consoleHarness>>
  const clock = new FakeClock(china('2026-03-01', '00:10'))
  let bulletinId = 0

  beforeAll(async () => {
    t = await openPglite()
    h = await consoleHarness(t.db, clock, { demoIssuedAt: china('2026-03-01', '00:10') }) // the batch of the 1st
    await h.runtime.dispatch()
    await walk(clock, h.runtime.scheduler, '2026-03-01', '2026-03-31', async (date, time) => {
      // the leader approves the bulletin on Wednesday, after two reminders
      if (date === '2026-03-04' && time === '12:00') {
        clock.set(china(date, '12:30').toISOString())
        const doc = await t.db.selectFrom('documents').select('id').where('kind', '=', 'bulletin').executeTakeFirstOrThrow()
        bulletinId = doc.id
        await h.post({ chat: LEADER_CHAT, sender: LEADER, action: { name: 'approveDocument', value: { documentId: String(doc.id) } } })
      }
    })
    await h.runtime.flush()
  }, 120_000)
  afterAll(async () => t?.close())

  // issue 12 point 15: 军用土地 goes by 机要件 (001:61, 001:103): across a month of every job (digest,
  // warnings, bulletin, letters, reminders) and the pushes, no chat hears a military patch's number
  it('001:61/103 no message of any job or push names a military patch; the office heard a count', async () => {
    const military = await t.db.selectFrom('patches').select('number').where('military', '=', true).execute()
    expect(military.length).toBeGreaterThan(0)
    const rows = await t.db.selectFrom('outbox').select(['target', 'payload']).execute()
    expect(rows.length).toBeGreaterThan(100)
    for (const r of rows) for (const m of military) expect(JSON.stringify(r.payload), r.target).not.toContain(m.number)
    const office = rows.filter((r) => r.target === OFFICE).map((r) => JSON.stringify(r.payload)).join('\n')
    expect(office).toContain('新下发军用土地图斑1个，已登记为机要件处理')
  })

  it('runs digest, warnings and reminders on every working day only, once each', async () => {
    const runs = await ranRuns(t.db)
    for (const job of ['digest', 'warnings', 'bulletin-reminder']) {
      expect(runs.get(job)!.map((r) => r.period), job).toEqual(MARCH_WORKDAYS)
      expect(runs.get(job)!.map((r) => r.day), job).toEqual(MARCH_WORKDAYS)
    }
  })

  it('drafts the bulletin once, on the first working day, and letters on the first working day of each week', async () => {
    const runs = await ranRuns(t.db)
    expect(runs.get('bulletin')!.map((r) => [r.period, r.day])).toEqual([['2026-02', '2026-03-02']])
    expect(runs.get('letters')!.map((r) => [r.period, r.day])).toEqual([
      ['2026-W10', '2026-03-02'],
      ['2026-W11', '2026-03-09'],
      ['2026-W12', '2026-03-16'],
      ['2026-W13', '2026-03-23'],
      ['2026-W14', '2026-03-30'],
    ])
  })

  it('warns each township group once a day, 3 working days ahead, the day before, on the day, and overdue', async () => {
    const chat = TOWNSHIP_CHAT(ZIYUAN)
    const said = async (day: string) => (await jobMessages(t.db, 'warnings', day, chat)).map((m) => m.text)
    // verification is due 10 days after the 1 March issue (001:53): 11 March
    expect((await said('2026-03-06')).join()).toContain('3个工作日后到期（2026-03-11）')
    expect((await said('2026-03-10')).join()).toContain('明天')
    expect((await said('2026-03-11')).join()).toContain('今天到期')
    expect((await said('2026-03-12')).join()).toContain('已逾期1个工作日')
    for (const day of MARCH_WORKDAYS) expect((await said(day)).length, day).toBeLessThanOrEqual(1)
    // one message lists all the township's patches
    const n = await t.db.selectFrom('patches').innerJoin('townships', 'townships.id', 'patches.township_id')
      .select((eb) => eb.fn.countAll<number>().as('n')).where('townships.code', '=', ZIYUAN).where('patches.military', '=', false).executeTakeFirstOrThrow()
    expect((await said('2026-03-11'))[0]!.match(/JC\d+/g)!.length).toBe(Math.min(Number(n.n), 12))
    // the 10th's monthly correction is a tenant-wide date (001:53)
    expect((await said('2026-03-09')).join()).toContain('每月10日前')
    // escalation: the office from the first overdue day, the leader from the third (004:41)
    expect((await jobMessages(t.db, 'warnings', '2026-03-11', OFFICE)).map((m) => m.text).join()).not.toContain('逾期')
    expect((await jobMessages(t.db, 'warnings', '2026-03-12', OFFICE))[0]!.text).toContain('已逾期1个工作日')
    expect(await jobMessages(t.db, 'warnings', '2026-03-13', LEADER_CHAT)).toHaveLength(0)
    expect((await jobMessages(t.db, 'warnings', '2026-03-16', LEADER_CHAT))[0]!.text).toContain('逾期报告')
  })

  it('sends the bulletin to the leader, reminds until approved, then publishes to every township and the office', async () => {
    const drafted = await jobMessages(t.db, 'bulletin', '2026-02', LEADER_CHAT)
    expect(drafted[0]!.text).toContain('请审批：2026年2月排名通报')
    expect((await jobMessages(t.db, 'bulletin-reminder', '2026-03-02')).length).toBe(0)
    expect((await jobMessages(t.db, 'bulletin-reminder', '2026-03-03', LEADER_CHAT))[0]!.text).toContain('【提醒】')
    expect((await jobMessages(t.db, 'bulletin-reminder', '2026-03-04', LEADER_CHAT)).length).toBe(1)
    expect((await jobMessages(t.db, 'bulletin-reminder', '2026-03-05')).length).toBe(0)
    const doc = await t.db.selectFrom('documents').selectAll().where('id', '=', bulletinId).executeTakeFirstOrThrow()
    expect(doc.state).toBe('sent')
    expect(doc.decided_at!.toISOString()).toBe(china('2026-03-04', '12:30').toISOString())
    const published = (await h.botSaid(TOWNSHIP_CHAT('450329205'))).filter((e) => e.card?.title.includes('排名通报'))
    expect(published).toHaveLength(1)
    expect(published[0]!.at <= china('2026-03-05', '23:59').toISOString()).toBe(true)
    expect((await h.botSaid(OFFICE)).some((e) => e.kind === 'file')).toBe(true)
  })

  it('drafts letters for overdue townships (提醒函 at 3 overdue working days, 建议函 at 10), once a kind a month', async () => {
    const letters = await t.db.selectFrom('documents').select(['kind', 'township_id', 'created_at', 'state']).where('kind', '!=', 'bulletin').orderBy('id').execute()
    const byDay = (kind: string) => [...new Set(letters.filter((l) => l.kind === kind).map((l) => l.created_at.toISOString().slice(0, 10)))]
    expect(byDay('warning_letter')).toEqual(['2026-03-16'])
    expect(byDay('supervision_letter')).toEqual(['2026-03-30'])
    const townships = new Set(letters.filter((l) => l.kind === 'warning_letter').map((l) => l.township_id))
    expect(townships.size).toBe(letters.filter((l) => l.kind === 'warning_letter').length)
    // nothing went to a township unapproved
    for (const code of ['450329100', '450329101', '450329102']) {
      expect((await h.botSaid(TOWNSHIP_CHAT(code))).some((e) => e.kind === 'file')).toBe(false)
    }
    // the office got the .docx and a card with 批准/作废
    const office = await jobMessages(t.db, 'letters', '2026-W12', OFFICE)
    expect(office.some((m) => m.kind === 'file')).toBe(true)
    expect(office.find((m) => m.kind === 'card')!.text).toMatch(/批准.*作废/)
  })

  it('writes a real .docx with the township, the figures and the Chinese date', async () => {
    const letter = await t.db.selectFrom('documents').innerJoin('townships', 'townships.id', 'documents.township_id')
      .select(['documents.file', 'townships.name', 'documents.content']).where('documents.kind', '=', 'warning_letter').where('townships.code', '=', ZIYUAN).executeTakeFirstOrThrow()
    const files = unzipSync(letter.file!)
    const xml = strFromU8(files['word/document.xml']!)
    expect(xml).toContain('资源镇人民政府')
    expect(xml).toContain('关于资源镇自然资源卫片执法工作的警示提醒函')
    expect(xml).toMatch(/\d+项工作逾期3个工作日以上/)
    expect(xml).toContain(chineseDocDate('2026-03-16'))
    expect(xml).toContain('二〇二六年三月十六日')
    expect(xml).toContain('仿宋_GB2312')
  })

  it('approves a letter (staff) to the township group; an official cannot', async () => {
    const letter = await t.db.selectFrom('documents').innerJoin('townships', 'townships.id', 'documents.township_id')
      .select(['documents.id', 'documents.state']).where('documents.kind', '=', 'supervision_letter').where('townships.code', '=', ZIYUAN).executeTakeFirstOrThrow()
    expect(letter.state).toBe('draft')
    const action = { name: 'approveDocument', value: { documentId: String(letter.id) } }
    await h.post({ chat: TOWNSHIP_CHAT(ZIYUAN), sender: OFFICIAL(ZIYUAN), action })
    await h.runtime.flush()
    // issue 12 point 13: the named letters approver (the demo names 陈工), not any staff or leader
    expect(await h.lastBotText(TOWNSHIP_CHAT(ZIYUAN))).toContain('函件由县卫片办主任（卫片办-陈工）批准或作废')
    await h.post({ chat: OFFICE, sender: 'console:staff:2', action })
    await h.runtime.flush()
    expect(await h.lastBotText(OFFICE)).toContain('您不能批准')
    await h.post({ chat: OFFICE, sender: STAFF, action })
    await h.runtime.flush()
    expect(await h.lastBotText(OFFICE)).toContain('已发送资源镇群')
    const said = await h.botSaid(TOWNSHIP_CHAT(ZIYUAN))
    expect(said.filter((e) => e.kind === 'file')).toHaveLength(1)
    await h.post({ chat: OFFICE, sender: STAFF, action })
    await h.runtime.flush()
    expect(await h.lastBotText(OFFICE)).toContain('已处理')
  })

  it("sends the leaders' digest with the figures", async () => {
    const digest = await jobMessages(t.db, 'digest', '2026-03-16', LEADER_CHAT)
    expect(digest[0]!.text).toMatch(/【每日简报】3月16日 周一\n新下发图斑：0个/)
    expect(digest[0]!.text).toMatch(/逾期：\d+项（资源镇/)
    expect(digest[0]!.text).toContain('乡镇问责线5亩且15.0%')
    // 001:79 the county line beside the township lines, for the accountability year
    expect(digest[0]!.text).toMatch(/2026年度违法占用耕地：全县 [\d.]+亩 [\d.]+%.*（县级问责线100亩且15.0%）/)
    const first = await jobMessages(t.db, 'digest', '2026-03-02', LEADER_CHAT)
    expect(first[0]!.text).toMatch(/新下发图斑：\d+个/)
    expect(first[0]!.text).not.toContain('新下发图斑：0个')
  })
})
