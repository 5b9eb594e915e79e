import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inboundsFromMessage } from '../../bot/feishu/inbound-map.js'
import { answersUnbound, centroidOf } from '../../core/index.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { cardActionEvent, messageEvent, type MessageSpec } from '../support/feishu-events.js'
import { feishuHarness } from '../support/feishu-harness.js'
import type { FakeMessage } from '../support/feishu-open-api.js'
import { jpegWithExif } from '../support/jpeg-exif.js'
import { addCyclePeople } from '../support/cycle-people.js'

// The loose ends of issue 16, each seen against a Feishu stand-in.
const AT = new Date('2026-11-03T01:00:00Z')
const TOWNSHIP = '450329100' // 资源镇
const TOWNSHIP_GROUP = 'oc_loose_ziyuan'
const OFFICE_GROUP = 'oc_loose_office'
const STRANGER_GROUP = 'oc_loose_stranger'
const OFFICIAL = 'ou_official_loose'
const STAFF = 'ou_staff_loose'
const BOT = { key: '@_user_1', name: '卫片助手', openId: 'ou_bot' }
const flat = (e: { header: object; event?: unknown }): Record<string, never> => ({ ...e, ...e.header, ...(e.event as object) }) as never
const textOf = (m: FakeMessage) => (m.msgType === 'text' ? String(m.content.text) : JSON.stringify(m.content))
type Button = { text: { content: string }; behaviors: Array<{ value: Record<string, string> }> }
const buttonsOf = (m: FakeMessage): Button[] =>
  (m.content.body as { elements: Array<{ tag: string; columns?: Array<{ elements: Button[] }> }> }).elements
    .filter((e) => e.tag === 'column_set')
    .flatMap((e) => e.columns!.flatMap((c) => c.elements))

describe('@-mentions inside a rich-text post', () => {
  it('are read as in a text: the leading @ addresses the bot, the others are the people meant', () => {
    const post = { zh_cn: { title: '', content: [[{ tag: 'at', user_id: '@_user_1', user_name: '卫片助手' }, { tag: 'text', text: ' 登记 ' }, { tag: 'at', user_id: '@_user_2', user_name: '张三' }, { tag: 'text', text: ' 干事 资源镇' }]] } }
    const e = messageEvent({ chatId: 'oc_1', senderId: 'ou_1', at: AT, post, mentions: [BOT, { key: '@_user_2', name: '张三', openId: 'ou_zhang' }] })
    const [m] = inboundsFromMessage(flat(e), AT)
    expect(m).toMatchObject({ kind: 'text', text: '登记 干事 资源镇', mentions: [{ id: 'ou_zhang', name: '张三' }], addressed: true })
  })
  it('a post that does not @ the bot is not addressed to it', () => {
    const post = { title: '核查', content: [[{ tag: 'text', text: 'JC2026450329001 已核查 违法' }]] }
    const [m] = inboundsFromMessage(flat(messageEvent({ chatId: 'oc_1', senderId: 'ou_1', at: AT, post })), AT)
    expect(m).not.toHaveProperty('addressed')
    expect(m).not.toHaveProperty('mentions')
  })
})

describe('core: a group that is not bound', () => {
  it('is answered once, then only when the bot is @-mentioned (joining, 绑定 and direct chats always)', () => {
    const m = { joined: false, direct: false, addressed: false, bind: false, answeredBefore: false }
    expect(answersUnbound(m)).toBe(true)
    expect(answersUnbound({ ...m, answeredBefore: true })).toBe(false)
    expect(answersUnbound({ ...m, answeredBefore: true, addressed: true })).toBe(true)
    expect(answersUnbound({ ...m, answeredBefore: true, bind: true })).toBe(true)
    expect(answersUnbound({ ...m, answeredBefore: true, joined: true })).toBe(true)
    expect(answersUnbound({ ...m, answeredBefore: true, direct: true })).toBe(true)
  })
})

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`loose ends on Feishu (${engine.name})`, () => {
    let t: TestDatabase
    let h: Awaited<ReturnType<typeof feishuHarness>>

    beforeAll(async () => {
      t = await engine.open()
      h = await feishuHarness(t.db, { way: 'dispatcher' })
      await addCyclePeople(t.db, 'feishu', TOWNSHIP, { official: OFFICIAL, staff: STAFF })
    })
    afterAll(async () => {
      await h?.close()
      await t?.close()
    })

    async function say(spec: Omit<MessageSpec, 'at'>) {
      const messageId = h.api.userMessage(spec.chatId, spec.messageId)
      const answer = await h.deliver(messageEvent({ ...spec, messageId, at: h.time.date() }))
      await h.settle()
      return answer
    }

    it('a group that is not bound: answered once, then silent unless the bot is @-mentioned', async () => {
      await say({ chatId: STRANGER_GROUP, senderId: 'ou_someone', text: '今天开会吗' })
      expect(h.api.sentTo(STRANGER_GROUP).map(textOf)).toEqual([expect.stringContaining('本群尚未登记')])
      await say({ chatId: STRANGER_GROUP, senderId: 'ou_someone_else', text: '三点' })
      await say({ chatId: STRANGER_GROUP, senderId: 'ou_someone', text: '好的' })
      expect(h.api.sentTo(STRANGER_GROUP)).toHaveLength(1)
      await say({ chatId: STRANGER_GROUP, senderId: 'ou_someone', text: '@_user_1 你是谁', mentions: [BOT] })
      expect(h.api.sentTo(STRANGER_GROUP)).toHaveLength(2)
      expect(textOf(h.api.sentTo(STRANGER_GROUP)[1]!)).toContain('本群尚未登记')
      // every message is still kept
      expect(await t.db.selectFrom('inbound_messages').select('id').where('chat_id', '=', STRANGER_GROUP).execute()).toHaveLength(4)
    })

    it('a button the clicker may not use: the toast says no (and why), not 已收到', async () => {
      await say({ chatId: TOWNSHIP_GROUP, senderId: STAFF, text: '绑定 资源镇' })
      await say({ chatId: OFFICE_GROUP, senderId: STAFF, text: '绑定 卫片办' })
      await h.runtime.dispatch()
      await h.settle()
      const card = h.api.sentTo(TOWNSHIP_GROUP).find((m) => m.msgType === 'interactive')!
      const illegal = buttonsOf(card).find((b) => b.text.content === '违法')!.behaviors[0]!.value
      // an unregistered clicker may do nothing; an official may not confirm (staff review)
      const confirm = { action: 'confirm', patchId: illegal.patchId! }
      for (const [operator, value] of [['ou_nobody', illegal], [OFFICIAL, confirm]] as const) {
        const answer = await h.deliver(cardActionEvent({ chatId: TOWNSHIP_GROUP, operatorId: operator, messageId: card.messageId, value, at: h.time.date() }))
        await h.settle()
        expect(answer.toast).toMatchObject({ type: 'error' })
        expect(JSON.stringify(answer.toast)).not.toContain('已收到')
        expect(answer).not.toHaveProperty('card')
      }
      // the one who may: success
      const ok = await h.deliver(cardActionEvent({ chatId: TOWNSHIP_GROUP, operatorId: OFFICIAL, messageId: card.messageId, value: illegal, at: h.time.date() }))
      await h.settle()
      expect(ok.toast).toMatchObject({ type: 'success' })
    })

    it('a direct chat with the bot is known: a photo sent privately links to the sender\'s open step', async () => {
      const card = h.api.sentTo(TOWNSHIP_GROUP).find((m) => m.msgType === 'interactive')!
      const number = /JC\d+/.exec(JSON.stringify(card.content))![0]
      const patch = await t.db.selectFrom('patches').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
      const [lon, lat] = centroidOf(patch.geometry!)
      const DIRECT = 'oc_direct_official'
      h.time.advance(60_000)
      const photoId = 'om_direct_photo_1'
      h.api.addResource(photoId, 'img_v3_direct_1', jpegWithExif({ lon, lat, takenAt: '2026:11:03 09:05:00' }))
      await say({ chatId: DIRECT, senderId: OFFICIAL, messageId: photoId, image: 'img_v3_direct_1', chatType: 'p2p' })
      expect(h.api.sentTo(DIRECT).map(textOf).join('\n')).toContain(`已关联到图斑 ${number}`)
      expect(await t.db.selectFrom('evidence').select('kind').where('patch_id', '=', patch.id).execute()).toContainEqual({ kind: 'photo' })
    })
  })
}
