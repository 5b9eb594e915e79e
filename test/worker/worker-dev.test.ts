// The worker end to end: `wrangler dev --local` (workerd) against the test PostgreSQL through the
// Hyperdrive binding, Feishu's Open API played by the local stand-in the SDK channel's tests use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoCounty } from '../../db/demo/load-demo-county.js'
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
    expect(await health.json()).toEqual({ ok: true })
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
})
