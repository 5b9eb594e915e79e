import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { consoleHarness, FakeClock, OFFICE, OFFICIAL, STAFF, TOWNSHIP_CHAT } from '../support/console-harness.js'
import { openPglite, type TestDatabase } from '../support/databases.js'
import { china, jobMessages } from './walk.js'

const LEADER_CHAT = 'console:leader'
const LEADER = 'console:leader:1'

describe('deciding on the bulletin in the chat: 退回 with a reason, 重拟, 同意', () => {
  let t: TestDatabase
  let h: Awaited<ReturnType<typeof consoleHarness>>
  const clock = new FakeClock(china('2026-03-02', '07:00'))
  const say = async (chat: string, sender: string, body: Record<string, unknown>) => {
    clock.advanceMinutes(1)
    await h.post({ chat, sender, ...body })
    await h.runtime.flush()
    return h.lastBotText(chat)
  }

  beforeAll(async () => {
    t = await openPglite()
    h = await consoleHarness(t.db, clock)
    clock.set(china('2026-03-02', '09:05').toISOString())
    await h.runtime.scheduler.tick()
    await h.runtime.flush()
  })
  afterAll(async () => t?.close())

  it('lets only the leader decide, and a 退回 needs a reason', async () => {
    const doc = await t.db.selectFrom('documents').select('id').where('kind', '=', 'bulletin').executeTakeFirstOrThrow()
    // issue 12 point 13: the named approver (the demo names the leader 王局长), under 001's title
    expect(await say(TOWNSHIP_CHAT('450329100'), OFFICIAL('450329100'), { text: '同意通报' })).toContain('须经县卫片办主任（分管领导-王局长）同意')
    expect(await say(OFFICE, STAFF, { action: { name: 'approveDocument', value: { documentId: String(doc.id) } } })).toContain('须经县卫片办主任（分管领导-王局长）同意')
    expect(await say(LEADER_CHAT, LEADER, { action: { name: 'returnDocument', value: { documentId: String(doc.id) } } })).toContain('请说明退回理由')
    expect(await say(LEADER_CHAT, LEADER, { text: '退回通报' })).toContain('请说明退回理由')
    expect(await say(LEADER_CHAT, LEADER, { text: '退回通报 请补充逾期原因' })).toContain('已退回')
    expect(await h.lastBotText(OFFICE)).toContain('理由：请补充逾期原因')
    const returned = await t.db.selectFrom('documents').selectAll().where('id', '=', doc.id).executeTakeFirstOrThrow()
    expect([returned.state, returned.reason]).toEqual(['returned', '请补充逾期原因'])
  })

  it('redrafts on 重拟通报 and publishes on 同意通报, once', async () => {
    expect(await say(OFFICE, STAFF, { text: '重拟通报' })).toContain('已重新生成')
    const card = (await h.botSaid(LEADER_CHAT)).filter((e) => e.card).pop()!
    expect(JSON.stringify(card.card)).toContain('请审批：2026年2月排名通报')
    expect(await say(LEADER_CHAT, LEADER, { text: '同意通报' })).toContain('已发布到7个乡镇群')
    expect(await say(LEADER_CHAT, LEADER, { text: '同意通报' })).toContain('没有待审批')
    for (const code of ['450329100', '450329205']) {
      // published as a card: the ranking as rows, the figures in each
      const published = (await h.botSaid(TOWNSHIP_CHAT(code))).filter((e) => e.card?.title.includes('2026年2月自然资源卫片执法工作排名通报'))
      expect(published).toHaveLength(1)
      expect(published[0]!.card!.fields.filter(([k]) => /^第\d+名 /.test(k))).toHaveLength(7)
      expect(published[0]!.card!.fields[0]![1]).toMatch(/^逾期\d+项｜新增违法\d+宗｜违法占用耕地[\d.]+亩（[\d.]+%）｜整改\d+\/\d+宗$/)
    }
    const states = await t.db.selectFrom('documents').select('state').where('kind', '=', 'bulletin').orderBy('id').execute()
    expect(states.map((s) => s.state)).toEqual(['returned', 'sent'])
    // nothing left to remind the next working day
    clock.set(china('2026-03-03', '12:00').toISOString())
    await h.runtime.scheduler.tick()
    expect(await jobMessages(t.db, 'bulletin-reminder', '2026-03-03')).toEqual([])
  })
})
