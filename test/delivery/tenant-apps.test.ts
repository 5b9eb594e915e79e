import * as lark from '@larksuiteoapi/node-sdk'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withTenantApps } from '../../app/channels.js'
import { createRuntime } from '../../app/runtime.js'
import { feishuChannel } from '../../bot/feishu/feishu-channel.js'
import type { FeishuConfig } from '../../bot/feishu/config.js'
import { wecomChannel } from '../../bot/wecom/wecom-channel.js'
import { credentialsKey, CredentialsError, decryptSecret, setCredential } from '../../db/credentials.js'
import { json } from '../../db/json.js'
import { enqueue } from '../../delivery/outbox/enqueue.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { FakeOpenApi } from '../support/feishu-open-api.js'
import { FakeWecomServer } from '../support/wecom-server.js'

// Per-county apps: 资源县 brings its own Feishu app and WeCom bot (stored encrypted), 平乐县 shares
// the deployment's. Each county's messages go out through its own app, and only there.
const SHARED = { appId: 'cli_0000000000000001', appSecret: 'shared-secret' }
const OWN = { appId: 'cli_0000000000000002', appSecret: 'own-secret-of-ziyuan' }
const KEY = randomBytes(32).toString('hex')

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`per-county apps (${engine.name})`, () => {
    let t: TestDatabase
    let ids: { own: number; shared: number }
    const now = () => new Date('2026-11-03T01:00:00Z')
    beforeAll(async () => {
      t = await engine.open()
      const own = await t.db.insertInto('tenants').values({ code: '450329', name: '资源县', policy_overrides: json({}) }).returning('id').executeTakeFirstOrThrow()
      const shared = await t.db.insertInto('tenants').values({ code: '450330', name: '平乐县', policy_overrides: json({}) }).returning('id').executeTakeFirstOrThrow()
      ids = { own: own.id, shared: shared.id }
    })
    afterAll(async () => t?.close())

    async function queue(platform: string, n: number) {
      const rows = [ids.own, ids.shared].flatMap((tenantId) =>
        Array.from({ length: n }, (_, i) => ({
          key: `${platform}:${tenantId}:${i}`, tenantId, platform, target: `chat_${tenantId}_${i % 4}`,
          payload: { kind: 'text' as const, text: `县${tenantId} 第${i}条` },
        })))
      await enqueue(t.db, rows, now())
    }

    it('the secret is stored encrypted and needs the key back', async () => {
      const key = credentialsKey(KEY)!
      await setCredential(t.db, ids.own, 'feishu', OWN.appId, OWN.appSecret, key, null, now())
      const row = await t.db.selectFrom('tenant_credentials').selectAll().where('tenant_id', '=', ids.own).executeTakeFirstOrThrow()
      expect(row.secret).not.toContain(OWN.appSecret)
      expect(decryptSecret(row.secret, key)).toBe(OWN.appSecret)
      expect(() => decryptSecret(row.secret, randomBytes(32))).toThrow(CredentialsError)
      expect(() => credentialsKey('short')).toThrow(/32 字节/)
    })

    it('Feishu: each county’s messages through its own app, the others through the shared one', async () => {
      const sharedApi = await new FakeOpenApi({ ...SHARED }).start()
      const ownApi = await new FakeOpenApi({ ...OWN }).start()
      try {
        await setCredential(t.db, ids.own, 'feishu', OWN.appId, OWN.appSecret, credentialsKey(KEY)!, ownApi.url, now())
        const config: FeishuConfig = { mode: 'ws', ...SHARED, domain: sharedApi.url }
        const make = (c: FeishuConfig) => feishuChannel({ config: c, db: t.db, now, cache: new lark.DefaultCache() })
        const channels = await withTenantApps([make(config)], { feishu: config, wecom: undefined, database: { kind: 'pglite', dataDir: 'memory://' }, credentialsKey: KEY }, { db: t.db, now, log: () => {} }, { feishu: make })
        expect(channels.map((c) => c.platform)).toEqual(['feishu'])
        await queue('feishu', 12)
        const runtime = await createRuntime({ db: t.db, now, console: false, channels })
        try {
          await runtime.flush()
        } finally {
          await runtime.stop()
        }
        expect(ownApi.messages.map((m) => m.chatId).every((c) => c.startsWith(`chat_${ids.own}_`))).toBe(true)
        expect(sharedApi.messages.map((m) => m.chatId).every((c) => c.startsWith(`chat_${ids.shared}_`))).toBe(true)
        expect([ownApi.messages.length, sharedApi.messages.length]).toEqual([12, 12])
        // each app was asked for its own token: the secret decrypted from the table reached Feishu
        expect(ownApi.requests.some((r) => r.path.endsWith('/tenant_access_token/internal'))).toBe(true)
      } finally {
        await ownApi.stop()
        await sharedApi.stop()
      }
    })

    it('WeCom: two bots, each county’s messages over its own long connection', async () => {
      const shared = await new FakeWecomServer({ botId: 'aibShared000000000001', secret: 'shared-bot-secret' }).start()
      const own = await new FakeWecomServer({ botId: 'aibZiyuan000000000002', secret: 'ziyuan-bot-secret' }).start()
      try {
        await setCredential(t.db, ids.own, 'wecom', own.botId, own.secret, credentialsKey(KEY)!, own.url, now())
        const make = (c: { botId: string; secret: string; wsUrl: string | undefined; ca: string | undefined }) => wecomChannel({ config: c, db: t.db, now, reconnectBaseMs: 20 })
        const base = { botId: shared.botId, secret: shared.secret, wsUrl: shared.url, ca: undefined }
        const channels = await withTenantApps([make(base)], { feishu: undefined, wecom: base, database: { kind: 'pglite', dataDir: 'memory://' }, credentialsKey: KEY }, { db: t.db, now, log: () => {} }, { wecom: make })
        await queue('wecom', 6)
        const runtime = await createRuntime({ db: t.db, now, console: false, channels })
        try {
          await Promise.all([shared.subscribed(1), own.subscribed(1)])
          await runtime.flush()
        } finally {
          await runtime.stop()
        }
        expect(own.subscribes[0]).toMatchObject({ botId: own.botId, ok: true })
        expect(own.messages.map((m) => m.chatId).sort()).toEqual([0, 0, 1, 1, 2, 3].map((i) => `chat_${ids.own}_${i}`))
        expect(shared.messages.map((m) => m.chatId).sort()).toEqual([0, 0, 1, 1, 2, 3].map((i) => `chat_${ids.shared}_${i}`))
      } finally {
        await own.stop()
        await shared.stop()
      }
    })
  })
}
