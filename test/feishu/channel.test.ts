import * as lark from '@larksuiteoapi/node-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RetryableSendError, type Card } from '../../delivery/channel.js'
import { FeishuApiError } from '../../bot/feishu/api-errors.js'
import { cardJson } from '../../bot/feishu/card-json.js'
import { feishuConfigFromEnv } from '../../bot/feishu/config.js'
import { feishuChannel } from '../../bot/feishu/feishu-channel.js'
import { FeishuSender, feishuUuid } from '../../bot/feishu/sender.js'
import { inboundFromCardAction, inboundsFromMessage } from '../../bot/feishu/inbound-map.js'
import { FEISHU_LIMITS, Pacer } from '../../bot/feishu/pacer.js'
import { APP_ID, APP_SECRET, cardActionEvent, messageEvent } from '../support/feishu-events.js'
import { FakeOpenApi } from '../support/feishu-open-api.js'
import { VirtualTime } from '../support/virtual-time.js'

const AT = new Date('2026-11-03T01:00:00Z')
// as the SDK flattens schema 2.0: header and event fields side by side
const flat = (e: { header: object; event?: unknown }): Record<string, never> => ({ ...e, ...e.header, ...(e.event as object) }) as never

describe('Feishu events → inbound messages', () => {
  it('strips @-mentions from text, links replies, keeps the message time', () => {
    const e = messageEvent({ chatId: 'oc_1', senderId: 'ou_1', at: AT, text: '@_user_1 JC2026450329001  已核查 违法 @_user_2', parentId: 'om_card', mentions: [{ key: '@_user_1', name: 'bot', openId: 'ou_bot' }, { key: '@_user_2', name: '张三', openId: 'ou_2' }] })
    const [m] = inboundsFromMessage(flat(e), new Date(0))
    expect(m).toMatchObject({ platform: 'feishu', kind: 'text', text: 'JC2026450329001 已核查 违法', replyTo: 'om_card', chatId: 'oc_1', senderId: 'ou_1', at: AT })
    // the leading @ addresses the bot; the others are the people the message is about
    expect(m!.mentions).toEqual([{ id: 'ou_2', name: '张三' }])
  })

  it('maps image, file and location (GCJ-02 strings)', () => {
    expect(inboundsFromMessage(flat(messageEvent({ chatId: 'oc_1', senderId: 'ou_1', at: AT, image: 'img_v3_a' })), AT)[0]).toMatchObject({ kind: 'image', media: { handle: 'img_v3_a' } })
    expect(inboundsFromMessage(flat(messageEvent({ chatId: 'oc_1', senderId: 'ou_1', at: AT, file: { key: 'file_v3_b', name: '照片.zip' } })), AT)[0]).toMatchObject({ kind: 'file', media: { handle: 'file_v3_b', fileName: '照片.zip' } })
    expect(inboundsFromMessage(flat(messageEvent({ chatId: 'oc_1', senderId: 'ou_1', at: AT, location: { lat: '25.9012', lng: '110.6543', name: '村口' } })), AT)[0]).toMatchObject({ kind: 'location', location: { lon: 110.6543, lat: 25.9012, datum: 'gcj02', name: '村口' } })
  })

  it('splits a rich-text post (maybe in a locale key) into its text and one image per picture', () => {
    const post = { zh_cn: { title: '核查', content: [[{ tag: 'text', text: 'JC2026450329001 已核查 ' }, { tag: 'at', user_id: 'ou_bot' }, { tag: 'text', text: '违法' }], [{ tag: 'img', image_key: 'img_v3_1' }], [{ tag: 'img', image_key: 'img_v3_2' }]] } }
    const out = inboundsFromMessage(flat(messageEvent({ chatId: 'oc_1', senderId: 'ou_1', at: AT, messageId: 'om_post', post })), AT)
    expect(out.map((m) => [m.kind, m.messageId, m.text ?? m.media?.handle])).toEqual([
      ['text', 'om_post', '核查\nJC2026450329001 已核查 违法'],
      ['image', 'om_post#img1', 'img_v3_1'],
      ['image', 'om_post#img2', 'img_v3_2'],
    ])
  })

  it('ignores what is not from a person; keeps what it cannot read as unsupported', () => {
    const fromApp = messageEvent({ chatId: 'oc_1', senderId: 'ou_1', at: AT, text: 'hi' })
    ;(fromApp.event as { sender: { sender_type: string } }).sender.sender_type = 'app'
    expect(inboundsFromMessage(flat(fromApp), AT)).toEqual([])
    for (const type of ['sticker', 'audio', 'media']) {
      const e = messageEvent({ chatId: 'oc_1', senderId: 'ou_1', at: AT, text: 'x' })
      ;(e.event as { message: { message_type: string } }).message.message_type = type
      expect(inboundsFromMessage(flat(e), AT)).toMatchObject([{ kind: 'unsupported', text: type }])
    }
  })

  it('maps a button click to a card action keyed by its event id', () => {
    const e = cardActionEvent({ chatId: 'oc_1', operatorId: 'ou_1', messageId: 'om_card', value: { action: 'report', patchId: '7', judgment: 'illegal' }, at: AT })
    expect(inboundFromCardAction(flat(e) as never, AT)).toMatchObject({ kind: 'card_action', messageId: e.header.event_id, replyTo: 'om_card', action: { name: 'report', value: { patchId: '7', judgment: 'illegal' } } })
  })
})

describe('the neutral card as card JSON 2.0', () => {
  const card: Card = { title: '新下发图斑 JC1', template: 'red', fields: [['图斑编号', 'JC1'], ['备注', 'a*b_[x](y)<at>']], text: '请核查', buttons: [{ label: '违法', action: 'report', value: { patchId: 3 as unknown as string, judgment: 'illegal' }, style: 'danger' }] }
  it('has a header, escaped markdown fields, the picture and callback buttons', () => {
    const json = cardJson(card, 'img_v3_map')
    expect(json).toMatchObject({ schema: '2.0', header: { title: { content: '新下发图斑 JC1' }, template: 'red' } })
    const text = JSON.stringify(json)
    expect(text).toContain('a\\\\*b\\\\_\\\\[x\\\\](y)&lt;at&gt;')
    expect(text).toContain('"img_key":"img_v3_map"')
    expect(text).toContain('"behaviors":[{"type":"callback","value":{"patchId":"3","judgment":"illegal","action":"report"}}]')
  })
})

describe('sending through the real SDK against the local Open API', () => {
  let api: FakeOpenApi
  let time: VirtualTime
  let channel: FeishuSender
  const logs: string[] = []

  beforeAll(async () => {
    time = new VirtualTime(AT)
    api = await new FakeOpenApi({ appId: APP_ID, appSecret: APP_SECRET, clock: time.now }).start()
    channel = new FeishuSender({
      config: { appId: APP_ID, appSecret: APP_SECRET, domain: api.url },
      cache: new lark.DefaultCache(),
      clock: time,
      log: (l) => logs.push(l),
    })
    time.busy = () => channel.inFlight > 0
  })
  afterAll(async () => api?.stop())

  it('sends text with the idempotency key as uuid, hashed when longer than 50 characters', async () => {
    const long = `push:12:feishu:oc_${'a'.repeat(40)}`
    await channel.send('oc_a', { kind: 'text', text: '你好' }, { idempotencyKey: 'k-1' })
    await channel.send('oc_a', { kind: 'text', text: '你好' }, { idempotencyKey: long })
    expect(api.sentTo('oc_a').map((m) => m.uuid)).toEqual(['k-1', feishuUuid(long)])
    expect(feishuUuid(long)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    // the same key again is the same message (Feishu dedupes by uuid)
    const again = await channel.send('oc_a', { kind: 'text', text: '你好' }, { idempotencyKey: 'k-1' })
    expect(again.messageId).toBe(api.sentTo('oc_a')[0]!.messageId)
  })

  it('uploads a card picture once per content and reuses its key', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])
    const card: Card = { title: 't', fields: [], image: { png, alt: '示意图' } }
    await channel.send('oc_b', { kind: 'card', card }, { idempotencyKey: 'c-1' })
    await channel.send('oc_c', { kind: 'card', card }, { idempotencyKey: 'c-2' })
    expect(api.images.size).toBe(1)
    const key = [...api.images.keys()][0]!
    expect(JSON.stringify(api.sentTo('oc_c')[0]!.content)).toContain(key)
  })

  it('sends a file with im.file.create and updates a card with im.message.patch', async () => {
    await channel.send('oc_d', { kind: 'file', fileName: '警示提醒函.docx', bytes: new Uint8Array([80, 75, 3, 4]), mime: 'application/zip' }, { idempotencyKey: 'f-1' })
    const [file] = [...api.files.values()]
    expect(file).toMatchObject({ name: '警示提醒函.docx', type: 'doc' })
    expect(api.sentTo('oc_d')[0]!.msgType).toBe('file')
    const { messageId } = await channel.send('oc_d', { kind: 'card', card: { title: '旧', fields: [] } }, { idempotencyKey: 'f-2' })
    await channel.patchCard(messageId, { title: '新', fields: [['状态', '已办结']] })
    const patched = api.messages.find((m) => m.messageId === messageId)!
    expect(patched.patched).toBe(1)
    expect(JSON.stringify(patched.content)).toContain('已办结')
  })

  it('replies in the thread of a real message, and in the chat when the message is gone or is not a message', async () => {
    const asked = api.userMessage('oc_e')
    await channel.send('oc_e', { kind: 'text', text: 'a' }, { idempotencyKey: 'r-1', replyTo: asked })
    await channel.send('oc_e', { kind: 'text', text: 'b' }, { idempotencyKey: 'r-2', replyTo: 'om_withdrawn' })
    await channel.send('oc_e', { kind: 'text', text: 'c' }, { idempotencyKey: 'r-3', replyTo: 'ev_a_button_click' })
    expect(api.sentTo('oc_e').map((m) => [m.content.text, m.parentId, m.replyInThread])).toEqual([
      ['a', asked, true],
      ['b', undefined, false],
      ['c', undefined, false],
    ])
  })

  it('maps 429 (with its reset), 230020, 5xx and a dead network to retryable errors; the rest is permanent', async () => {
    api.failNext({ status: 429, code: 99991400, headers: { 'x-ogw-ratelimit-reset': '3' } })
    const limited = await channel.send('oc_f', { kind: 'text', text: 'x' }, { idempotencyKey: 'e-1' }).catch((e: unknown) => e)
    expect(limited).toBeInstanceOf(RetryableSendError)
    expect((limited as RetryableSendError).retryAfterMs).toBe(3000)
    // the channel holds the whole app for the reset: the next send waits 3 s (virtual)
    const before = time.now()
    await channel.send('oc_g', { kind: 'text', text: 'y' }, { idempotencyKey: 'e-2' })
    expect(time.now() - before).toBeGreaterThanOrEqual(3000)

    api.failNext({ status: 400, code: 230020 })
    expect(await channel.send('oc_f', { kind: 'text', text: 'x' }, { idempotencyKey: 'e-3' }).catch((e: unknown) => e)).toBeInstanceOf(RetryableSendError)
    api.failNext({ status: 502, code: 1 })
    expect(await channel.send('oc_f', { kind: 'text', text: 'x' }, { idempotencyKey: 'e-4' }).catch((e: unknown) => e)).toBeInstanceOf(RetryableSendError)
    api.failNext({ status: 400, code: 230002, msg: 'Bot is not in the chat' })
    const permanent = await channel.send('oc_f', { kind: 'text', text: 'x' }, { idempotencyKey: 'e-5' }).catch((e: unknown) => e)
    expect(permanent).toBeInstanceOf(FeishuApiError)
    expect(permanent).not.toBeInstanceOf(RetryableSendError)
    expect((permanent as FeishuApiError).apiCode).toBe(230002)

    const offline = new FeishuSender({ config: { appId: APP_ID, appSecret: APP_SECRET, domain: 'http://127.0.0.1:9' }, cache: new lark.DefaultCache() })
    expect(await offline.send('oc_f', { kind: 'text', text: 'x' }, { idempotencyKey: 'e-6' }).catch((e: unknown) => e)).toBeInstanceOf(RetryableSendError)
  })

  it('drops a revoked token from its cache and tries once more; never logs the secret', async () => {
    const tokens = () => api.requests.filter((r) => r.path.endsWith('/tenant_access_token/internal')).length
    const before = tokens()
    api.revokeTokens()
    await channel.send('oc_h', { kind: 'text', text: 'z' }, { idempotencyKey: 't-1' })
    expect(tokens()).toBe(before + 1)
    expect(api.sentTo('oc_h')).toHaveLength(1)
    expect(logs.join('\n')).not.toContain(APP_SECRET)
  })

  it('downloads a picture a user sent (messageResource.get), also from a post', async () => {
    api.addResource('om_pic', 'img_v3_pic', Buffer.from('jpeg-bytes'))
    expect(Buffer.from(await channel.fetchMedia({ handle: 'img_v3_pic' }, 'om_pic#img1')).toString()).toBe('jpeg-bytes')
    api.addResource('om_doc', 'file_v3_doc', Buffer.from('doc-bytes'), 'file')
    expect(Buffer.from(await channel.fetchMedia({ handle: 'file_v3_doc', fileName: 'a.pdf' }, 'om_doc')).toString()).toBe('doc-bytes')
  })
})

describe('the long connection', () => {
  it('asks the configured domain for its endpoint with the app credentials, reports a refusal, and stops', async () => {
    const api = await new FakeOpenApi({ appId: APP_ID, appSecret: APP_SECRET }).start()
    const logs: string[] = []
    const channel = feishuChannel({ config: { appId: APP_ID, appSecret: APP_SECRET, mode: 'ws', domain: api.url }, db: undefined as never, cache: new lark.DefaultCache(), log: (l) => logs.push(l) })
    const [ws] = channel.receivers
    await ws!.start(async () => ({ status: 'duplicate', inboundId: 0 }))
    for (let i = 0; i < 100 && !logs.some((l) => l.includes('长连接失败')); i++) await new Promise((r) => setTimeout(r, 10))
    await ws!.stop()
    await api.stop()
    const discovery = api.requests.find((r) => r.path === '/callback/ws/endpoint')
    expect(discovery?.body).toMatchObject({ AppID: APP_ID })
    expect(logs.join('\n')).toContain('长连接失败')
    expect(logs.join('\n')).not.toContain(APP_SECRET)
  })
})

describe('pacing', () => {
  it('keeps 5 per second per chat and 50 per second for the app, on the injected clock', async () => {
    const time = new VirtualTime(AT)
    const pacer = new Pacer(time)
    const stamps = new Map<string, number[]>()
    // 12 chats × 10 messages: the app limit binds (12 × 5 = 60 > 50 per second)
    await Promise.all(
      Array.from({ length: 12 }, (_, c) =>
        (async () => {
          for (let i = 0; i < 10; i++) {
            await pacer.acquire(`oc_${c}`)
            stamps.set(`oc_${c}`, [...(stamps.get(`oc_${c}`) ?? []), time.now()])
          }
        })(),
      ),
    )
    const all = [...stamps.values()].flat().sort((a, b) => a - b)
    const most = (xs: number[]) => Math.max(...xs.map((x) => xs.filter((y) => y >= x && y < x + 1000).length))
    expect(most(all)).toBeLessThanOrEqual(50)
    for (const xs of stamps.values()) expect(most(xs)).toBeLessThanOrEqual(5)
    expect(time.now() - AT.getTime()).toBeGreaterThanOrEqual(2000) // 120 messages at ≤ 50/s
  })
})

describe('pacing from the answer', () => {
  it('a call answered late counts from its answer: the chat\'s sixth slot is a window after it, not after the slot', async () => {
    const time = new VirtualTime(AT)
    const pacer = new Pacer(time)
    const start = time.now()
    const answered = await pacer.acquire('oc_late')
    time.advance(300) // the request arrived late (a token fetched first, a loaded machine)
    answered()
    for (let i = 0; i < 4; i++) (await pacer.acquire('oc_late'))()
    await pacer.acquire('oc_late')
    // Feishu counted the first at 300 ms at the earliest: a sixth a window after the slot would be its sixth within a second
    expect(time.now() - start).toBe(300 + 1000 + FEISHU_LIMITS.marginMs)
  })
})

describe('configuration', () => {
  it('is off without an app id, long connection by default, and refuses a webhook without its secrets', () => {
    expect(feishuConfigFromEnv({})).toBeUndefined()
    expect(feishuConfigFromEnv({ FEISHU_APP_ID: APP_ID, FEISHU_APP_SECRET: 's' })).toMatchObject({ mode: 'ws', domain: 'https://open.feishu.cn' })
    expect(feishuConfigFromEnv({ FEISHU_APP_ID: APP_ID, FEISHU_APP_SECRET: 's', FEISHU_DOMAIN: 'http://127.0.0.1:1234/' })!.domain).toBe('http://127.0.0.1:1234')
    expect(feishuConfigFromEnv({ FEISHU_APP_ID: APP_ID, FEISHU_APP_SECRET: 's', FEISHU_DOMAIN: 'lark' })!.domain).toBe('https://open.larksuite.com')
    expect(() => feishuConfigFromEnv({ FEISHU_APP_ID: APP_ID, FEISHU_APP_SECRET: 's', FEISHU_MODE: 'webhook' })).toThrow(/FEISHU_ENCRYPT_KEY/)
    expect(() => feishuConfigFromEnv({ FEISHU_APP_ID: 'app-1', FEISHU_APP_SECRET: 's' })).toThrow(/cli_/)
    expect(() => feishuConfigFromEnv({ FEISHU_APP_ID: APP_ID })).toThrow(/FEISHU_APP_SECRET/)
  })
})

describe('the SDK logger', () => {
  it('logs an SDK error with its HTTP status, code and message — also from a streamed error body — and never the request', async () => {
    const api = await new FakeOpenApi({ appId: APP_ID, appSecret: APP_SECRET }).start()
    let logged!: (line: string) => void
    const line = new Promise<string>((resolve) => (logged = resolve))
    const channel = feishuChannel({ config: { appId: APP_ID, appSecret: APP_SECRET, mode: 'webhook', domain: api.url, encryptKey: 'k', verificationToken: 'v' }, db: undefined as never, cache: new lark.DefaultCache(), log: (l) => l.startsWith('feishu-sdk') && logged(l) })
    await expect(channel.sender.fetchMedia({ handle: 'img_v3_gone' }, 'om_gone')).rejects.toThrow()
    const text = await line
    await api.stop()
    expect(text).toBe('feishu-sdk error: Request failed with status code 400 HTTP 400 code 234003 File not in msg.')
    expect(text).not.toContain('[object]')
    expect(text).not.toContain(APP_SECRET)
    expect(text).not.toContain('Bearer')
  })
})
