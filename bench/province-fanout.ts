// The fan-out part of `npm run bench -- province`: N cards to N township groups of 100 counties
// spread over 10 Feishu apps (each county's own, tenant_credentials), each app against its own
// local Open API server with Feishu's limits (50/s per app, 5/s per chat). Prints the time, the
// cards/s, the highest per-app rate seen in any second, and what the servers refused.
import * as lark from '@larksuiteoapi/node-sdk'
import { randomBytes } from 'node:crypto'
import { withTenantApps } from '../app/channels.js'
import { createRuntime } from '../app/runtime.js'
import { feishuChannel } from '../bot/feishu/feishu-channel.js'
import type { FeishuConfig } from '../bot/feishu/config.js'
import { credentialsKey, setCredential } from '../db/credentials.js'
import { json } from '../db/json.js'
import { openDatabase } from '../db/open.js'
import { enqueue } from '../delivery/outbox/enqueue.js'
import { FakeOpenApi } from '../test/support/feishu-open-api.js'

export async function fanoutAcrossApps(o: { cards: number; apps: number }): Promise<string> {
  const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' })
  const servers: FakeOpenApi[] = []
  const keyText = randomBytes(32).toString('hex')
  const key = credentialsKey(keyText)!
  const now = () => new Date()
  try {
    const counties = 100
    const tenants = await db.insertInto('tenants')
      .values(Array.from({ length: counties }, (_, i) => ({ code: String(450000 + i), name: `县${i}`, policy_overrides: json({}) })))
      .returning('id').execute()
    for (let a = 0; a < o.apps; a++) {
      servers.push(await new FakeOpenApi({ appId: `cli_${String(a).padStart(16, '0')}`, appSecret: `secret-${a}` }).start())
    }
    for (const [i, t] of tenants.entries()) {
      const s = servers[i % o.apps]!
      await setCredential(db, t.id, 'feishu', s.options.appId, s.options.appSecret, key, s.url, now())
    }
    await enqueue(db, Array.from({ length: o.cards }, (_, i) => {
      const tenantId = tenants[i % counties]!.id
      return {
        key: `fanout:${i}`, tenantId, platform: 'feishu', target: `oc_${tenantId}_${Math.floor(i / counties)}`,
        payload: { kind: 'card' as const, card: { title: `新下发图斑 JC${i}`, template: 'blue' as const, fields: [['面积', '3.2亩'], ['耕地', '1.1亩']] as Array<[string, string]> } },
      }
    }), now())
    const make = (c: FeishuConfig) => feishuChannel({ config: c, db, now, cache: new lark.DefaultCache() })
    const channels = await withTenantApps([], { feishu: undefined, wecom: undefined, database: { kind: 'pglite', dataDir: 'memory://' }, credentialsKey: keyText }, { db, now, log: () => {} }, { feishu: make })
    const runtime = await createRuntime({ db, now, console: false, channels })
    const started = performance.now()
    try {
      while ((await db.selectFrom('outbox').select('id').where('status', '=', 'pending').limit(1).execute()).length) await runtime.flush()
    } finally {
      await runtime.stop()
    }
    const seconds = (performance.now() - started) / 1000
    let peak = 0
    for (const s of servers) {
      const at = s.messages.map((m) => m.at).sort((a, b) => a - b)
      for (let i = 0, j = 0; i < at.length; i++) {
        while (at[i]! - at[j]! >= 1000) j++
        peak = Math.max(peak, i - j + 1)
      }
    }
    const sent = servers.reduce((n, s) => n + s.messages.length, 0)
    const refused = servers.reduce((n, s) => n + s.refused.perApp + s.refused.perChat, 0)
    const bound = o.cards / (o.apps * 50)
    return `扇出：${sent}/${o.cards} 张卡片经 ${o.apps} 个飞书应用送达，用时 ${seconds.toFixed(1)} s（${(sent / seconds).toFixed(0)} 张/s；下限 ${bound.toFixed(1)} s = 每应用 50 条/s）；单应用任一秒最多 ${peak} 条，服务器限流拒绝 ${refused} 次`
  } finally {
    for (const s of servers) await s.stop()
    await db.destroy()
  }
}
