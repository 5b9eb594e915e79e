// The worker end to end: `wrangler dev --local` (workerd) against the test PostgreSQL through the
// Hyperdrive binding, Feishu's Open API played by the local stand-in the SDK channel's tests use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoCounty } from '../../db/demo/load-demo-county.js'
import { enqueue } from '../../delivery/outbox/enqueue.js'
import { openPostgres, postgresReachable, type TestDatabase } from '../support/databases.js'
import { APP_ID, APP_SECRET, ENCRYPT_KEY, messageEvent, signed, VERIFICATION_TOKEN, type SignedRequest } from '../support/feishu-events.js'
import { FakeOpenApi } from '../support/feishu-open-api.js'
import { startWranglerDev } from '../support/wrangler-dev.js'

const GROUP = 'oc_worker_group'
const SOMEONE = 'ou_worker_someone'
const API_TOKEN = 'worker-api-token'

const reachable = await postgresReachable()

describe.skipIf(!reachable)('the worker in wrangler dev --local', () => {
  let t: TestDatabase
  let api: FakeOpenApi
  let dev: Awaited<ReturnType<typeof startWranglerDev>>

  beforeAll(async () => {
    t = await openPostgres()
    await loadDemoCounty(t.db, { now: new Date() })
    api = await new FakeOpenApi({ appId: APP_ID, appSecret: APP_SECRET, limits: false }).start()
    const { rows } = await t.db.executeQuery<{ url: string }>({ sql: 'select current_database() as url', parameters: [], query: { kind: 'SelectQueryNode' } } as never)
    const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
    url.pathname = `/${rows[0]!.url}`
    dev = await startWranglerDev({
      databaseUrl: url.toString(),
      vars: {
        FEISHU_APP_ID: APP_ID,
        FEISHU_APP_SECRET: APP_SECRET,
        FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
        FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
        FEISHU_DOMAIN: api.url,
        API_TOKEN,
      },
    })
  }, 150_000)
  afterAll(async () => {
    await dev?.stop()
    await api?.stop()
    await t?.close()
  })

  const post = (request: SignedRequest) => fetch(`${dev.base}/feishu/events`, { method: 'POST', body: request.body, headers: request.headers })
  const stored = async (messageId: string) =>
    (await t.db.selectFrom('inbound_messages').select(['id', 'handled_at']).where('platform', '=', 'feishu').where('message_id', '=', messageId).execute())
  const until = async <T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> => {
    const end = Date.now() + ms
    for (;;) {
      const value = await probe()
      if (value !== undefined) return value
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${dev.output().slice(-3000)}`)
      await new Promise((r) => setTimeout(r, 200))
    }
  }

  it('answers /healthz and keeps /api/* behind the token', async () => {
    const health = await fetch(`${dev.base}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ ok: true, database: { ok: true } })
    expect((await fetch(`${dev.base}/api/batches`, { method: 'POST' })).status).toBe(401)
    const authorised = await fetch(`${dev.base}/api/batches`, { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}` } })
    expect(authorised.status).toBe(400) // past the token: the importer's own answer (no multipart body)
  })

  it('stores a signed and encrypted Feishu event and answers it through the Open API', async () => {
    const parent = api.userMessage(GROUP)
    const event = messageEvent({ chatId: GROUP, senderId: SOMEONE, text: '帮助', at: new Date(), messageId: parent })
    const res = await post(signed(event, new Date()))
    expect(res.status).toBe(200)
    expect(await stored(parent)).toHaveLength(1)
    const reply = await until('the reply', async () => api.sentTo(GROUP).find((m) => m.parentId === parent))
    expect(reply.msgType).toMatch(/text|interactive/)
    expect(JSON.stringify(reply.content)).toMatch(/[\u4e00-\u9fff]/)
    await until('handled', async () => ((await stored(parent))[0]?.handled_at ? true : undefined))
    const row = await t.db.selectFrom('outbox').select(['status', 'sent_id']).where('platform', '=', 'feishu').where('target', '=', GROUP).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'sent', sent_id: reply.messageId })
  })

  it('refuses a forged event with 401 and stores nothing', async () => {
    const forged = messageEvent({ chatId: GROUP, senderId: SOMEONE, text: '帮助', at: new Date() })
    const id = (forged.event as { message: { message_id: string } }).message.message_id
    expect((await post(signed(forged, new Date(), { badSignature: true }))).status).toBe(401)
    expect((await post(signed(forged, new Date(), { signKey: 'not-the-key' }))).status).toBe(401)
    expect(await stored(id)).toEqual([])
  })

  it('runs the due jobs of a cron trigger once, and a second trigger changes nothing', async () => {
    // 2026-11-03 (a Tuesday, a working day) 08:05 China time = 00:05 UTC: the digest is due
    const time = Date.parse('2026-11-03T00:05:00Z')
    // miniflare's trigger path (wrangler's /__scheduled middleware drops `time`)
    const trigger = () => fetch(`${dev.base}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent('0 0 * * *')}&time=${time}`)
    const runs = () => t.db.selectFrom('job_runs').select(['job', 'period', 'note']).orderBy('id').execute()
    const first = await trigger()
    expect(first.status, dev.output().slice(-3000)).toBe(200)
    expect(await first.text()).toBe('ok')
    const after = await runs()
    expect(after.map((r) => `${r.job} ${r.period}`)).toEqual(['digest 2026-11-03'])
    const second = await trigger()
    expect(second.status).toBe(200)
    expect(await runs()).toEqual(after)
  })

  it('delivers a fan-out of 300 cards over several bounded invocations, each once, in order per chat', async () => {
    const chats = ['oc_fan_1', 'oc_fan_2', 'oc_fan_3', 'oc_fan_4', 'oc_fan_5', 'oc_fan_6', 'oc_fan_7']
    const messages = Array.from({ length: 300 }, (_, i) => ({
      key: `fanout:${i}`, tenantId: null, platform: 'feishu', target: chats[i % chats.length]!,
      payload: { kind: 'card' as const, card: { title: `图斑 ${i}`, fields: [['序号', String(i)]] as Array<[string, string]> } },
    }))
    await enqueue(t.db, messages, new Date())
    const minute = () => fetch(`${dev.base}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent('* * * * *')}`)
    const pending = async () => Number((await t.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).where('idempotency_key', 'like', 'fanout:%').where('status', '!=', 'sent').executeTakeFirstOrThrow()).n)
    let invocations = 0
    while ((await pending()) > 0 && invocations < 40) {
      expect((await minute()).status).toBe(200)
      invocations++
      await new Promise((r) => setTimeout(r, 1500)) // the drain runs in waitUntil after the answer
    }
    expect(await pending()).toBe(0)
    expect(invocations).toBeGreaterThan(3) // 40 Open API requests per invocation: never all at once
    for (const chat of chats) {
      const got = api.sentTo(chat).map((m) => JSON.stringify(m.content).match(/图斑 (\d+)/)![1]).map(Number)
      const want = messages.map((m, i) => (m.target === chat ? i : -1)).filter((i) => i >= 0)
      expect(got, chat).toEqual(want)
    }
    // no card sent twice: one create request per card
    const creates = api.requests.filter((r) => r.path === '/open-apis/im/v1/messages' && chats.includes((r.body as { receive_id: string }).receive_id))
    expect(creates).toHaveLength(300)
  }, 180_000)
})
