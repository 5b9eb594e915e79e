import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sender, Inbound, Outgoing, SendOptions } from '../../delivery/channel.js'
import { enqueue } from '../../delivery/outbox/enqueue.js'
import { createMaterialiser } from '../../delivery/outbox/materialise.js'
import { deliverDue } from '../../delivery/outbox/sender.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { consoleHarness, FakeClock, OFFICE, STAFF, TOWNSHIP_CHAT } from '../support/console-harness.js'
import { jpegWithExif } from '../support/jpeg-exif.js'

/** Records sends and updates; refuses the chats it is told to (a permanent failure). */
class UpdatingChannel implements Sender {
  readonly platform = 'upd'
  readonly log: string[] = []
  readonly refuse = new Set<string>()
  async start() {}
  async stop() {}
  async fetchMedia(_m: NonNullable<Inbound['media']>): Promise<Uint8Array> {
    return new Uint8Array()
  }
  async send(chat: string, message: Outgoing, options: SendOptions) {
    if (this.refuse.has(chat)) throw new Error('chat gone')
    // the platform key ends in the row's nonce (delivery/keys.ts platformKey): the outbox key is what this test follows
    const key = options.idempotencyKey.replace(/:[0-9a-f-]{36}$/, '')
    this.log.push(`send ${chat} ${key}`)
    return { messageId: `m:${key}` }
  }
  async update(chat: string, messageId: string, message: Outgoing) {
    this.log.push(`update ${chat} ${messageId} ${message.kind === 'card' ? message.card.title : message.kind}`)
  }
}

const card = (title: string) => ({ title, fields: [] })

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`card updates in the outbox, people in the console (${engine.name})`, () => {
    let t: TestDatabase
    const clock = new FakeClock(new Date('2026-11-03T01:00:00Z'))
    let h: Awaited<ReturnType<typeof consoleHarness>>

    beforeAll(async () => {
      t = await engine.open()
      h = await consoleHarness(t.db, clock)
    })
    afterAll(async () => {
      await h?.runtime.stop()
      await t?.close()
    })

    it('patches the message the original row became, after it; an update of a card never delivered is a noted no-op', async () => {
      const channel = new UpdatingChannel()
      const channels = new Map([[channel.platform, channel as Sender]])
      channel.refuse.add('gone')
      await enqueue(
        t.db,
        [
          { key: 'u:card', tenantId: null, platform: 'upd', target: 'a', payload: { kind: 'card', card: card('v1') } },
          { key: 'u:upd', tenantId: null, platform: 'upd', target: 'a', payload: { kind: 'update', ofKey: 'u:card', card: card('v2') } },
          { key: 'u:dead', tenantId: null, platform: 'upd', target: 'gone', payload: { kind: 'card', card: card('x1') } },
          { key: 'u:dead-upd', tenantId: null, platform: 'upd', target: 'gone', payload: { kind: 'update', ofKey: 'u:dead', card: card('x2') } },
        ],
        clock.now(),
      )
      for (let i = 0; i < 5; i++) await deliverDue(t.db, channels, createMaterialiser(t.db), clock.now())
      expect(channel.log).toEqual(['send a u:card', 'update a m:u:card v2'])
      const rows = await t.db.selectFrom('outbox').select(['idempotency_key', 'status', 'sent_id', 'last_error']).where('platform', '=', 'upd').orderBy('id').execute()
      expect(rows.map((r) => [r.idempotency_key, r.status, r.sent_id])).toEqual([
        ['u:card', 'sent', 'm:u:card'],
        ['u:upd', 'sent', 'm:u:card'],
        ['u:dead', 'dead', null],
        ['u:dead-upd', 'sent', null],
      ])
      expect(rows[3]!.last_error).toContain('nothing to update')
    })

    it('staff register an official with a mention through the JSON API; the console shows a card as it is now', async () => {
      await h.runtime.dispatch()
      await h.runtime.flush()
      await h.post({ chat: OFFICE, sender: STAFF, text: '登记 @新干事 干事 资源镇', mentions: [{ id: 'console:official:new', name: '新干事' }] })
      expect(await h.lastBotText(OFFICE)).toContain('已登记：新干事 为资源镇乡镇人员')
      await h.post({ chat: OFFICE, sender: STAFF, text: '登记 干事 资源镇' })
      expect(await h.lastBotText(OFFICE)).toContain('请在「登记」后 @ 要登记的人')

      const chat = TOWNSHIP_CHAT('450329100')
      const first = (await h.transcript(chat)).find((e) => e.card && !JSON.stringify(e.card).includes('重点图斑'))!
      const number = /JC\d+/.exec(JSON.stringify(first.card))![0]
      await h.post({ chat, sender: 'console:official:new', text: `${number} 已核查 合法 桂政土批〔2022〕15号` })
      // a 合法 result needs its on-site photo too (001:45, 002:33): the photo completes the report
      await h.post({ chat, sender: 'console:official:new', photo: jpegWithExif({ takenAt: '2026:11:03 10:00:00' }).toString('base64') })
      // the card in the transcript is the same message, now in its new state, and the update is no message of its own
      const again = (await h.transcript(chat)).filter((e) => e.messageId === first.messageId)
      expect(again).toHaveLength(1)
      expect(JSON.stringify(again[0]!.card)).toContain('已核查上报')
      expect((await h.transcript(chat)).some((e) => e.kind === 'update')).toBe(false)
    })
  })
}
