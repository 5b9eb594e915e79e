import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { centroidOf } from '../../core/index.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { jpegWithExif } from '../support/jpeg-exif.js'
import { wechatyHarness } from '../support/wechaty-harness.js'
import { addCyclePeople } from '../support/cycle-people.js'

// 资源镇 of the demo county; the people are Wechaty contacts (ids as the mock puppet makes them)
const TOWNSHIP = '450329100'

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`Wechaty over the mock puppet (${engine.name})`, () => {
    let t: TestDatabase
    let h: Awaited<ReturnType<typeof wechatyHarness>>
    let staff: ReturnType<typeof h.contact>
    let official: ReturnType<typeof h.contact>
    let stranger: ReturnType<typeof h.contact>
    let room: ReturnType<typeof h.room>

    beforeAll(async () => {
      t = await engine.open()
      h = await wechatyHarness(t.db)
      staff = h.contact('李卫片')
      official = h.contact('唐乡镇')
      stranger = h.contact('路人甲')
      room = h.room('资源镇卫片群', [staff, official, stranger])
      await addCyclePeople(t.db, 'wechaty', TOWNSHIP, { official: official.id, staff: staff.id })
    })
    afterAll(async () => {
      await h?.close()
      await t?.close()
    })

    const stored = (id: string) => t.db.selectFrom('inbound_messages').select(['status', 'chat_id', 'sender_id']).where('platform', '=', 'wechaty').where('message_id', '=', id).execute()

    it('takes a room message that @-mentions the bot once, and answers in the room @-mentioning the sender', async () => {
      expect(room.id).toContain('@') // room ids as WeChat puppets make them
      // chatter that does not address the bot is not the bot's business
      expect((await h.say(staff, '今天下午开会', room)).outcome).toBe('ignored')

      const bind = await h.say(staff, '绑定 资源镇', room, { atBot: true })
      expect(bind.outcome).toBe('accepted')
      expect(await h.redeliver(bind.id)).toEqual({ id: bind.id, outcome: 'duplicate' })
      await h.settle()
      expect(await stored(bind.id)).toEqual([{ status: 'handled', chat_id: room.id, sender_id: staff.id }])
      const answers = h.saidIn(room.id)
      expect(answers).toHaveLength(1)
      expect(answers[0]!.text).toMatch(/^@李卫片\s/)
      expect(answers[0]!.text).toContain('已绑定：本群为资源镇的乡镇群')
      expect(await t.db.selectFrom('chats').select(['platform', 'kind']).where('platform_chat_id', '=', room.id).execute()).toEqual([{ platform: 'wechaty', kind: 'township' }])
    })

    it('pushes a new patch as its map picture, then the card as text listing the commands to type', async () => {
      const before = h.saidIn(room.id).length
      await h.runtime.dispatch()
      await h.settle()
      const sent = h.saidIn(room.id).slice(before)
      const cards = sent.filter((m) => m.type === 'text' && m.text.startsWith('【新下发图斑'))
      expect(cards.length).toBeGreaterThan(0)
      const card = cards[0]!.text
      const number = /JC\d+/.exec(card)![0]
      expect(card).toContain('本群没有按钮，请发送以下文字办理：')
      expect(card).toContain(`· 违法：@卫片执法助手 ${number} 已核查 违法 违法类型`)
      expect(card).toContain(`· 查看详情：@卫片执法助手 查 ${number}`)
      expect(sent[sent.indexOf(cards[0]!) - 1]).toMatchObject({ type: 'image', fileName: 'map.png' })
    })

    it('takes the typed report, then a FileBox photo sent in the bound room as evidence, fetched byte-exact', async () => {
      const card = h.saidIn(room.id).find((m) => m.text.startsWith('【新下发图斑') && !m.text.includes('重点图斑'))!
      const number = /JC\d+/.exec(card.text)![0]
      const patch = await t.db.selectFrom('patches').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
      const [lon, lat] = centroidOf(patch.geometry!)
      h.time.advance(60 * 60_000)

      let seen = h.saidIn(room.id).length
      expect((await h.say(official, `${number} 已核查 违法 农村乱占耕地建房`, room, { atBot: true })).outcome).toBe('accepted')
      await h.settle()
      expect(h.saidIn(room.id).slice(seen).map((m) => m.text).join('\n')).toContain(number)

      h.time.advance(2 * 60_000)
      const photo = jpegWithExif({ lon, lat, takenAt: '2026:11:03 10:05:00' })
      seen = h.saidIn(room.id).length
      const sent = await h.say(official, photo, room) // a picture needs no @ in a bound room
      expect(sent.outcome).toBe('accepted')
      await h.settle()
      expect(h.saidIn(room.id).slice(seen).map((m) => m.text).join('\n')).toContain(`已关联到图斑 ${number}`)
      const evidence = await t.db.selectFrom('evidence').select(['sha256', 'kind']).where('patch_id', '=', patch.id).execute()
      expect(evidence).toContainEqual({ kind: 'photo', sha256: createHash('sha256').update(photo).digest('hex') })
      expect(await stored(sent.id)).toEqual([{ status: 'handled', chat_id: room.id, sender_id: official.id }])
    })

    it('answers a stranger in the one-to-one chat with their account id', async () => {
      const hello = await h.say(stranger, '你好', h.me)
      expect(hello.outcome).toBe('accepted')
      await h.settle()
      expect(h.saidIn(stranger.id).map((m) => m.text)).toEqual([`您尚未登记为本系统用户。请联系县卫片办工作人员为您登记（您的账号：${stranger.id}）。`])
      expect(await stored(hello.id)).toEqual([{ status: 'handled', chat_id: stranger.id, sender_id: stranger.id }])
    })

    it('leaves nothing unsent or unhandled', async () => {
      expect(await t.db.selectFrom('outbox').select(['id', 'last_error']).where('platform', '=', 'wechaty').where('status', '!=', 'sent').execute()).toEqual([])
      expect(await t.db.selectFrom('inbound_messages').select('error').where('platform', '=', 'wechaty').where('status', '!=', 'handled').execute()).toEqual([])
    })
  })
}
