import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { centroidOf } from '../../core/index.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { jpegWithExif } from '../support/jpeg-exif.js'
import { cardEventBody, messageBody, msgid, wecomHarness } from '../support/wecom-harness.js'
import type { DeliveredMessage } from '../support/wecom-server.js'
import { addCyclePeople } from '../support/cycle-people.js'

// 资源镇, as in the Feishu cycle (test/feishu/feishu-cycle.test.ts); chat ids and userids as WeCom makes them
const TOWNSHIP = '450329100'
const TOWNSHIP_GROUP = 'wrkSFfCgAAxyzTownship0001'
const OFFICE_GROUP = 'wrkSFfCgAAxyzOffice00002'
const OFFICIAL = 'TangXiangZhen'
const STAFF = 'LiWeiPian'
const AT_BOT = '@卫片执法助手 '

type Button = { text: string; key: string }
const cardOf = (m: DeliveredMessage) => m.body.template_card as { task_id: string; main_title: { title: string }; button_list: Button[]; horizontal_content_list?: Array<{ keyname: string; value: string }> }
const textOf = (m: DeliveredMessage): string =>
  m.msgtype === 'stream' ? String((m.body.stream as { content: string }).content)
    : m.msgtype === 'markdown' ? String((m.body.markdown as { content: string }).content)
      : JSON.stringify(m.body)

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`the patch cycle on WeCom through the real SDK (${engine.name})`, () => {
    let t: TestDatabase
    let h: Awaited<ReturnType<typeof wecomHarness>>

    beforeAll(async () => {
      t = await engine.open()
      h = await wecomHarness(t.db)
      // people are per platform: these are the WeCom accounts (userids) of a township official and a 卫片办 staff member
      await addCyclePeople(t.db, 'wecom', TOWNSHIP, { official: OFFICIAL, staff: STAFF })
    })
    afterAll(async () => {
      await h?.close()
      await t?.close()
    })

    /** A member's message over the socket; handled and answered before it returns. */
    async function say(spec: Parameters<typeof messageBody>[0]) {
      const body = messageBody({ ...spec, at: h.time.date() })
      expect(await h.push('message', body)).toBe('accepted')
      await h.settle()
      return String(body.msgid)
    }
    const after = (chat: string, count: number) => h.server.sentTo(chat).slice(count)
    async function press(chat: string, card: DeliveredMessage, label: string, from = STAFF) {
      const button = cardOf(card).button_list.find((b) => b.text === label)
      expect(button, `button ${label}`).toBeDefined()
      const outcome = await h.push('event', cardEventBody({ chatId: chat, from, taskId: cardOf(card).task_id, eventKey: button!.key }))
      await h.settle()
      return outcome
    }

    it('subscribes with the bot id and secret; the first message in a group says how to write here; staff bind two groups', async () => {
      expect(h.server.subscribes).toEqual([{ botId: expect.any(String), ok: true }])
      await say({ chatId: TOWNSHIP_GROUP, from: OFFICIAL, text: `${AT_BOT}绑定 资源镇` })
      const first = h.server.sentTo(TOWNSHIP_GROUP).map(textOf)
      expect(first[0]).toMatch(/绑定 资源镇/)
      expect(first[0]).toMatch(/@卫片执法助手/)
      expect(first[0]).toMatch(/同一条消息.*图文混排.*私聊/)
      expect(first[1]).toMatch(/只有县卫片办工作人员可以绑定群聊/) // an official cannot bind

      const asked = await say({ chatId: TOWNSHIP_GROUP, from: STAFF, text: `${AT_BOT}绑定 资源镇` })
      const bound = h.server.sentTo(TOWNSHIP_GROUP).pop()!
      expect(textOf(bound)).toContain('已绑定：本群为资源镇的乡镇群')
      // the answer went through the message's respond frame, as a finished stream
      expect(bound).toMatchObject({ via: 'respond', msgtype: 'stream', body: { stream: { finish: true } } })
      expect(asked).toBeTruthy()
      await say({ chatId: OFFICE_GROUP, from: STAFF, text: `${AT_BOT}绑定 卫片办` })
      expect(textOf(h.server.sentTo(OFFICE_GROUP).pop()!)).toContain('县卫片办工作群')
      const chats = await t.db.selectFrom('chats').select(['platform_chat_id', 'kind']).where('platform', '=', 'wecom').orderBy('id').execute()
      expect(chats).toEqual([
        { platform_chat_id: TOWNSHIP_GROUP, kind: 'township' },
        { platform_chat_id: OFFICE_GROUP, kind: 'office' },
      ])
    })

    it('pushes each new patch as a template card with buttons, its map uploaded and sent as a picture first', async () => {
      const before = h.server.sentTo(TOWNSHIP_GROUP).length
      await h.runtime.dispatch()
      await h.settle()
      const sent = after(TOWNSHIP_GROUP, before)
      const cards = sent.filter((m) => m.msgtype === 'template_card')
      expect(cards.length).toBeGreaterThan(0)
      const card = cardOf(cards[0]!)
      expect(card.task_id).toMatch(/^[A-Za-z0-9_\-@]{1,128}$/)
      expect(card.button_list.map((b) => b.text)).toEqual(['违法', '合法', '其他用地', '查看详情'])
      expect(JSON.parse(card.button_list[0]!.key)).toMatchObject({ action: 'report', judgment: 'illegal' })
      expect(cards.every((m) => m.via === 'send')).toBe(true)
      // the picture before the card: an image message whose media was uploaded in chunks through the socket
      const picture = sent[sent.indexOf(cards[0]!) - 1]!
      expect(picture.msgtype).toBe('image')
      const media = h.server.media.get((picture.body.image as { media_id: string }).media_id)!
      expect(media.type).toBe('image')
      expect(media.bytes.subarray(1, 4).toString()).toBe('PNG')
      // military land never reaches a township group
      const military = await t.db.selectFrom('patches').select('number').where('military', '=', true).execute()
      for (const m of military) expect(JSON.stringify(h.server.sentTo(TOWNSHIP_GROUP))).not.toContain(m.number)
    })

    it('runs the cycle: 违法 button, a mixed report with a photo, confirm button, 已拆除复耕 + a photo sent privately, accept → closed', async () => {
      const cardMsg = h.server.sentTo(TOWNSHIP_GROUP).find((m) => m.msgtype === 'template_card' && !JSON.stringify(m.body).includes('重点图斑'))!
      const number = /JC\d+/.exec(JSON.stringify(cardMsg.body))![0]
      const patch = await t.db.selectFrom('patches').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
      const [lon, lat] = centroidOf(patch.geometry!)

      // 1. the official presses 违法: the card shows the press at once (update within 5 s), the answer follows
      h.time.advance(60 * 60_000)
      let seen = h.server.sentTo(TOWNSHIP_GROUP).length
      expect(await press(TOWNSHIP_GROUP, cardMsg, '违法', OFFICIAL)).toBe('accepted')
      const update = h.server.cardUpdates.find((u) => u.taskId === cardOf(cardMsg).task_id)!
      expect(JSON.stringify(update.card)).toContain('「违法」已收到')
      expect(after(TOWNSHIP_GROUP, seen).map(textOf).join()).toMatch(/还缺.*违法类型/)

      // 2. one 图文混排 message: @bot, the number, the finding and a photo — the way a WeCom group passes photos
      h.time.advance(2 * 60_000)
      const photo = jpegWithExif({ lon, lat, takenAt: '2026:11:03 09:50:00' })
      const file = h.server.addFile(photo)
      seen = h.server.sentTo(TOWNSHIP_GROUP).length
      await say({ chatId: TOWNSHIP_GROUP, from: OFFICIAL, text: `${AT_BOT}${number} 已核查 违法 农村乱占耕地建房`, images: [file] })
      const answers = after(TOWNSHIP_GROUP, seen).map(textOf).join('\n')
      expect(answers).toContain(`已关联到图斑 ${number}`)
      expect(answers).toContain('已提交县卫片办审核')
      const evidence = await t.db.selectFrom('evidence').select(['sha256', 'kind']).where('patch_id', '=', patch.id).execute()
      expect(evidence).toContainEqual({ kind: 'photo', sha256: createHash('sha256').update(photo).digest('hex') }) // downloaded and decrypted byte-exact
      const review = h.server.sentTo(OFFICE_GROUP).filter((m) => m.msgtype === 'template_card' && JSON.stringify(m.body).includes(number)).pop()!
      expect(JSON.stringify(review.body)).toContain('待审核')

      // 3. staff confirm with the review card's button
      h.time.advance(30 * 60_000)
      seen = h.server.sentTo(TOWNSHIP_GROUP).length
      const officeSeen = h.server.sentTo(OFFICE_GROUP).length
      await press(OFFICE_GROUP, review, '确认')
      expect(after(OFFICE_GROUP, officeSeen).map(textOf).join()).toContain('进入整改')
      expect(after(TOWNSHIP_GROUP, seen).map(textOf).join()).toContain('整改')

      // 4. rectification a week later: 已拆除复耕 in the group, the photo in the one-to-one chat with the bot
      h.time.advance(7 * 24 * 60 * 60_000)
      await say({ chatId: TOWNSHIP_GROUP, from: OFFICIAL, text: `${AT_BOT}${number} 已拆除复耕` })
      const second = h.server.addFile(jpegWithExif({ lon, lat, takenAt: '2026:11:10 10:00:00', salt: 2 }))
      const privateSeen = h.server.sentTo(OFFICIAL).length
      await say({ from: OFFICIAL, images: [second] })
      // the one step waiting for a photo (core linking)
      expect(after(OFFICIAL, privateSeen).map(textOf).join()).toContain(`已关联到图斑 ${number}`)
      expect((await t.db.selectFrom('patches').select('state').where('id', '=', patch.id).executeTakeFirstOrThrow()).state).toBe('rectified')

      // a picture whose link has expired: a clear answer, the message kept and handled
      const stale = h.server.addFile(jpegWithExif({ lon, lat, takenAt: '2026:11:10 10:05:00', salt: 3 }))
      h.server.expire(stale.id)
      const staleId = await say({ from: OFFICIAL, images: [stale] })
      expect(textOf(h.server.sentTo(OFFICIAL).pop()!)).toMatch(/未能读取这张照片.*请重新发送/)
      expect(await t.db.selectFrom('inbound_messages').select('status').where('message_id', '=', staleId).executeTakeFirstOrThrow()).toEqual({ status: 'handled' })

      // 5. staff accept with the 待验收 card's button → closed
      const acceptance = h.server.sentTo(OFFICE_GROUP).filter((m) => m.msgtype === 'template_card' && JSON.stringify(m.body).includes('待验收')).pop()!
      seen = h.server.sentTo(TOWNSHIP_GROUP).length
      await press(OFFICE_GROUP, acceptance, '验收通过')
      expect((await t.db.selectFrom('patches').select('state').where('id', '=', patch.id).executeTakeFirstOrThrow()).state).toBe('closed')
      expect(after(TOWNSHIP_GROUP, seen).map(textOf).join()).toContain('已办结')

      const events = await t.db.selectFrom('patch_events').select('type').where('patch_id', '=', patch.id).orderBy('seq').execute()
      for (const type of ['pushed', 'proposal_recorded', 'evidence_added', 'reported', 'judged', 'rectification_started', 'rectified', 'accepted', 'closed']) {
        expect(events.map((e) => e.type)).toContain(type)
      }
      expect(await t.db.selectFrom('outbox').select('id').where('platform', '=', 'wecom').where('status', '!=', 'sent').execute()).toEqual([])
      expect(await t.db.selectFrom('inbound_messages').select('error').where('status', '!=', 'handled').execute()).toEqual([])
    })

    it('answers 查 through the respond frame; a quote of a patch message names the patch', async () => {
      const number = (await t.db.selectFrom('patches').select('number').where('state', '=', 'closed').executeTakeFirstOrThrow()).number
      await say({ chatId: OFFICE_GROUP, from: STAFF, text: `${AT_BOT}查 ${number}` })
      const answer = h.server.sentTo(OFFICE_GROUP).pop()!
      expect(answer.via).toBe('respond')
      expect(textOf(answer)).toMatch(/状态：已办结/)
      // 「引用」 a bot message that names the patch, and ask 查 without a number
      await say({ chatId: OFFICE_GROUP, from: STAFF, text: `${AT_BOT}查`, quote: `图斑 ${number} 已办结` })
      expect(textOf(h.server.sentTo(OFFICE_GROUP).pop()!)).toContain(`图斑 ${number}`)
    })

    it('takes the same msgid twice once', async () => {
      const body = messageBody({ chatId: OFFICE_GROUP, from: STAFF, text: `${AT_BOT}逾期`, msgid: msgid() })
      const before = h.server.sentTo(OFFICE_GROUP).length
      expect(await h.push('message', body)).toBe('accepted')
      expect(await h.push('message', body)).toBe('duplicate')
      await h.settle()
      expect(h.server.sentTo(OFFICE_GROUP).length).toBe(before + 1)
      expect(await t.db.selectFrom('inbound_messages').select('id').where('message_id', '=', String(body.msgid)).execute()).toHaveLength(1)
    })

    it('reconnects and subscribes again after the connection drops, and goes on taking messages', async () => {
      const subscribed = h.server.subscribes.length
      h.server.dropConnection()
      await h.server.subscribed(subscribed + 1)
      expect(h.server.subscribes.at(-1)).toMatchObject({ ok: true })
      await say({ chatId: OFFICE_GROUP, from: STAFF, text: `${AT_BOT}统计` })
      expect(textOf(h.server.sentTo(OFFICE_GROUP).pop()!)).toMatch(/资源/)
      expect(h.logs.join('\n')).toMatch(/企业微信长连接断开/)
      // nothing secret in the logs
      expect(h.logs.join('\n')).not.toContain('test-bot-secret')
      expect(h.logs.join('\n')).not.toMatch(/aeskey/i)
    })
  })
}
