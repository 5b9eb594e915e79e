import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { feishuConfigFromEnv } from '../../bot/feishu/config.js'
import { encryptEvent } from '../../bot/feishu/verify.js'
import { openPglite, type TestDatabase } from '../support/databases.js'
import { cardActionEvent, ENCRYPT_KEY, messageEvent, postWebhook, signed, VERIFICATION_TOKEN } from '../support/feishu-events.js'
import { feishuHarness } from '../support/feishu-harness.js'

const GROUP = 'oc_webhook_group'
const SOMEONE = 'ou_someone'

describe('the Feishu webhook refuses what Feishu did not send', () => {
  let t: TestDatabase
  let h: Awaited<ReturnType<typeof feishuHarness>>
  const refusals: string[] = []

  beforeAll(async () => {
    t = await openPglite()
    h = await feishuHarness(t.db, { way: 'webhook', log: (line) => refusals.push(line) })
  })
  afterAll(async () => {
    await h?.close()
    await t?.close()
  })

  const stored = async () => (await t.db.selectFrom('inbound_messages').select('message_id').where('platform', '=', 'feishu').execute()).map((r) => r.message_id)
  const text = (body: string) => messageEvent({ chatId: GROUP, senderId: SOMEONE, text: body, at: h.time.date() })

  it('answers the URL-verification challenge (encrypted, with the token) and refuses it without the token', async () => {
    const challenge = { type: 'url_verification', challenge: 'c-123', token: VERIFICATION_TOKEN }
    const ok = await h.runtime.app.request('/feishu/events', { method: 'POST', body: JSON.stringify({ encrypt: encryptEvent(JSON.stringify(challenge), ENCRYPT_KEY) }) })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ challenge: 'c-123' })
    const bad = await h.runtime.app.request('/feishu/events', { method: 'POST', body: JSON.stringify({ encrypt: encryptEvent(JSON.stringify({ ...challenge, token: 'guess' }), ENCRYPT_KEY) }) })
    expect(bad.status).toBe(401)
  })

  it('stores a genuinely encrypted and signed message', async () => {
    const event = text('帮助')
    const answer = await postWebhook(h.runtime.app, signed(event, h.time.date()))
    expect(answer.status).toBe(200)
    expect(await stored()).toContain((event.event as { message: { message_id: string } }).message.message_id)
  })

  it('refuses a wrong signature, a wrong key, a wrong token, a missing signature and a stale request with 401, storing nothing', async () => {
    const before = await stored()
    const at = h.time.date()
    const cases = {
      'wrong signature': signed(text('帮助'), at, { badSignature: true }),
      'signed with another key': signed(text('帮助'), at, { signKey: 'not-the-key' }),
      'encrypted with another key': signed(text('帮助'), at, { key: 'not-the-key', signKey: ENCRYPT_KEY }),
      'stale timestamp': signed(text('帮助'), new Date(at.getTime() - 8 * 60 * 60_000)),
    }
    for (const [name, request] of Object.entries(cases)) {
      const answer = await postWebhook(h.runtime.app, request)
      expect(answer.status, name).toBe(401)
    }
    const wrongToken = text('帮助')
    wrongToken.header.token = 'not-the-token'
    expect((await postWebhook(h.runtime.app, signed(wrongToken, at))).status).toBe(401)
    const unsigned = signed(text('帮助'), at)
    delete unsigned.headers['x-lark-signature']
    expect((await postWebhook(h.runtime.app, unsigned)).status).toBe(401)
    // a card click's own `token` (the card update token) must not stand in for the verification token
    const click = cardActionEvent({ chatId: GROUP, operatorId: SOMEONE, messageId: 'om_x', value: { action: 'query', patchId: '1' }, at })
    click.header.token = 'c-card-update-token'
    expect((await postWebhook(h.runtime.app, signed(click, at))).status).toBe(401)
    expect(await stored()).toEqual(before)
    expect(refusals.join('\n')).toMatch(/refused \(signature\)/)
    expect(refusals.join('\n')).not.toContain(ENCRYPT_KEY)
  })

  it('answers malformed JSON with 400', async () => {
    const res = await h.runtime.app.request('/feishu/events', { method: 'POST', body: '{"encrypt": ', headers: { 'content-type': 'application/json' } })
    expect(res.status).toBe(400)
  })

  it('a replayed event (same event id, same message) is stored and handled once', async () => {
    // @-mentioning the bot: the group is not bound, and the bot answers there only when spoken to
    const event = messageEvent({ chatId: GROUP, senderId: SOMEONE, text: '@_user_1 帮助', mentions: [{ key: '@_user_1', name: '卫片助手', openId: 'ou_bot' }], at: h.time.date() })
    const request = signed(event, h.time.date())
    const first = await postWebhook(h.runtime.app, request)
    const again = await postWebhook(h.runtime.app, request)
    // Feishu's own retry: a new signature and nonce for the same event
    const retry = await postWebhook(h.runtime.app, signed(event, h.time.date()))
    expect([first.status, again.status, retry.status]).toEqual([200, 200, 200])
    await h.settle()
    const id = (event.event as { message: { message_id: string } }).message.message_id
    expect((await stored()).filter((m) => m === id)).toHaveLength(1)
    const replies = await t.db.selectFrom('outbox').select('idempotency_key').where('reply_to', '=', id).execute()
    expect(replies).toHaveLength(1) // the "not registered" answer, once
  })

  it('a card click answered twice is one inbound message; the second click gets a "already received" toast', async () => {
    const click = cardActionEvent({ chatId: GROUP, operatorId: SOMEONE, messageId: 'om_card', value: { action: 'query', patchId: '1' }, at: h.time.date() })
    const first = await postWebhook(h.runtime.app, signed(click, h.time.date()))
    const second = await postWebhook(h.runtime.app, signed(click, h.time.date()))
    expect(first.json.toast).toMatchObject({ type: 'success' })
    expect(second.json.toast).toMatchObject({ content: expect.stringContaining('请勿重复') })
    expect((await stored()).filter((m) => m === click.header.event_id)).toHaveLength(1)
  })

  it('refuses to start without an encrypt key or a verification token (checked once, with the configuration)', () => {
    const base = { FEISHU_APP_ID: 'cli_0123456789abcdef', FEISHU_APP_SECRET: 's', FEISHU_MODE: 'webhook' }
    expect(() => feishuConfigFromEnv({ ...base, FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN })).toThrow(/FEISHU_ENCRYPT_KEY/)
    expect(() => feishuConfigFromEnv({ ...base, FEISHU_ENCRYPT_KEY: ENCRYPT_KEY })).toThrow(/FEISHU_VERIFICATION_TOKEN/)
    expect(feishuConfigFromEnv({ ...base, FEISHU_ENCRYPT_KEY: ENCRYPT_KEY, FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN })).toMatchObject({ mode: 'webhook', encryptKey: ENCRYPT_KEY })
  })
})
