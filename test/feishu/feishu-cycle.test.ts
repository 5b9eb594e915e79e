import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { centroidOf } from '../../core/index.js'
import { storedEventHash } from '../../db/events.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { botAddedEvent, cardActionEvent, messageEvent, type MessageSpec } from '../support/feishu-events.js'
import { feishuHarness, type Way } from '../support/feishu-harness.js'
import type { FakeMessage } from '../support/feishu-open-api.js'
import { jpegWithExif } from '../support/jpeg-exif.js'
import { addCyclePeople } from '../support/cycle-people.js'

// 资源镇, as in the console cycle (test/bot/console-cycle.test.ts)
const TOWNSHIP = '450329100'
const TOWNSHIP_GROUP = 'oc_3f2a9c1d7e5b4a60b1c2d3e4f5a6b7c8'
const OFFICE_GROUP = 'oc_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b'
const OFFICIAL = 'ou_official_ziyuan'
const STAFF = 'ou_staff_weipianban'
const BOT = 'ou_bot'

type Button = { tag: string; text: { content: string }; behaviors: Array<{ type: string; value: Record<string, string> }> }
const buttonsOf = (m: FakeMessage): Button[] =>
  JSON.stringify(m.content).includes('"column_set"')
    ? ((m.content.body as { elements: Array<{ tag: string; columns?: Array<{ elements: Button[] }> }> }).elements
        .filter((e) => e.tag === 'column_set')
        .flatMap((e) => e.columns!.flatMap((c) => c.elements)))
    : []
const textOf = (m: FakeMessage) => (m.msgType === 'text' ? String(m.content.text) : JSON.stringify(m.content))

for (const engine of engines) {
  for (const way of ['webhook', 'long connection'] as Way[]) {
    describe.skipIf(!(await engine.available()))(`the patch cycle on Feishu by ${way} (${engine.name})`, () => {
      let t: TestDatabase
      let h: Awaited<ReturnType<typeof feishuHarness>>

      beforeAll(async () => {
        t = await engine.open()
        h = await feishuHarness(t.db, { way })
        // people are per platform: these are the Feishu accounts of a township official and a 卫片办 staff member
        await addCyclePeople(t.db, 'feishu', TOWNSHIP, { official: OFFICIAL, staff: STAFF })
      })
      afterAll(async () => {
        await h?.close()
        await t?.close()
      })

      /** A user's message: known to the fake server (so it can be replied to), then delivered. */
      async function say(spec: Omit<MessageSpec, 'at'>) {
        const messageId = h.api.userMessage(spec.chatId, spec.messageId)
        await h.deliver(messageEvent({ ...spec, messageId, at: h.time.date() }))
        await h.settle()
        return messageId
      }
      const after = (chat: string, count: number) => h.api.sentTo(chat).slice(count)
      async function press(chat: string, card: FakeMessage, label: string, operator = STAFF) {
        const button = buttonsOf(card).find((b) => b.text.content === label)
        expect(button, `button ${label}`).toBeDefined()
        const answer = await h.deliver(cardActionEvent({ chatId: chat, operatorId: operator, messageId: card.messageId, value: button!.behaviors[0]!.value, at: h.time.date() }))
        await h.settle()
        return answer
      }

      it('is added to two groups, says how to bind, and a staff member binds them (with the bot @-mentioned)', async () => {
        await h.deliver(botAddedEvent({ chatId: TOWNSHIP_GROUP, operatorId: STAFF, at: h.time.date() }))
        await h.settle()
        expect(textOf(h.api.sentTo(TOWNSHIP_GROUP)[0]!)).toMatch(/绑定 资源镇/)

        // an official cannot bind; the stranger's group stays unknown
        await say({ chatId: TOWNSHIP_GROUP, senderId: OFFICIAL, text: '绑定 资源镇' })
        expect(textOf(h.api.sentTo(TOWNSHIP_GROUP).pop()!)).toMatch(/只有县卫片办工作人员可以绑定群聊/)

        await say({ chatId: TOWNSHIP_GROUP, senderId: STAFF, text: '@_user_1 绑定 资源镇', mentions: [{ key: '@_user_1', name: '卫片助手', openId: BOT }] })
        expect(textOf(h.api.sentTo(TOWNSHIP_GROUP).pop()!)).toContain('已绑定：本群为资源镇的乡镇群')
        await say({ chatId: OFFICE_GROUP, senderId: STAFF, text: '绑定 卫片办' })
        expect(textOf(h.api.sentTo(OFFICE_GROUP).pop()!)).toContain('县卫片办工作群')
        const chats = await t.db.selectFrom('chats').select(['platform_chat_id', 'kind']).where('platform', '=', 'feishu').orderBy('id').execute()
        expect(chats).toEqual([
          { platform_chat_id: TOWNSHIP_GROUP, kind: 'township' },
          { platform_chat_id: OFFICE_GROUP, kind: 'office' },
        ])
      })

      it('pushes each new patch to the township group as a card JSON 2.0 with the map uploaded and buttons', async () => {
        const before = h.api.sentTo(TOWNSHIP_GROUP).length
        await h.runtime.dispatch()
        await h.settle()
        const cards = after(TOWNSHIP_GROUP, before).filter((m) => m.msgType === 'interactive')
        expect(cards.length).toBeGreaterThan(0)
        const card = cards[0]!
        expect(card.content.schema).toBe('2.0')
        const img = JSON.stringify(card.content).match(/"img_key":"(img_v3_[0-9a-f]+)"/)?.[1]
        expect(img).toBeDefined()
        expect(h.api.images.get(img!)!.subarray(1, 4).toString()).toBe('PNG')
        expect(buttonsOf(card).map((b) => b.text.content)).toEqual(['违法', '合法', '其他用地', '查看详情'])
        expect(buttonsOf(card)[0]!.behaviors[0]).toMatchObject({ type: 'callback', value: { action: 'report', judgment: 'illegal' } })
        // sends carry the outbox key as uuid, within Feishu's 50 characters
        const uuids = h.api.requests.filter((r) => r.path === '/open-apis/im/v1/messages').map((r) => (r.body as { uuid: string }).uuid)
        expect(uuids.every((u) => u.length <= 50)).toBe(true)
        expect(new Set(uuids).size).toBe(uuids.length)
        // military land never reaches a township group
        const military = await t.db.selectFrom('patches').select('number').where('military', '=', true).execute()
        for (const m of military) expect(JSON.stringify(h.api.sentTo(TOWNSHIP_GROUP))).not.toContain(m.number)
      })

      it('runs the whole cycle: 违法 button + photo, confirm button, 已拆除复耕 + photo, accept button → closed', async () => {
        const card = h.api.sentTo(TOWNSHIP_GROUP).find((m) => m.msgType === 'interactive' && !JSON.stringify(m.content).includes('重点图斑'))!
        const number = /JC\d+/.exec(JSON.stringify(card.content))![0]
        const patch = await t.db.selectFrom('patches').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
        const [lon, lat] = centroidOf(patch.geometry!)

        // 1. the official presses 违法 on the card: a toast at once, the card shows the click, the answer follows
        h.time.advance(60 * 60_000)
        let seen = h.api.sentTo(TOWNSHIP_GROUP).length
        const answer = await press(TOWNSHIP_GROUP, card, '违法', OFFICIAL)
        expect(answer.toast).toMatchObject({ type: 'success' })
        expect(JSON.stringify(answer.card)).toContain('「违法」已收到')
        expect(after(TOWNSHIP_GROUP, seen).map(textOf).join()).toMatch(/还缺.*违法类型/)
        // the violation type, as a reply to the card (in its thread)
        await say({ chatId: TOWNSHIP_GROUP, senderId: OFFICIAL, text: '已核查 违法 农村乱占耕地建房', parentId: card.messageId })
        expect(h.api.sentTo(TOWNSHIP_GROUP).pop()!.content.text).toMatch(/还缺.*照片/)

        // 2. a photo taken on the spot, as a reply to the card: downloaded through the SDK and kept as evidence
        h.time.advance(2 * 60_000)
        const photo = jpegWithExif({ lon, lat, takenAt: '2026:11:03 09:50:00' })
        seen = h.api.sentTo(TOWNSHIP_GROUP).length
        const photoId = `om_photo_${way.replace(' ', '_')}_1`
        h.api.addResource(photoId, 'img_v3_photo_1', photo)
        await say({ chatId: TOWNSHIP_GROUP, senderId: OFFICIAL, messageId: photoId, image: 'img_v3_photo_1', parentId: card.messageId })
        const afterPhoto = after(TOWNSHIP_GROUP, seen)
        expect(afterPhoto.map(textOf).join('\n')).toContain(`已关联到图斑 ${number}`)
        expect(afterPhoto.map(textOf).join('\n')).toContain('已提交县卫片办审核')
        const reply = afterPhoto.find((m) => textOf(m).includes('已关联到图斑'))!
        expect(reply).toMatchObject({ parentId: photoId, replyInThread: true }) // answered in the photo's thread
        expect(h.api.requests.some((r) => r.path === `/open-apis/im/v1/messages/${photoId}/resources/img_v3_photo_1` && r.query.type === 'image')).toBe(true)
        const evidence = await t.db.selectFrom('evidence').select(['sha256', 'kind']).where('patch_id', '=', patch.id).execute()
        expect(evidence).toContainEqual({ kind: 'photo', sha256: createHash('sha256').update(photo).digest('hex') })
        // the card in the township group is updated in place (im.message.patch): reported, the judgment buttons gone
        expect(card.patched).toBeGreaterThan(0)
        expect(JSON.stringify(card.content)).toContain('已核查上报')
        expect(buttonsOf(card).map((b) => b.text.content)).toEqual(['查看详情'])
        expect(h.api.requests.some((r) => r.method === 'PATCH' && r.path === `/open-apis/im/v1/messages/${card.messageId}`)).toBe(true)
        const review = h.api.sentTo(OFFICE_GROUP).filter((m) => m.msgType === 'interactive' && JSON.stringify(m.content).includes(number)).pop()!
        expect(JSON.stringify(review.content)).toContain('待审核')

        // 3. staff confirm with the review card's button
        h.time.advance(30 * 60_000)
        seen = h.api.sentTo(TOWNSHIP_GROUP).length
        const officeSeen = h.api.sentTo(OFFICE_GROUP).length
        await press(OFFICE_GROUP, review, '确认')
        expect(after(OFFICE_GROUP, officeSeen).map(textOf).join()).toContain('进入整改')
        expect(after(TOWNSHIP_GROUP, seen).map(textOf).join()).toContain('整改')
        // the office's 待审核 card is updated in place: decided, its 确认 / 退回 buttons gone
        expect(review.patched).toBeGreaterThan(0)
        expect(buttonsOf(review).map((b) => b.text.content)).not.toContain('确认')
        expect(buttonsOf(review).map((b) => b.text.content)).not.toContain('退回')

        // 4. rectification: 已拆除复耕 and a new photo, a week later
        h.time.advance(7 * 24 * 60 * 60_000)
        await say({ chatId: TOWNSHIP_GROUP, senderId: OFFICIAL, text: `${number} 已拆除复耕` })
        const photo2Id = `om_photo_${way.replace(' ', '_')}_2`
        h.api.addResource(photo2Id, 'img_v3_photo_2', jpegWithExif({ lon, lat, takenAt: '2026:11:10 10:00:00', salt: 2 }))
        await say({ chatId: TOWNSHIP_GROUP, senderId: OFFICIAL, messageId: photo2Id, image: 'img_v3_photo_2' })
        expect((await t.db.selectFrom('patches').select('state').where('id', '=', patch.id).executeTakeFirstOrThrow()).state).toBe('rectified')

        // 5. staff accept with the 待验收 card's button → closed
        const acceptance = h.api.sentTo(OFFICE_GROUP).filter((m) => m.msgType === 'interactive' && JSON.stringify(m.content).includes('待验收')).pop()!
        seen = h.api.sentTo(TOWNSHIP_GROUP).length
        await press(OFFICE_GROUP, acceptance, '验收通过')
        expect((await t.db.selectFrom('patches').select('state').where('id', '=', patch.id).executeTakeFirstOrThrow()).state).toBe('closed')
        expect(after(TOWNSHIP_GROUP, seen).map(textOf).join()).toContain('已办结')
        // … and at the end it is grey and says 已办结; a click on it now answers with that card (from the database)
        expect(card.content).toMatchObject({ header: { template: 'grey' } })
        expect(JSON.stringify(card.content)).toContain('已办结')
        const late = await press(TOWNSHIP_GROUP, card, '查看详情', OFFICIAL)
        expect(JSON.stringify(late.card)).toContain('已办结')
        expect(JSON.stringify(late.card)).toContain('「查看详情」已收到')

        // the event history is complete and its hash chain holds
        const events = await t.db.selectFrom('patch_events').selectAll().where('patch_id', '=', patch.id).orderBy('seq').execute()
        for (const type of ['pushed', 'proposal_recorded', 'evidence_added', 'reported', 'judged', 'rectification_started', 'rectified', 'accepted', 'closed']) {
          expect(events.map((e) => e.type)).toContain(type)
        }
        let prev = ''
        for (const e of events) {
          expect(e.prev_hash).toBe(prev) // each event holds the hash of the one before
          expect(e.hash).toBe(storedEventHash(e, patch.number))
          prev = e.hash
        }
        // nothing dead, nothing pending, nothing failed
        expect(await t.db.selectFrom('outbox').select('id').where('platform', '=', 'feishu').where('status', '!=', 'sent').execute()).toEqual([])
        expect(await t.db.selectFrom('inbound_messages').select('error').where('status', '!=', 'handled').execute()).toEqual([])
      })

      it('answers 查 with the patch state, in a thread under the question', async () => {
        const number = (await t.db.selectFrom('patches').select('number').where('state', '=', 'closed').executeTakeFirstOrThrow()).number
        const asked = await say({ chatId: OFFICE_GROUP, senderId: STAFF, text: `查 ${number}` })
        const answer = h.api.sentTo(OFFICE_GROUP).pop()!
        expect(textOf(answer)).toMatch(/状态：已办结/)
        expect(answer.parentId).toBe(asked)
      })
    })
  }
}
