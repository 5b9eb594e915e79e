// The office's review card on Feishu, through the real Lark SDK against the local Open API: it
// carries the facts, the navigation links and one picture (map + contact sheet), and is patched in
// place as more photos arrive; each photo gets one answer in the township group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { centroidOf } from '../../core/index.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { botAddedEvent, messageEvent, type MessageSpec } from '../support/feishu-events.js'
import { feishuHarness } from '../support/feishu-harness.js'
import type { FakeMessage } from '../support/feishu-open-api.js'
import { jpegWithExif } from '../support/jpeg-exif.js'
import { addCyclePeople } from '../support/cycle-people.js'
import { decodePng } from '../support/png.js'

const TOWNSHIP = '450329100'
const TOWNSHIP_GROUP = 'oc_review_township_group_0000000001'
const OFFICE_GROUP = 'oc_review_office_group_000000000001'
const OFFICIAL = 'ou_review_official'
const STAFF = 'ou_review_staff'
const textOf = (m: FakeMessage) => (m.msgType === 'text' ? String(m.content.text) : JSON.stringify(m.content))

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`the review card on Feishu (${engine.name})`, () => {
    let t: TestDatabase
    let h: Awaited<ReturnType<typeof feishuHarness>>
    beforeAll(async () => {
      t = await engine.open()
      h = await feishuHarness(t.db, { way: 'webhook' })
      await addCyclePeople(t.db, 'feishu', TOWNSHIP, { official: OFFICIAL, staff: STAFF })
      for (const chat of [TOWNSHIP_GROUP, OFFICE_GROUP]) await h.deliver(botAddedEvent({ chatId: chat, operatorId: STAFF, at: h.time.date() }))
      await h.settle()
    })
    afterAll(async () => {
      await h?.close()
      await t?.close()
    })
    async function say(spec: Omit<MessageSpec, 'at'>) {
      const messageId = h.api.userMessage(spec.chatId, spec.messageId)
      await h.deliver(messageEvent({ ...spec, messageId, at: h.time.date() }))
      await h.settle()
      return messageId
    }
    const imageOf = (m: FakeMessage) => {
      const key = JSON.stringify(m.content).match(/"img_key":"(img_v3_[0-9a-f]+)"/)?.[1]
      return key ? h.api.images.get(key) : undefined
    }

    it('shows the reviewer the facts, the links and the map with the photos, and keeps it current', async () => {
      await say({ chatId: TOWNSHIP_GROUP, senderId: STAFF, text: '绑定 资源镇' })
      await say({ chatId: OFFICE_GROUP, senderId: STAFF, text: '绑定 卫片办' })
      await h.runtime.dispatch()
      await h.settle()
      const card = h.api.sentTo(TOWNSHIP_GROUP).find((m) => m.msgType === 'interactive' && !JSON.stringify(m.content).includes('重点图斑'))!
      const number = /JC\d+/.exec(JSON.stringify(card.content))![0]
      const patch = await t.db.selectFrom('patches').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
      const [lon, lat] = centroidOf(patch.geometry!)
      // the township's card links to the phone's map app
      expect(JSON.stringify(card.content)).toContain('(https://uri.amap.com/marker?position=')

      await say({ chatId: TOWNSHIP_GROUP, senderId: OFFICIAL, text: '已核查 违法 农村乱占耕地建房', parentId: card.messageId })
      h.time.advance(60_000)
      const photoId = h.api.userMessage(TOWNSHIP_GROUP, 'om_review_photo_1')
      h.api.addResource(photoId, 'img_v3_review_1', jpegWithExif({ lon, lat, takenAt: '2026:11:03 09:50:00' }))
      let seen = h.api.sentTo(TOWNSHIP_GROUP).length
      await say({ chatId: TOWNSHIP_GROUP, senderId: OFFICIAL, messageId: photoId, image: 'img_v3_review_1', parentId: card.messageId })
      // one answer to the photo: linked and submitted, in one message
      const answers = h.api.sentTo(TOWNSHIP_GROUP).slice(seen).filter((m) => m.parentId === photoId)
      expect(answers).toHaveLength(1)
      expect(textOf(answers[0]!)).toContain(`已关联到图斑 ${number}`)
      expect(textOf(answers[0]!)).toContain('已提交县卫片办审核')

      const review = h.api.sentTo(OFFICE_GROUP).filter((m) => m.msgType === 'interactive' && textOf(m).includes('待审核')).pop()!
      const content = textOf(review)
      expect(content).toContain('上报判定')
      expect(content).toContain('农村乱占耕地建房')
      expect(content).toContain(`${patch.category}（土地）`)
      expect(content).toMatch(/其中耕地[\d.]+亩、永久基本农田[\d.]+亩/)
      expect(content).toContain('照片**：1张')
      expect(content).toMatch(/东经 \d+°\d\d\.\d{3}′ 北纬 \d+°\d\d\.\d{3}′/)
      expect(content).toContain('(https://api.map.baidu.com/marker?location=')
      const first = decodePng(imageOf(review)!)
      expect(first.height).toBeGreaterThan(560) // the map, and the contact sheet under it

      // a second photo, far from the patch: one answer saying it does not count, no receipt before it
      h.time.advance(60_000)
      const farId = h.api.userMessage(TOWNSHIP_GROUP, 'om_review_photo_2')
      h.api.addResource(farId, 'img_v3_review_2', jpegWithExif({ lon: lon + 0.02, lat, takenAt: '2026:11:03 10:05:00', salt: 2 }))
      seen = h.api.sentTo(TOWNSHIP_GROUP).length
      const patchedBefore = review.patched
      await say({ chatId: TOWNSHIP_GROUP, senderId: OFFICIAL, messageId: farId, image: 'img_v3_review_2', parentId: card.messageId })
      const farAnswers = h.api.sentTo(TOWNSHIP_GROUP).slice(seen).filter((m) => m.parentId === farId)
      expect(farAnswers).toHaveLength(1)
      expect(textOf(farAnswers[0]!)).toContain('不计入举证')
      expect(textOf(farAnswers[0]!)).not.toContain('已关联')

      // the office's review card is patched in place: the count, and a new picture with both photos
      expect(review.patched).toBeGreaterThan(patchedBefore)
      expect(textOf(review)).toContain('照片**：1张（另有1张存疑）')
      const second = decodePng(imageOf(review)!)
      // the second thumbnail (top row, second cell) is framed red: 存疑
      const [r, g, b] = second.at(160 + 6 + 1, 560 + 30 + 60)
      expect(r).toBeGreaterThan(180)
      expect(g).toBeLessThan(80)
      expect(b).toBeLessThan(80)
      const [r1, g1] = first.at(160 + 6 + 1, 560 + 30 + 60)
      expect(r1 - g1).toBeLessThan(100) // not there before the second photo

      expect(await t.db.selectFrom('outbox').select('last_error').where('platform', '=', 'feishu').where('status', '!=', 'sent').execute()).toEqual([])
    })
  })
}
