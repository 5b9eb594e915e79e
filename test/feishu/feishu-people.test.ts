import * as lark from '@larksuiteoapi/node-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { feishuChannel } from '../../bot/feishu/feishu-channel.js'
import { centroidOf } from '../../core/index.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { APP_ID, APP_SECRET, cardActionEvent, deliverLongConnection, ENCRYPT_KEY, messageEvent, VERIFICATION_TOKEN, type MessageSpec } from '../support/feishu-events.js'
import { feishuHarness, type Way } from '../support/feishu-harness.js'
import type { FakeMessage } from '../support/feishu-open-api.js'
import { jpegWithExif } from '../support/jpeg-exif.js'

// people managed in the chat (登记 / 注销, by open_id from the mention), and cards kept up to date
const TOWNSHIP = '450329100' // 资源镇
const TOWNSHIP_GROUP = 'oc_people_ziyuan'
const OFFICE_GROUP = 'oc_people_office'
const STAFF = 'ou_staff_people'
const OFFICIAL = 'ou_official_new'
const LEADER = 'ou_leader_new'
const BOT = 'ou_bot'

const textOf = (m: FakeMessage) => (m.msgType === 'text' ? String(m.content.text) : JSON.stringify(m.content))
const bot = { key: '@_user_1', name: '卫片助手', openId: BOT }

for (const engine of engines) {
  for (const way of ['webhook', 'long connection'] as Way[]) {
    describe.skipIf(!(await engine.available()))(`people and card updates on Feishu by ${way} (${engine.name})`, () => {
      let t: TestDatabase
      let h: Awaited<ReturnType<typeof feishuHarness>>
      let tenantId: number

      beforeAll(async () => {
        t = await engine.open()
        h = await feishuHarness(t.db, { way })
        tenantId = (await t.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()).id
        // the one person registered outside the chat: a 卫片办 staff member
        await t.db.insertInto('people').values({ tenant_id: tenantId, platform: 'feishu', platform_user_id: STAFF, name: '李卫片', role: 'staff', township_id: null }).execute()
      })
      afterAll(async () => {
        await h?.close()
        await t?.close()
      })

      async function say(spec: Omit<MessageSpec, 'at'>): Promise<string> {
        const messageId = h.api.userMessage(spec.chatId, spec.messageId)
        await h.deliver(messageEvent({ ...spec, messageId, at: h.time.date() }))
        await h.settle()
        return textOf(h.api.sentTo(spec.chatId).pop()!)
      }
      const person = (openId: string) =>
        t.db.selectFrom('people').leftJoin('townships', 'townships.id', 'people.township_id').select(['people.name', 'people.role', 'townships.code']).where('platform', '=', 'feishu').where('platform_user_id', '=', openId).executeTakeFirst()

      it('tells an unknown sender in a bound group exactly what staff must send', async () => {
        await say({ chatId: TOWNSHIP_GROUP, senderId: STAFF, text: '绑定 资源镇' })
        await say({ chatId: OFFICE_GROUP, senderId: STAFF, text: '绑定 卫片办' })
        expect(await say({ chatId: TOWNSHIP_GROUP, senderId: OFFICIAL, text: '已核查 违法 农村乱占耕地建房' })).toContain('「登记 @您的名字 干事 资源镇」')
      })

      it('registers an official of the group’s township by the mention’s open_id, the bot’s own @ aside', async () => {
        const reply = await say({
          chatId: TOWNSHIP_GROUP,
          senderId: STAFF,
          text: '@_user_1 登记 @_user_2 干事',
          mentions: [bot, { key: '@_user_2', name: '张三', openId: OFFICIAL }],
        })
        expect(reply).toContain('已登记：张三 为资源镇乡镇人员')
        expect(await person(OFFICIAL)).toEqual({ name: '张三', role: 'official', code: TOWNSHIP })
        // and now the official is someone
        expect(await say({ chatId: TOWNSHIP_GROUP, senderId: OFFICIAL, text: '帮助' })).not.toContain('尚未登记')
      })

      it('refuses with a reason: no mention, an unknown township, a sender who is not staff', async () => {
        expect(await say({ chatId: OFFICE_GROUP, senderId: STAFF, text: '登记 张三 干事 资源镇' })).toContain('请在「登记」后 @ 要登记的人')
        expect(await say({ chatId: OFFICE_GROUP, senderId: STAFF, text: '登记 @_user_1 干事 桃花源镇', mentions: [{ key: '@_user_1', name: '王五', openId: 'ou_wangwu' }] })).toContain(
          '未找到乡镇「桃花源镇」',
        )
        expect(await say({ chatId: OFFICE_GROUP, senderId: STAFF, text: '登记 @_user_1 干事', mentions: [{ key: '@_user_1', name: '王五', openId: 'ou_wangwu' }] })).toContain('请写明乡镇')
        expect(await say({ chatId: TOWNSHIP_GROUP, senderId: OFFICIAL, text: '登记 @_user_1 卫片办', mentions: [{ key: '@_user_1', name: '张三', openId: OFFICIAL }] })).toContain(
          '只有县卫片办工作人员可以登记人员',
        )
        expect(await say({ chatId: OFFICE_GROUP, senderId: STAFF, text: '登记 @_user_1 卫片办', mentions: [{ key: '@_user_1', name: '李卫片', openId: STAFF }] })).toContain('不能更改自己的登记')
        expect(await person('ou_wangwu')).toBeUndefined()
        expect(await person(OFFICIAL)).toMatchObject({ role: 'official' })
      })

      it('registers a leader and staff, changes a role, and 注销 takes the account out (history kept)', async () => {
        expect(await say({ chatId: OFFICE_GROUP, senderId: STAFF, text: '登记 @_user_1 领导', mentions: [{ key: '@_user_1', name: '王局', openId: LEADER }] })).toContain('已登记：王局 为领导')
        expect(await person(LEADER)).toEqual({ name: '王局', role: 'leader', code: null })
        expect(await say({ chatId: OFFICE_GROUP, senderId: STAFF, text: '登记 @_user_1 卫片办', mentions: [{ key: '@_user_1', name: '王局', openId: LEADER }] })).toContain('已更新：王局 为县卫片办工作人员（原为领导）')
        expect(await say({ chatId: OFFICE_GROUP, senderId: STAFF, text: '注销 @_user_1', mentions: [{ key: '@_user_1', name: '王局', openId: LEADER }] })).toContain('已注销：王局')
        expect(await person(LEADER)).toBeUndefined()
        expect(await t.db.selectFrom('people').select('platform').where('name', '=', '王局').executeTakeFirst()).toEqual({ platform: 'revoked' })
        expect(await say({ chatId: OFFICE_GROUP, senderId: LEADER, text: '注销 @_user_1', mentions: [{ key: '@_user_1', name: '张三', openId: OFFICIAL }] })).toContain('尚未登记')
        expect(await say({ chatId: OFFICE_GROUP, senderId: STAFF, text: '注销 @_user_1', mentions: [{ key: '@_user_1', name: '王局', openId: LEADER }] })).toContain('未登记，无需注销')
      })

      it('updates the pushed card as the patch moves on, and answers a click with the card from the database after a restart', async () => {
        await h.runtime.dispatch()
        await h.settle()
        const card = h.api.sentTo(TOWNSHIP_GROUP).find((m) => m.msgType === 'interactive' && !JSON.stringify(m.content).includes('重点图斑'))!
        // the registered official reports with the card's button and a reply naming the violation type
        const value = { action: 'report', patchId: JSON.stringify(card.content).match(/"patchId":"(\d+)"/)![1]!, judgment: 'illegal' }
        await h.deliver(cardActionEvent({ chatId: TOWNSHIP_GROUP, operatorId: OFFICIAL, messageId: card.messageId, value, at: h.time.date() }))
        await h.settle()
        expect(card.patched).toBe(0) // still waiting for a judgment: nothing on the card changed
        await say({ chatId: TOWNSHIP_GROUP, senderId: OFFICIAL, text: '现场核查 违法 农村乱占耕地建房', parentId: card.messageId })
        expect(card.patched).toBe(0) // no photo yet: the report waits, the patch has not moved
        const patch = await t.db.selectFrom('patches').select(['id', 'geometry']).where('id', '=', Number(value.patchId)).executeTakeFirstOrThrow()
        const [lon, lat] = centroidOf(patch.geometry!)
        const photoId = `om_people_photo_${way.replace(' ', '_')}`
        h.api.addResource(photoId, 'img_v3_people_1', jpegWithExif({ lon, lat, takenAt: '2026:11:03 09:30:00' }))
        expect(await say({ chatId: TOWNSHIP_GROUP, senderId: OFFICIAL, messageId: photoId, image: 'img_v3_people_1', parentId: card.messageId })).toContain('已提交县卫片办审核')
        // reported: one update row, delivered as a patch of the original message
        const updates = await t.db.selectFrom('outbox').select(['status', 'sent_id']).where('kind', '=', 'update').where('platform', '=', 'feishu').execute()
        expect(updates).toEqual([{ status: 'sent', sent_id: card.messageId }])
        expect(card.patched).toBe(1)
        expect(JSON.stringify(card.content)).toContain('已核查上报')

        // a restarted process: a new channel, nothing in memory, answers the click from the database
        const fresh = feishuChannel({
          config: { appId: APP_ID, appSecret: APP_SECRET, mode: 'webhook', domain: h.api.url, encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN },
          db: t.db,
          cache: new lark.DefaultCache(),
          clock: h.time,
          now: h.time.date,
        })
        for (const receiver of fresh.receivers) await receiver.start(h.runtime.pipeline.accept)
        const answer = await deliverLongConnection(fresh, cardActionEvent({ chatId: TOWNSHIP_GROUP, operatorId: OFFICIAL, messageId: card.messageId, value: { action: 'query', patchId: value.patchId }, at: h.time.date() }))
        await h.runtime.pipeline.idle()
        expect(answer.toast).toMatchObject({ type: 'success' })
        const shown = JSON.stringify(answer.card)
        expect(shown).toContain('「查看详情」已收到')
        expect(shown).toContain(JSON.stringify(card.content).match(/JC\d+/)![0])
        expect(shown).toMatch(/"img_key":"img_v3_/) // the map is still on it
        expect(shown).toContain('已核查上报') // the newest version, not the card as first pushed
        expect(shown).not.toContain('"judgment":"illegal"')
        await h.settle()
      })
    })
  }
}
