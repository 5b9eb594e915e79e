// The fetch/WebCrypto Feishu module (what the worker uses) against the same local Open API stand-in
// as the SDK channel: the same messages, the same uuids, the same failures for the outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FeishuApiError } from '../../bot/feishu/api-errors.js'
import { FetchFeishuSender } from '../../bot/feishu/fetch-sender.js'
import { feishuUuidOf } from '../../bot/feishu/send-parts.js'
import { feishuUuid } from '../../bot/feishu/sender.js'
import * as node from '../../bot/feishu/verify.js'
import * as web from '../../bot/feishu/web-crypto.js'
import { RetryableSendError } from '../../delivery/channel.js'
import { APP_ID, APP_SECRET } from '../support/feishu-events.js'
import { FakeOpenApi } from '../support/feishu-open-api.js'

const CHAT = 'oc_fetch_chat'
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4])

describe('FetchFeishuSender against the local Open API', () => {
  let api: FakeOpenApi
  let sender: FetchFeishuSender
  beforeAll(async () => {
    api = await new FakeOpenApi({ appId: APP_ID, appSecret: APP_SECRET, limits: false }).start()
    sender = new FetchFeishuSender({ config: { appId: APP_ID, appSecret: APP_SECRET, domain: api.url } })
  })
  afterAll(() => api?.stop())

  it('sends text once per idempotency key (the uuid), and replies in the thread', async () => {
    const a = await sender.send(CHAT, { kind: 'text', text: '你好' }, { idempotencyKey: 'k:text:1' })
    const again = await sender.send(CHAT, { kind: 'text', text: '你好' }, { idempotencyKey: 'k:text:1' })
    expect(again.messageId).toBe(a.messageId)
    const parent = api.userMessage(CHAT)
    const reply = await sender.send(CHAT, { kind: 'text', text: '收到' }, { idempotencyKey: 'k:reply:1', replyTo: parent })
    const m = api.messages.find((x) => x.messageId === reply.messageId)!
    expect(m).toMatchObject({ parentId: parent, replyInThread: true, msgType: 'text', content: { text: '收到' } })
  })

  it('answers in the chat when the message replied to is gone', async () => {
    const sent = await sender.send(CHAT, { kind: 'text', text: '补发' }, { idempotencyKey: 'k:gone:1', replyTo: 'om_withdrawn_000000000000' })
    expect(api.messages.find((x) => x.messageId === sent.messageId)).toMatchObject({ chatId: CHAT, parentId: undefined })
  })

  it('uploads a card picture once, patches the card, sends files and downloads resources', async () => {
    const card = { title: '图斑 450329-001', fields: [['状态', '待核查']] as Array<[string, string]>, image: { png: PNG, alt: '位置' } }
    const one = await sender.send(CHAT, { kind: 'card', card }, { idempotencyKey: 'k:card:1' })
    await sender.send('oc_other', { kind: 'card', card }, { idempotencyKey: 'k:card:2' })
    expect(api.images.size).toBe(1)
    const sentCard = api.messages.find((x) => x.messageId === one.messageId)!
    expect(sentCard.msgType).toBe('interactive')
    expect(JSON.stringify(sentCard.content)).toContain([...api.images.keys()][0])
    await sender.update(CHAT, one.messageId, { kind: 'card', card: { ...card, fields: [['状态', '已核查']] } })
    expect(sentCard.patched).toBe(1)
    expect(JSON.stringify(sentCard.content)).toContain('已核查')

    const file = await sender.send(CHAT, { kind: 'file', fileName: '警示提醒函.docx', bytes: new Uint8Array(300).fill(7), mime: 'application/octet-stream' }, { idempotencyKey: 'k:file:1' })
    const [stored] = [...api.files.values()]
    expect(stored).toMatchObject({ name: '警示提醒函.docx', type: 'doc' })
    expect(stored!.bytes.length).toBe(300)
    expect(api.messages.find((x) => x.messageId === file.messageId)!.msgType).toBe('file')

    const photo = Buffer.from('jpeg-bytes')
    api.addResource('om_user_photo_1', 'img_v3_user', photo)
    expect(Buffer.from(await sender.fetchMedia({ handle: 'img_v3_user', fileName: 'p.jpg', mime: 'image/jpeg' }, 'om_user_photo_1'))).toEqual(photo)
  })

  it('fetches a new token once when Feishu revoked the cached one', async () => {
    api.revokeTokens()
    const before = api.requests.filter((r) => r.path.endsWith('/tenant_access_token/internal')).length
    await sender.send(CHAT, { kind: 'text', text: '令牌' }, { idempotencyKey: 'k:token:1' })
    expect(api.requests.filter((r) => r.path.endsWith('/tenant_access_token/internal')).length).toBe(before + 1)
  })

  it('maps limits and 5xx to retries, refusals to permanent errors', async () => {
    api.failNext({ status: 429, code: 99991400, headers: { 'x-ogw-ratelimit-reset': '2' } })
    const limited = await sender.send(CHAT, { kind: 'text', text: 'x' }, { idempotencyKey: 'k:429' }).catch((e: unknown) => e)
    expect(limited).toBeInstanceOf(RetryableSendError)
    expect((limited as RetryableSendError).retryAfterMs).toBe(2000)
    sender.pacer.hold(undefined, 0)
    api.failNext({ status: 503, code: 1 })
    expect(await sender.send('oc_x2', { kind: 'text', text: 'x' }, { idempotencyKey: 'k:503' }).catch((e: unknown) => e)).toBeInstanceOf(RetryableSendError)
    api.failNext({ status: 400, code: 230002, msg: 'bot not in chat' })
    expect(await sender.send('oc_x3', { kind: 'text', text: 'x' }, { idempotencyKey: 'k:400' }).catch((e: unknown) => e)).toBeInstanceOf(FeishuApiError)
  }, 20_000)

  it('an unreachable Open API is a retry, not a lost message', async () => {
    const nowhere = new FetchFeishuSender({ config: { appId: APP_ID, appSecret: APP_SECRET, domain: 'http://127.0.0.1:1' } })
    expect(await nowhere.send(CHAT, { kind: 'text', text: 'x' }, { idempotencyKey: 'k:net' }).catch((e: unknown) => e)).toBeInstanceOf(RetryableSendError)
  })
})

describe('WebCrypto and node:crypto agree', () => {
  it('on the uuid of a long key, the signature, and AES both ways', async () => {
    const key = `patch-card:450329:${'x'.repeat(60)}`
    expect(await feishuUuidOf(key)).toBe(feishuUuid(key))
    expect(await feishuUuidOf('short-key')).toBe('short-key')
    expect(await web.signatureOf('1700000000', 'n1', 'k', '{"a":"中"}')).toBe(node.signatureOf('1700000000', 'n1', 'k', '{"a":"中"}'))
    const plain = JSON.stringify({ hello: '你好', n: 1 })
    expect(node.decryptEvent(await web.encryptEvent(plain, 'enc-key'), 'enc-key')).toBe(plain)
    expect(await web.decryptEvent(node.encryptEvent(plain, 'enc-key'), 'enc-key')).toBe(plain)
    await expect(web.decryptEvent(node.encryptEvent(plain, 'enc-key'), 'other-key')).rejects.toThrow()
  })

  it('refuses stale, unsigned and wrongly signed requests', async () => {
    const now = new Date('2026-11-03T01:00:00Z')
    const ts = String(now.getTime() / 1000)
    const sig = await web.signatureOf(ts, 'n', 'k', 'body')
    expect(await web.verifyRequest('body', { timestamp: ts, nonce: 'n', signature: sig }, 'k', now)).toEqual({ ok: true })
    expect(await web.verifyRequest('body!', { timestamp: ts, nonce: 'n', signature: sig }, 'k', now)).toEqual({ ok: false, rule: 'signature' })
    expect(await web.verifyRequest('body', { timestamp: ts, nonce: 'n', signature: undefined }, 'k', now)).toEqual({ ok: false, rule: 'missing_headers' })
    expect(await web.verifyRequest('body', { timestamp: ts, nonce: 'n', signature: sig }, 'k', new Date(now.getTime() + 8 * 3_600_000))).toEqual({ ok: false, rule: 'staleness' })
  })
})
