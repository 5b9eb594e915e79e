// Issue 10 leftovers: the SDK's HTTP calls had no timeout, so an Open API answer that never came kept
// its outbox row claimed and its chat waiting for good. Now every call times out
// (PLATFORM_CALL_TIMEOUT_MS; short here) and the row is a transient failure, retried; the uuid
// absorbs the resend when the message had gone out before the answer was lost.
import * as lark from '@larksuiteoapi/node-sdk'
import { afterEach, describe, expect, it } from 'vitest'
import { FeishuOpenApi } from '../../bot/feishu/open-api.js'
import { FeishuSender } from '../../bot/feishu/sender.js'
import { deploymentId } from '../../db/queries/deployment.js'
import { RetryableSendError, type Sender } from '../../delivery/channel.js'
import { enqueue } from '../../delivery/outbox/enqueue.js'
import { createMaterialiser } from '../../delivery/outbox/materialise.js'
import { deliverDue } from '../../delivery/outbox/sender.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { APP_ID, APP_SECRET } from '../support/feishu-events.js'
import { FakeOpenApi } from '../support/feishu-open-api.js'

const CHAT = 'oc_ziyuan'

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`an Open API answer that never comes (${engine.name})`, () => {
    let t: TestDatabase | undefined
    let api: FakeOpenApi | undefined
    afterEach(async () => {
      await api?.stop()
      await t?.close()
      api = t = undefined
    })

    for (const afterCommit of [false, true]) {
      it(`is a transient failure with backoff, then sent once${afterCommit ? ' (the message had gone out: the uuid absorbs the resend)' : ''}`, async () => {
        t = await engine.open()
        api = await new FakeOpenApi({ appId: APP_ID, appSecret: APP_SECRET, limits: false }).start()
        const sender = new FeishuSender({ config: { appId: APP_ID, appSecret: APP_SECRET, domain: api.url }, cache: new lark.DefaultCache(), timeoutMs: 300 })
        const channels = new Map([['feishu', sender as Sender]])
        const options = { deploymentId: await deploymentId(t.db), random: () => 0.5 }
        let now = new Date('2026-11-03T01:00:00Z')
        await enqueue(t.db, [{ key: 'in:1:0', tenantId: null, platform: 'feishu', target: CHAT, payload: { kind: 'text', text: '收到' } }], now)
        api.failNext({ status: 0, code: 0, hang: true, afterCommit })

        expect(await deliverDue(t.db, channels, createMaterialiser(t.db), now, options)).toBe(0) // returns: the call timed out
        const row = await t.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow()
        expect(row).toMatchObject({ status: 'pending', attempts: 1, lease_holder: null })
        expect(row.last_error).toMatch(/send message: (ECONNABORTED|ETIMEDOUT)/)
        // backed off like any transient failure (1 s × jitter 0.5 → 750 ms), not held for the 60 s lease
        expect(new Date(row.next_attempt_at).getTime() - now.getTime()).toBe(750)

        now = new Date(now.getTime() + 1000)
        expect(await deliverDue(t.db, channels, createMaterialiser(t.db), now, options)).toBe(1)
        expect(api.sentTo(CHAT)).toHaveLength(1)
        expect((await t.db.selectFrom('outbox').select('status').executeTakeFirstOrThrow()).status).toBe('sent')
      }, 15_000) // without a timeout the send never returns
    }
  })
}

describe('the fetch client (worker) times out too', () => {
  let api: FakeOpenApi | undefined
  afterEach(async () => api?.stop())

  it('a hanging send is a RetryableSendError', async () => {
    api = await new FakeOpenApi({ appId: APP_ID, appSecret: APP_SECRET, limits: false }).start()
    const client = new FeishuOpenApi({ appId: APP_ID, appSecret: APP_SECRET, domain: api.url, timeoutMs: 300 })
    api.failNext({ status: 0, code: 0, hang: true })
    const error = await client.createMessage(CHAT, { msg_type: 'text', content: JSON.stringify({ text: '收到' }), uuid: 'u-1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RetryableSendError)
    expect((error as RetryableSendError).kind).toBe('transient')
    expect(await client.createMessage(CHAT, { msg_type: 'text', content: JSON.stringify({ text: '收到' }), uuid: 'u-1' })).toMatchObject({ message_id: expect.any(String) })
  }, 15_000)
})
