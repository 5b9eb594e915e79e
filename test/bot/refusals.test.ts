import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { centroidOf } from '../../core/index.js'
import { openPglite, type TestDatabase } from '../support/databases.js'
import { consoleHarness, FakeClock, OFFICE, OFFICIAL, STAFF, TOWNSHIP_CHAT } from '../support/console-harness.js'
import { jpegWithExif } from '../support/jpeg-exif.js'

// Every way a message can be wrong gets a reply in Chinese that says what was wrong and what to send.
describe('refusals and bad input on the console', () => {
  let t: TestDatabase
  let h: Awaited<ReturnType<typeof consoleHarness>>
  const clock = new FakeClock(new Date('2026-11-03T01:00:00Z'))
  const ZIYUAN = '450329100'
  const ZHONGFENG = '450329101'
  let ziyuanPatch: { id: number; number: string; geometry: any }
  let zhongfengPatch: { id: number; number: string }

  beforeAll(async () => {
    t = await openPglite()
    h = await consoleHarness(t.db, clock)
    await h.runtime.dispatch()
    await h.runtime.flush()
    const pick = async (code: string) =>
      t.db
        .selectFrom('patches')
        .innerJoin('townships', 'townships.id', 'patches.township_id')
        .select(['patches.id', 'patches.number', 'patches.geometry'])
        .where('townships.code', '=', code)
        .where('patches.military', '=', false)
        .where('patches.state', '=', 'dispatched')
        .orderBy('patches.number')
        .executeTakeFirstOrThrow()
    ziyuanPatch = await pick(ZIYUAN)
    zhongfengPatch = await pick(ZHONGFENG)
  })
  afterAll(async () => t?.close())

  async function say(chat: string, sender: string, body: Record<string, unknown>) {
    clock.advanceMinutes(1)
    const { messageId } = await h.post({ chat, sender, ...body })
    return (await h.botSaid(chat, messageId)).map((e) => e.text ?? JSON.stringify(e.card)).join('\n')
  }

  it.each([
    ['an unknown patch number', { text: '查 JC2026450329999' }, /未找到图斑 JC2026450329999.*请核对图斑编号/],
    ['a message that cannot be parsed', { text: '你好，今天天气不错' }, /没能识别.*可以发送：查 图斑号/],
    ['a report without a judgment', { text: '已核查' }, /请写明判定结果/],
    ['a photo with no patch to attach to', { photo: jpegWithExif({}).toString('base64') }, /无法确定属于哪个图斑.*回复图斑卡片/],
  ])('%s', async (_name, body, expected) => {
    const reply = await say(TOWNSHIP_CHAT(ZIYUAN), OFFICIAL(ZIYUAN), body)
    expect(reply).toMatch(expected)
  })

  it('a voice message is kept and answered with what to send instead', async () => {
    clock.advanceMinutes(1)
    await h.runtime.console!.receive({ chatId: TOWNSHIP_CHAT(ZIYUAN), senderId: OFFICIAL(ZIYUAN), kind: 'unsupported', text: 'audio', at: clock.now() })
    await h.runtime.flush()
    expect(await h.lastBotText(TOWNSHIP_CHAT(ZIYUAN))).toMatch(/暂不能识别语音消息。请发送文字/)
  })

  it('a township group cannot act on another township’s patch', async () => {
    const reply = await say(TOWNSHIP_CHAT(ZIYUAN), OFFICIAL(ZIYUAN), { text: `${zhongfengPatch.number} 已核查 合法 桂政土批〔2022〕15号` })
    expect(reply).toMatch(/不属于资源镇/)
  })

  it('an official cannot confirm a judgment', async () => {
    const reply = await say(TOWNSHIP_CHAT(ZIYUAN), OFFICIAL(ZIYUAN), { text: `确认 ${ziyuanPatch.number}` })
    expect(reply).toMatch(/只有县卫片办工作人员/)
  })

  it('staff cannot confirm a patch that has not been reported', async () => {
    const reply = await say(OFFICE, STAFF, { text: `确认 ${ziyuanPatch.number}` })
    expect(reply).toMatch(/当前状态为「已推送」/)
  })

  it('a send-back button asks for the reason', async () => {
    const reply = await say(OFFICE, STAFF, { action: { name: 'sendBack', value: { patchId: String(ziyuanPatch.id) } } })
    expect(reply).toMatch(/请回复退回理由/)
  })

  it('an unregistered person cannot act', async () => {
    const reply = await say(TOWNSHIP_CHAT(ZIYUAN), 'console:stranger', { text: `${ziyuanPatch.number} 已核查 违法` })
    expect(reply).toMatch(/尚未登记/)
  })

  it('an unregistered chat is told how to bind', async () => {
    const reply = await say('console:unknown-group', OFFICIAL(ZIYUAN), { text: '帮助' })
    expect(reply).toMatch(/本群尚未登记.*绑定/)
  })

  it('合法 without the approval number is recorded and the number is asked for', async () => {
    const reply = await say(TOWNSHIP_CHAT(ZIYUAN), OFFICIAL(ZIYUAN), { text: `${ziyuanPatch.number} 已核查 合法` })
    expect(reply).toMatch(/还缺.*批准文号/)
  })

  it('the approval number sent on its own completes the 合法 report', async () => {
    const reply = await say(TOWNSHIP_CHAT(ZIYUAN), OFFICIAL(ZIYUAN), { text: '桂政土批〔2022〕15号' })
    expect(reply).toMatch(/已提交县卫片办审核|还缺/)
    const p = await t.db.selectFrom('patches').select(['proposal', 'state']).where('id', '=', ziyuanPatch.id).executeTakeFirstOrThrow()
    expect(p.proposal).toMatchObject({ judgment: { kind: 'legal', approvalNo: '桂政土批〔2022〕15号' } })
  })

  it('a photo without GPS is kept but the sender is asked for a location', async () => {
    const reply = await say(TOWNSHIP_CHAT(ZIYUAN), OFFICIAL(ZIYUAN), { photo: jpegWithExif({ takenAt: '2026:11:03 10:00:00' }).toString('base64') })
    expect(reply).toContain(`已关联到图斑 ${ziyuanPatch.number}`)
    expect(reply).toMatch(/没有GPS定位信息/)
  })

  it('a photo taken far from the patch is flagged, not counted, and the office is told', async () => {
    const [lon, lat] = centroidOf(ziyuanPatch.geometry)
    const reply = await say(TOWNSHIP_CHAT(ZIYUAN), OFFICIAL(ZIYUAN), {
      photo: jpegWithExif({ lon: lon + 0.05, lat, takenAt: '2026:11:03 10:05:00' }).toString('base64'),
    })
    expect(reply).toMatch(/不计入举证/)
    expect(await h.lastBotText(OFFICE)).toMatch(/存疑照片/)
    const flagged = await t.db.selectFrom('evidence').select('flags').where('patch_id', '=', ziyuanPatch.id).where('distance_m', '>', 1000).executeTakeFirstOrThrow()
    expect(flagged.flags.length).toBeGreaterThan(0)
  })

  it('the same photo twice is one piece of evidence', async () => {
    const [lon, lat] = centroidOf(ziyuanPatch.geometry)
    const photo = jpegWithExif({ lon, lat, takenAt: '2026:11:03 10:10:00' }).toString('base64')
    await say(TOWNSHIP_CHAT(ZIYUAN), OFFICIAL(ZIYUAN), { photo })
    const again = await say(TOWNSHIP_CHAT(ZIYUAN), OFFICIAL(ZIYUAN), { photo })
    expect(again).toMatch(/已收到过/)
  })

  it('a location share (GCJ-02) is converted and measured against the patch', async () => {
    const [lon, lat] = centroidOf(ziyuanPatch.geometry)
    // a GCJ-02 point that is the centroid in WGS84 is offset by a few hundred metres
    const reply = await say(TOWNSHIP_CHAT(ZIYUAN), OFFICIAL(ZIYUAN), { location: { lon: lon + 0.0045, lat: lat - 0.0034 }, replyTo: undefined, text: undefined })
    expect(reply).toMatch(/位置已关联到图斑 .*距图斑\d+米/)
    const loc = await t.db.selectFrom('evidence').select(['distance_m']).where('kind', '=', 'location').where('patch_id', '=', ziyuanPatch.id).executeTakeFirstOrThrow()
    expect(loc.distance_m).toBeLessThan(100)
  })
})
