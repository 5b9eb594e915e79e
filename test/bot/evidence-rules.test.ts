import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPglite, type TestDatabase } from '../support/databases.js'
import { consoleHarness, FakeClock, firstDispatchedPatch, OFFICE, OFFICIAL, STAFF, TOWNSHIP_CHAT } from '../support/console-harness.js'
import { jpegWithExif } from '../support/jpeg-exif.js'

// Issue 12 points 5, 6 and the console findings across layers: console → pipeline → core → database → transcript.
describe('evidence and partial rectification on the console (pglite)', () => {
  let t: TestDatabase
  let h: Awaited<ReturnType<typeof consoleHarness>>
  const clock = new FakeClock(new Date('2026-11-03T01:00:00Z'))
  const ZIYUAN = '450329100'
  const chat = TOWNSHIP_CHAT(ZIYUAN)
  let patch: { id: number; number: string }

  beforeAll(async () => {
    t = await openPglite()
    h = await consoleHarness(t.db, clock)
    await h.runtime.dispatch()
    await h.runtime.flush()
    patch = await firstDispatchedPatch(t.db, ZIYUAN, { notKey: true })
    // a 违法 patch of 5亩 (4亩 耕地) judged 2026-11-02 10:00 China time, in 整改中
    await t.db
      .updateTable('patches')
      .set({
        state: 'rectifying', area_mu: 5, farmland_mu: 4, basic_farmland_mu: 0, red_line_mu: 0,
        judgment: { kind: 'illegal', violationType: '新增建设用地违法', landUse: 'new_construction' } as never,
        lifecycle: { judgedOn: '2026-11-02', judgedAt: '2026-11-02T02:00:00.000Z', photosAtJudgment: 0 } as never,
        due: {} as never,
      })
      .where('id', '=', patch.id)
      .execute()
  })
  afterAll(async () => t?.close())

  async function say(to: string, sender: string, body: Record<string, unknown>) {
    clock.advanceMinutes(1)
    const { messageId } = await h.post({ chat: to, sender, ...body })
    return (await h.botSaid(to, messageId)).map((e) => e.text ?? JSON.stringify(e.card)).join('\n')
  }
  const photo = (o: Parameters<typeof jpegWithExif>[0]) => ({ photo: jpegWithExif(o).toString('base64') })

  it('001:45 bytes that are no image are refused with what to send; nothing is stored', async () => {
    const r = await say(chat, OFFICIAL(ZIYUAN), { text: `${patch.number} 已拆除复耕 拆除面积2亩 拆除耕地面积1.5亩` })
    expect(r).toContain('还缺：拆除复耕后的现场照片')
    const junk = await say(chat, OFFICIAL(ZIYUAN), { photo: Buffer.from('not a photo at all, just text').toString('base64') })
    expect(junk).toMatch(/不是可识别的图片.*JPEG、PNG 或 HEIC/)
    expect(await t.db.selectFrom('evidence').select('id').where('patch_id', '=', patch.id).execute()).toHaveLength(0)
  })

  it('001:27 a photo placed outside China is refused', async () => {
    const r = await say(chat, OFFICIAL(ZIYUAN), photo({ lon: 0, lat: 0, takenAt: '2026:11:03 09:30:00', salt: 1 }))
    expect(r).toContain('不在我国境内')
    expect(await t.db.selectFrom('evidence').select('id').where('patch_id', '=', patch.id).execute()).toHaveLength(0)
  })

  it('001:27 a location share outside China is refused', async () => {
    const r = await say(chat, OFFICIAL(ZIYUAN), { location: { lon: 0, lat: 0, datum: 'wgs84' } })
    expect(r).toContain('位置（经度0，纬度0）不在我国境内')
    expect(await t.db.selectFrom('evidence').select('id').where('patch_id', '=', patch.id).execute()).toHaveLength(0)
  })

  it('001:73 a photo taken before the judgment is kept but not counted, even when received after it', async () => {
    const r = await say(chat, OFFICIAL(ZIYUAN), photo({ takenAt: '2026:11:02 09:00:00', salt: 2 }))
    expect(r).toContain('拍摄时间2026-11-02 09:00早于2026-11-02判定')
    const row = await t.db.selectFrom('patches').select('state').where('id', '=', patch.id).executeTakeFirstOrThrow()
    expect(row.state).toBe('rectifying')
  })

  it('a photo taken after the judgment completes the partial 拆除复耕; 验收 deducts only its 1.5亩 and 剩余 shows in 查 and 统计', async () => {
    const illegalMu = async () => Number(/违法占用耕地([\d.]+)亩/.exec(await say(OFFICE, STAFF, { text: '统计 资源镇' }))![1])
    const before = await illegalMu()
    const r = await say(chat, OFFICIAL(ZIYUAN), photo({ takenAt: '2026:11:03 09:40:00', salt: 3 }))
    expect(r).toContain('已提交县卫片办验收')
    // the office's review card shows the photo count as it is now
    const card = (await h.botSaid(OFFICE)).filter((e) => e.card?.title === `待验收：图斑 ${patch.number}`).pop()!
    expect(card.card!.fields).toContainEqual(['照片', '1张（另有1张存疑）'])
    expect(await illegalMu()).toBe(before) // reported: a claim (001:73)
    const accepted = await say(OFFICE, STAFF, { text: `验收 ${patch.number}` })
    expect(accepted).toContain('剩余未整改3亩（其中耕地2.5亩），图斑仍在整改中')
    expect(await illegalMu()).toBeCloseTo(before - 1.5, 6) // only the accepted 耕地 (001:73)
    expect(await say(OFFICE, STAFF, { text: `查 ${patch.number}` })).toContain('整改面积：已整改（已验收）拆除复耕2亩（耕地1.5亩）；剩余未整改3亩（耕地2.5亩）')
    expect(await say(OFFICE, STAFF, { text: '统计 资源镇' })).toMatch(/违法图斑整改：总面积[\d.]+亩 = 已整改（已验收）2亩（拆除复耕2亩、补办手续0亩） \+ 剩余未整改[\d.]+亩/)
  })

  it('the review card\'s photo count follows a photo that comes after it', async () => {
    const r = await say(chat, OFFICIAL(ZIYUAN), { text: `${patch.number} 已补办手续 桂政土批〔2026〕3号` })
    expect(r).toContain('已提交县卫片办验收')
    const title = `待验收：图斑 ${patch.number}`
    const countNow = async () => (await h.botSaid(OFFICE)).filter((e) => e.card?.title === title).pop()!.card!.fields.find(([k]) => k === '照片')![1]
    const before = await countNow()
    await say(chat, OFFICIAL(ZIYUAN), photo({ takenAt: '2026:11:03 10:00:00', salt: 4 }))
    expect(await countNow()).not.toBe(before)
    expect(await countNow()).toBe('2张（另有1张存疑）')
  })

  it('帮助 per role: the leader is not shown the township\'s replies; a click shows its label', async () => {
    const leader = await say('console:leader', 'console:leader:1', { text: '帮助' })
    expect(leader).toContain('同意通报')
    expect(leader).not.toContain('已拆除复耕')
    const township = await say(chat, OFFICIAL(ZIYUAN), { text: '帮助' })
    expect(township).toContain('已拆除复耕')
    expect(township).not.toContain('待审核')
    const office = await say(OFFICE, STAFF, { text: '帮助' })
    expect(office).toContain('现场核查 图斑号 负责人 姓名 意见 核查意见')
    await h.post({ chat: OFFICE, sender: STAFF, action: { name: 'query', value: { patchId: String(patch.id) }, label: '查看详情' } })
    const clicks = (await h.transcript(OFFICE)).filter((e) => e.kind === 'card_action').map((e) => e.text)
    expect(clicks.pop()).toBe('［点击：查看详情］')
  })
})
