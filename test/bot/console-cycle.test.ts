import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storedEventHash } from '../../db/events.js'
import { centroidOf } from '../../core/index.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { consoleHarness, FakeClock, OFFICE, OFFICIAL, STAFF, TOWNSHIP_CHAT, cardText } from '../support/console-harness.js'
import { jpegWithExif } from '../support/jpeg-exif.js'

// 资源镇, the first township of 001_8c1f6dae78f37652.txt's leading group
const TOWNSHIP = '450329100'

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`the patch cycle on the console (${engine.name})`, () => {
    let t: TestDatabase
    let h: Awaited<ReturnType<typeof consoleHarness>>
    const clock = new FakeClock(new Date('2026-11-03T01:00:00Z')) // 09:00 China time, a Tuesday

    beforeAll(async () => {
      t = await engine.open()
      h = await consoleHarness(t.db, clock)
      await h.runtime.dispatch()
      await h.runtime.flush()
    })
    afterAll(async () => t?.close())

    async function firstPatchCard() {
      const cards = (await h.botSaid(TOWNSHIP_CHAT(TOWNSHIP))).filter((e) => e.card)
      const card = cards.find((c) => !JSON.stringify(c.card).includes('重点图斑'))!
      const number = /JC\d+/.exec(JSON.stringify(card.card))![0]
      const patch = await t.db.selectFrom('patches').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
      return { card, patch }
    }

    it('pushes each new patch to its township group as a card with a map', async () => {
      const cards = (await h.botSaid(TOWNSHIP_CHAT(TOWNSHIP))).filter((e) => e.card)
      expect(cards.length).toBeGreaterThan(0)
      const { card } = await firstPatchCard()
      expect(card.mapUrl).toMatch(/\/console\/api\/patches\/\d+\/map\.png/)
      const fields = JSON.stringify(card.card)
      expect(fields).toContain('耕地')
      expect(fields).toContain('期限')
      const png = await h.runtime.app.request(card.mapUrl!)
      expect(png.headers.get('content-type')).toBe('image/png')
      expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG')
      // military land never reaches a township group (001_8c1f6dae78f37652.txt:61)
      const military = await t.db.selectFrom('patches').select(['number', 'state']).where('military', '=', true).execute()
      for (const chat of ['450329100', '450329101', '450329102', '450329202', '450329203', '450329204', '450329205']) {
        const said = JSON.stringify(await h.transcript(TOWNSHIP_CHAT(chat)))
        for (const m of military) expect(said).not.toContain(m.number)
      }
    })

    it('runs the whole cycle: report 违法 + photo, confirm, 已拆除复耕 + photo, accept → closed', async () => {
      const { card, patch } = await firstPatchCard()
      const chat = TOWNSHIP_CHAT(TOWNSHIP)
      const [lon, lat] = centroidOf(patch.geometry!)

      // 1. the township replies to the card: recorded, photo still missing
      clock.advanceMinutes(60)
      const report = await h.post({ chat, sender: OFFICIAL(TOWNSHIP), replyTo: card.messageId, text: '已核查 违法 农村乱占耕地建房' })
      const afterReport = await h.botSaid(chat, report.messageId)
      expect(afterReport.map(cardText).join()).toMatch(/还缺.*照片/)

      // 2. a photo taken on the spot, sent right after: attached to that patch, report complete
      clock.advanceMinutes(2)
      const photo = await h.post({ chat, sender: OFFICIAL(TOWNSHIP), photo: jpegWithExif({ lon, lat, takenAt: '2026:11:03 09:50:00' }).toString('base64') })
      const afterPhoto = (await h.botSaid(chat, photo.messageId)).map(cardText).join('\n')
      expect(afterPhoto).toContain(`已关联到图斑 ${patch.number}`)
      expect(afterPhoto).toContain('已提交县卫片办审核')
      const review = (await h.botSaid(OFFICE)).filter((e) => e.card && JSON.stringify(e.card).includes(patch.number)).pop()!
      expect(JSON.stringify(review.card)).toContain('待审核')
      expect(review.card!.fields).toContainEqual(['照片', '1张']) // one photo counted once

      await h.post({ chat: OFFICE, sender: STAFF, text: '待审核' })
      expect(await h.lastBotText(OFFICE)).toContain(`${patch.number}（资源镇，待审核）`)

      // 3. staff confirm with the card's button
      clock.advanceMinutes(30)
      await h.post({ chat: OFFICE, sender: STAFF, action: { name: 'confirm', value: { patchId: String(patch.id) } } })
      expect(await h.lastBotText(OFFICE)).toContain('进入整改')
      // the review card no longer offers 确认/退回
      const decided = (await h.botSaid(OFFICE)).find((e) => e.messageId === review.messageId)!
      expect(decided.card).toMatchObject({ title: `已处理：图斑 ${patch.number}`, template: 'grey' })
      expect(decided.card!.buttons ?? []).toEqual([])
      expect((await h.botSaid(chat)).map(cardText).join()).toContain('整改')

      // 4. rectification: 已拆除复耕 and a new photo (taken after the judgment)
      clock.advanceMinutes(60 * 24 * 7)
      await h.post({ chat, sender: OFFICIAL(TOWNSHIP), text: `${patch.number} 已拆除复耕` })
      await h.post({ chat, sender: OFFICIAL(TOWNSHIP), photo: jpegWithExif({ lon, lat, takenAt: '2026:11:10 10:00:00', salt: 2 }).toString('base64') })
      const state = await t.db.selectFrom('patches').select('state').where('id', '=', patch.id).executeTakeFirstOrThrow()
      expect(state.state).toBe('rectified')

      // 5. staff accept by command → closed
      await h.post({ chat: OFFICE, sender: STAFF, text: `验收 ${patch.number}` })
      const closed = await t.db.selectFrom('patches').select('state').where('id', '=', patch.id).executeTakeFirstOrThrow()
      expect(closed.state).toBe('closed')
      expect(await h.lastBotText(chat)).toContain('已办结')

      // the event history is complete and its hash chain holds
      const events = await t.db.selectFrom('patch_events').selectAll().where('patch_id', '=', patch.id).orderBy('seq').execute()
      const types = events.map((e) => e.type)
      for (const type of ['pushed', 'proposal_recorded', 'evidence_added', 'reported', 'judged', 'rectification_started', 'rectified', 'accepted', 'closed']) {
        expect(types).toContain(type)
      }
      let prev = ''
      for (const e of events) {
        expect(e.prev_hash).toBe(prev)
        expect(e.hash).toBe(storedEventHash(e, patch.number))
        prev = e.hash
      }
    })

    // issue 12 point 8 changes this: the township's 现场核查 is not the county's record (001:35)
    it('a key patch needs the county office\'s field-check record (001:35); a township\'s 现场核查 is not one', async () => {
      const key = await t.db
        .selectFrom('patches')
        .innerJoin('townships', 'townships.id', 'patches.township_id')
        .select(['patches.id', 'patches.number', 'patches.geometry', 'townships.code'])
        .where(sql<boolean>`patches.flags @> '["key_patch"]'::jsonb`)
        .where('patches.state', '=', 'dispatched')
        .orderBy('patches.number')
        .executeTakeFirstOrThrow()
      const chat = TOWNSHIP_CHAT(key.code)
      const [lon, lat] = centroidOf(key.geometry!)
      clock.advanceMinutes(5)
      await h.post({ chat, sender: OFFICIAL(key.code), text: `${key.number} 现场核查 违法 非农化` })
      expect(await h.lastBotText(chat)).toMatch(/还缺：1）至少1张现场照片.*2）县卫片办的实地核查记录/)
      clock.advanceMinutes(1)
      await h.post({ chat, sender: OFFICIAL(key.code), photo: jpegWithExif({ lon, lat, takenAt: '2026:11:03 11:00:00', salt: 7 }).toString('base64') })
      expect(await h.lastBotText(chat)).toMatch(/还缺：县卫片办的实地核查记录.*乡镇回复「已到现场」不能代替/)
      expect(await t.db.selectFrom('evidence').select('kind').where('patch_id', '=', key.id).where('kind', '=', 'field_check').execute()).toHaveLength(0)
      clock.advanceMinutes(1)
      await h.post({ chat, sender: OFFICIAL(key.code), text: `${key.number} 已到现场` })
      expect(await h.lastBotText(chat)).toContain('乡镇回复「已到现场」不算实地核查记录')
      clock.advanceMinutes(1)
      await h.post({ chat: OFFICE, sender: STAFF, text: `现场核查 ${key.number} 负责人 张三 意见 现场为新建厂房，占用耕地` })
      const checks = await t.db.selectFrom('evidence').select('kind').where('patch_id', '=', key.id).where('kind', '=', 'field_check').execute()
      expect(checks).toHaveLength(1)
      const row = await t.db.selectFrom('patches').select('state').where('id', '=', key.id).executeTakeFirstOrThrow()
      expect(row.state).toBe('reported')
      expect((await h.botSaid(chat)).map((e) => e.text ?? '').join('\n')).toContain('核查负责人：张三')
    })

    it('answers 查, 统计, 逾期 and 帮助', async () => {
      const { patch } = await firstPatchCard()
      await h.post({ chat: OFFICE, sender: STAFF, text: `查 ${patch.number}` })
      expect(await h.lastBotText(OFFICE)).toMatch(/状态：已办结/)
      await h.post({ chat: OFFICE, sender: STAFF, text: '统计 资源镇' })
      expect(await h.lastBotText(OFFICE)).toMatch(/资源镇：图斑\d+个.*\n\d{4}年度违法占用耕地.*比例/)
      await h.post({ chat: OFFICE, sender: STAFF, text: '逾期' })
      expect(await h.lastBotText(OFFICE)).toMatch(/逾期\d+项|没有逾期/)
      await h.post({ chat: OFFICE, sender: STAFF, text: '帮助' })
      expect(await h.lastBotText(OFFICE)).toContain('查 图斑号')
    })
  })
}
