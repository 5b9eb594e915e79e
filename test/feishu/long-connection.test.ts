import * as lark from '@larksuiteoapi/node-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { feishuChannel } from '../../bot/feishu/feishu-channel.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { APP_ID, APP_SECRET, cardActionEvent, messageEvent, type MessageSpec } from '../support/feishu-events.js'
import { feishuHarness } from '../support/feishu-harness.js'
import { decodeFrame, encodeFrame, FakeLongConnection } from '../support/feishu-long-connection.js'
import { FakeOpenApi, type FakeMessage } from '../support/feishu-open-api.js'

// The long connection on the wire: the SDK's real WSClient against the local gateway — protobuf
// frames over a WebSocket, a ping answered by a pong, one acknowledgement per event.
const TOWNSHIP_GROUP = 'oc_lc_ziyuan'
const STRANGER_GROUP = 'oc_lc_stranger'
const STAFF = 'ou_staff_lc'
type Button = { text: { content: string }; behaviors: Array<{ value: Record<string, string> }> }
const buttonsOf = (m: FakeMessage): Button[] =>
  (m.content.body as { elements: Array<{ tag: string; columns?: Array<{ elements: Button[] }> }> }).elements
    .filter((e) => e.tag === 'column_set')
    .flatMap((e) => e.columns!.flatMap((c) => c.elements))
const textOf = (m: FakeMessage) => (m.msgType === 'text' ? String(m.content.text) : JSON.stringify(m.content))

describe('the frame codec', () => {
  it('reads back what it writes, 64-bit ids and Chinese headers included', () => {
    const frame = { SeqID: 2 ** 40 + 3, LogID: 7, service: 33554678, method: 1, headers: [{ key: 'type', value: 'event' }, { key: 'x', value: '资源镇' }], payload: Buffer.from('{"a":1}') }
    const back = decodeFrame(encodeFrame(frame))
    expect({ ...back, payload: Buffer.from(back.payload!).toString() }).toEqual({ ...frame, payload: '{"a":1}' })
  })
})

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`the long connection on the wire (${engine.name})`, () => {
    let t: TestDatabase
    let h: Awaited<ReturnType<typeof feishuHarness>>
    const logs: string[] = []
    const waiting: Array<{ pattern: string; resolve: () => void }> = []
    /** resolves when a line containing `pattern` is logged (no polling) */
    const logged = (pattern: string) => new Promise<void>((resolve) => (logs.some((l) => l.includes(pattern)) ? resolve() : waiting.push({ pattern, resolve })))
    const log = (line: string) => {
      logs.push(line)
      for (const w of waiting.filter((w) => line.includes(w.pattern))) w.resolve()
    }

    beforeAll(async () => {
      t = await engine.open()
      h = await feishuHarness(t.db, { way: 'long connection', log })
      const tenant = await t.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()
      await t.db.insertInto('people').values({ tenant_id: tenant.id, platform: 'feishu', platform_user_id: STAFF, name: '李卫片', role: 'staff', township_id: null }).execute()
    })
    afterAll(async () => {
      await h?.close()
      await t?.close()
    })

    const gateway = () => h.gateway!
    const inbound = (messageId: string) => t.db.selectFrom('inbound_messages').select(['status', 'attempts']).where('message_id', '=', messageId).execute()
    const event = (spec: Omit<MessageSpec, 'at'>) => messageEvent({ ...spec, messageId: h.api.userMessage(spec.chatId, spec.messageId), at: h.time.date() })

    it('asked for its endpoint with the app credentials, connected and pinged', () => {
      expect(gateway().endpointRequests[0]).toEqual({ body: { AppID: APP_ID, AppSecret: APP_SECRET }, refused: false })
      expect(gateway().connections).toHaveLength(1)
      expect(gateway().connections[0]!.url).toMatch(/service_id=\d+/)
      expect(gateway().pings.length).toBeGreaterThan(0)
      expect(logs).toContain('飞书长连接已建立')
    })

    it('acknowledges a message with code 200 once it is stored, and the bot answers', async () => {
      const ev = event({ chatId: TOWNSHIP_GROUP, senderId: STAFF, text: '绑定 资源镇' })
      const ack = await gateway().deliver(ev)
      expect(ack.code).toBe(200)
      expect(ack.headers.biz_rt).toBeDefined() // the SDK's own header on its acknowledgement
      const messageId = (ev.event as { message: { message_id: string } }).message.message_id
      expect(await inbound(messageId)).toHaveLength(1) // stored before the acknowledgement
      await h.settle()
      expect(textOf(h.api.sentTo(TOWNSHIP_GROUP).pop()!)).toContain('已绑定：本群为资源镇的乡镇群')
    })

    it('joins an event sent in several parts (split inside a Chinese character) into one message', async () => {
      const before = h.api.sentTo(STRANGER_GROUP).length
      const ev = event({ chatId: STRANGER_GROUP, senderId: STAFF, text: `查 ${'资源镇'.repeat(40)}` })
      const ack = await gateway().deliver(ev, { parts: 7 })
      expect(ack.code).toBe(200)
      await h.settle()
      const messageId = (ev.event as { message: { message_id: string } }).message.message_id
      expect(await inbound(messageId)).toEqual([{ status: 'handled', attempts: 1 }])
      expect(h.api.sentTo(STRANGER_GROUP).length).toBe(before + 1)
    })

    it('handles a duplicate delivery (the same event again, a new frame id) once', async () => {
      const ev = event({ chatId: TOWNSHIP_GROUP, senderId: STAFF, text: '帮助' })
      const before = h.api.sentTo(TOWNSHIP_GROUP).length
      expect((await gateway().deliver(ev)).code).toBe(200)
      await h.settle()
      expect((await gateway().deliver(ev)).code).toBe(200)
      await h.settle()
      const messageId = (ev.event as { message: { message_id: string } }).message.message_id
      expect(await inbound(messageId)).toHaveLength(1)
      expect(h.api.sentTo(TOWNSHIP_GROUP).length).toBe(before + 1)
    })

    it('answers a card click on the wire with the toast and the card as it is now', async () => {
      await h.runtime.dispatch()
      await h.settle()
      const card = h.api.sentTo(TOWNSHIP_GROUP).find((m) => m.msgType === 'interactive')!
      expect(card).toBeDefined()
      const value = buttonsOf(card).find((b) => b.text.content === '查看详情')!.behaviors[0]!.value
      const ack = await gateway().deliver(cardActionEvent({ chatId: TOWNSHIP_GROUP, operatorId: STAFF, messageId: card.messageId, value, at: h.time.date() }))
      expect(ack.code).toBe(200)
      expect(ack.answer!.toast).toMatchObject({ type: 'success' })
      expect(ack.answer!.card).toMatchObject({ type: 'raw' })
      expect(JSON.stringify(ack.answer!.card)).toContain('「查看详情」已收到')
      await h.settle()
    })

    it('reconnects after a dropped connection: the event cut off before its acknowledgement comes again, handled once', async () => {
      const connections = gateway().connections.length
      const endpoints = gateway().endpointRequests.length
      const before = h.api.sentTo(TOWNSHIP_GROUP).length
      const ev = event({ chatId: TOWNSHIP_GROUP, senderId: STAFF, text: '帮助' })
      const ack = await gateway().deliver(ev, { dropAfterSending: true })
      expect(ack.code).toBe(200) // acknowledged on the new connection
      expect(h.feishu.receivers[0]!.state?.()).toBe('up') // reconnected
      expect(gateway().connections.length).toBe(connections + 1)
      expect(gateway().endpointRequests.length).toBe(endpoints + 1) // a fresh endpoint (and ticket) for the new connection
      const messageId = (ev.event as { message: { message_id: string } }).message.message_id
      expect([...gateway().sent.values()].at(-1)).toBe(2) // sent twice, by the gateway
      await h.settle()
      expect(await inbound(messageId)).toEqual([{ status: 'handled', attempts: 1 }])
      expect(h.api.sentTo(TOWNSHIP_GROUP).length).toBe(before + 1) // answered once

      // an event that comes while the connection is down waits for the next one
      gateway().drop()
      const waiting = event({ chatId: TOWNSHIP_GROUP, senderId: STAFF, text: '帮助' })
      expect((await gateway().deliver(waiting)).code).toBe(200)
      await h.settle()
      expect(await inbound((waiting.event as { message: { message_id: string } }).message.message_id)).toEqual([{ status: 'handled', attempts: 1 }])
      expect(h.api.sentTo(TOWNSHIP_GROUP).length).toBe(before + 2)
    })

    it('survives a frame it cannot read (logged), and keeps working', async () => {
      gateway().sendRaw([encodeFrame({ SeqID: 0, LogID: 0, service: 1, method: 1, headers: [{ key: 'type', value: 'event' }, { key: 'message_id', value: 'bad' }, { key: 'sum', value: '1' }, { key: 'seq', value: '0' }], payload: Buffer.from('{not json') })])
      const ev = event({ chatId: TOWNSHIP_GROUP, senderId: STAFF, text: '帮助' })
      expect((await gateway().deliver(ev)).code).toBe(200)
      await h.settle()
      expect(logs.some((l) => l.includes('feishu-sdk error') && l.includes('failed to merge event fragments, message_id: bad'))).toBe(true)
    })

    it('gives up, and says so, when the endpoint is refused on reconnecting', async () => {
      const failed = logged('长连接失败')
      gateway().refuse({ code: 514, msg: 'auth failed' })
      gateway().drop()
      await failed
      expect(logs.find((l) => l.includes('长连接失败'))).toMatch(/飞书长连接失败，不再重试：.*514/)
      expect(gateway().endpointRequests.at(-1)!.refused).toBe(true)
      expect(gateway().connected).toBe(false)
      expect(h.feishu.receivers[0]!.state?.()).toBe('down')
    })
  })
}

describe('a gateway that refuses the endpoint request', () => {
  it('is reported once, without the secret, and nothing connects', async () => {
    const api = await new FakeOpenApi({ appId: APP_ID, appSecret: APP_SECRET }).start()
    const gateway = await new FakeLongConnection({ appId: APP_ID, appSecret: 'another-secret' }).start() // the secret was reset
    api.longConnection = gateway
    const logs: string[] = []
    let failed!: () => void
    const done = new Promise<void>((resolve) => (failed = resolve))
    const channel = feishuChannel({
      config: { appId: APP_ID, appSecret: APP_SECRET, mode: 'ws', domain: api.url },
      db: undefined as never,
      cache: new lark.DefaultCache(),
      log: (l) => {
        logs.push(l)
        if (l.includes('长连接失败')) failed()
      },
    })
    const [receiver] = channel.receivers
    await receiver!.start(async () => ({ status: 'duplicate', inboundId: 0 }))
    await done
    await receiver!.stop()
    await gateway.stop()
    await api.stop()
    expect(gateway.endpointRequests).toEqual([{ body: { AppID: APP_ID, AppSecret: APP_SECRET }, refused: true }])
    expect(gateway.connections).toEqual([])
    expect(logs.filter((l) => l.includes('长连接失败'))).toEqual(['飞书长连接失败，不再重试：pullConnectConfig failed: code=514, msg=auth failed'])
    expect(logs.join('\n')).not.toContain(APP_SECRET)
  })
})
