// Issue 10, defect 12: /healthz reports the database and each channel's connection (503 when not
// ready); /metrics speaks Prometheus text.
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../app/http.js'
import type { Database } from '../../db/schema.js'
import type { Receiver, ReceiverState } from '../../delivery/channel.js'
import { enqueue } from '../../delivery/outbox/enqueue.js'
import { openPglite, type TestDatabase } from '../support/databases.js'

const now = () => new Date('2026-11-03T01:00:00Z')
const receiver = (state: ReceiverState): Receiver => ({ platform: 'feishu', start: async () => {}, stop: async () => {}, state: () => state })

describe('/healthz and /metrics', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await openPglite()
  })
  afterAll(async () => t?.close())

  it('is ready only with the database answering and every connection up', async () => {
    const ok = await createApp({ db: t.db, now, receivers: [receiver('up'), { platform: 'console', start: async () => {}, stop: async () => {} }] }).request('/healthz')
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ ok: true, database: { ok: true }, channels: [{ platform: 'feishu', state: 'up' }, { platform: 'console', state: 'up' }] })
    const down = await createApp({ db: t.db, now, receivers: [receiver('connecting')] }).request('/healthz')
    expect(down.status).toBe(503)
    expect(await down.json()).toMatchObject({ ok: false, channels: [{ state: 'connecting' }] })
  })

  it('answers 503 when the database is unreachable', async () => {
    const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:9/none', connectionTimeoutMillis: 1000 })
    const gone = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    try {
      const answer = await createApp({ db: gone, now }).request('/healthz')
      expect(answer.status).toBe(503)
      expect(await answer.json()).toMatchObject({ ok: false, database: { ok: false } })
      expect((await createApp({ db: gone, now }).request('/metrics')).status).toBe(503)
    } finally {
      await gone.destroy()
    }
  })

  it('exports inbound, outbox (pending, dead, oldest age) and job counts in Prometheus text', async () => {
    await enqueue(t.db, [{ key: 'm:1', tenantId: null, platform: 'feishu', target: 'oc_1', payload: { kind: 'text', text: 'x' } }], new Date(now().getTime() - 90_000))
    await enqueue(t.db, [{ key: 'm:2', tenantId: null, platform: 'feishu', target: 'oc_2', payload: { kind: 'text', text: 'y' } }], now())
    await t.db.updateTable('outbox').set({ status: 'dead' }).where('idempotency_key', '=', 'm:2').execute()
    const answer = await createApp({ db: t.db, now }).request('/metrics')
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toContain('text/plain; version=0.0.4')
    const text = await answer.text()
    expect(text).toContain('weipian_outbox_messages{platform="feishu",status="pending"} 1')
    expect(text).toContain('weipian_outbox_messages{platform="feishu",status="dead"} 1')
    expect(text).toContain('weipian_outbox_oldest_pending_seconds{platform="feishu"} 90')
    expect(text).toContain('weipian_inbound_messages{status="failed"} 0')
    expect(text).toMatch(/# TYPE weipian_job_runs gauge/)
    for (const line of text.trim().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? -?[\d.e+]+)$/)
  })
})
