// Issue 10: delivery under the faults real Feishu produces, against the local Open API and the real
// SDK, on virtual time. Each `it` names the defect it reproduces.
import { mulberry32 } from '../../db/demo/seeded-random.js'
import * as lark from '@larksuiteoapi/node-sdk'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { FeishuSender, feishuUuid } from '../../bot/feishu/sender.js'
import { deploymentId } from '../../db/queries/deployment.js'
import { processName } from '../../db/open.js'
import type { Sender } from '../../delivery/channel.js'
import { platformKey } from '../../delivery/keys.js'
import { main as cli } from '../../app/cli.js'
import { listOutbox, requeueDead } from '../../delivery/outbox/admin.js'
import { enqueue } from '../../delivery/outbox/enqueue.js'
import { createMaterialiser } from '../../delivery/outbox/materialise.js'
import { backoffMs, deliverDue, PlatformHealth, reclaimOrphanedLeases } from '../../delivery/outbox/sender.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { APP_ID, APP_SECRET } from '../support/feishu-events.js'
import { burstCounty } from '../support/feishu-burst.js'
import { feishuHarness } from '../support/feishu-harness.js'
import { FakeOpenApi, type Fault } from '../support/feishu-open-api.js'
import { VirtualTime } from '../support/virtual-time.js'

const OFFICE_GROUP = 'oc_office_feishu'
const ZIYUAN = '450329100'
const rate429 = (reset: string): Fault => ({ status: 429, code: 99991400, headers: { 'x-ogw-ratelimit-reset': reset } })

/** A seeded generator: the jitter is random-looking and the same on every run. */
const seeded = mulberry32

describe('backoff', () => {
  it('grows from 1 s, is capped at 30 s, and its jitter comes from the injected random', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffMs(n, () => 0.999999))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000])
    expect(backoffMs(20, () => 0)).toBe(15000)
    const r = seeded(7)
    const a = [1, 2, 3].map((n) => backoffMs(n, r))
    const r2 = seeded(7)
    expect([1, 2, 3].map((n) => backoffMs(n, r2))).toEqual(a)
  })
})

describe('platform health', () => {
  const row = (id: number, target: string) => ({ id, platform: 'feishu', target })
  it('failures in two chats with no success between them are an outage: the next success frees the rows backed off', () => {
    const h = new PlatformHealth()
    h.failed(row(1, 'oc_a'))
    h.failed(row(2, 'oc_b'))
    h.failed(row(1, 'oc_a'))
    expect(h.succeeded('wecom')).toEqual([]) // another platform
    expect(h.succeeded('feishu').sort()).toEqual([1, 2])
    expect(h.succeeded('feishu')).toEqual([]) // once
  })
  it('one chat failing between successes elsewhere is that row\'s trouble: it keeps its backoff', () => {
    const h = new PlatformHealth()
    for (let i = 0; i < 5; i++) {
      h.failed(row(1, 'oc_poison'))
      expect(h.succeeded('feishu')).toEqual([])
    }
  })
  it('a row claimed again is in flight, not backing off', () => {
    const h = new PlatformHealth()
    h.failed(row(1, 'oc_a'))
    h.failed(row(2, 'oc_b'))
    h.claimed(row(2, 'oc_b'))
    expect(h.succeeded('feishu')).toEqual([1])
  })
})

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`delivery under Feishu faults (${engine.name})`, () => {
    let t: TestDatabase | undefined
    let h: Awaited<ReturnType<typeof feishuHarness>> | undefined

    afterEach(async () => {
      await h?.close()
      await t?.close()
      h = undefined
      t = undefined
    })

    async function county() {
      t = await engine.open()
      h = await feishuHarness(t.db, { way: "webhook", sender: { random: seeded(42) }, ...(process.env.FAULTS_LOG ? { log: (l: string) => console.log(l) } : {}) })
      const groups = await burstCounty(t.db, 0)
      const tenant = await t.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()
      await t.db.insertInto('chats').values({ tenant_id: tenant.id, platform: 'feishu', platform_chat_id: OFFICE_GROUP, kind: 'office', township_id: null, name: '县卫片办（飞书）' }).execute()
      return { t, h, groups, db: t.db }
    }
    /** Fewer new patches where the scale does not matter (the machine is shared): the rest closed. */
    async function keepIssued(db: TestDatabase['db'], n: number) {
      const keep = await db.selectFrom('patches').select('id').where('state', '=', 'issued').where('military', '=', false).orderBy('id').limit(n).execute()
      await db.updateTable('patches').set({ state: 'closed' }).where('state', '=', 'issued').where('id', 'not in', keep.map((k) => k.id)).execute()
    }
    const feishuRows = (db: TestDatabase['db']) =>
      db.selectFrom('outbox').select(['id', 'status', 'attempts', 'idempotency_key', 'nonce', 'target', 'sent_id', 'patch_id']).where('platform', '=', 'feishu').orderBy('id').execute()
    const delivered = (api: FakeOpenApi) => api.messages.filter((m) => m.uuid !== undefined)

    it('defect 1/3: a sustained rate limit (429, reset 1 s, for 40 s) kills nothing, counts no attempt, and sending resumes at the reset', async () => {
      const { h, db } = await county()
      const end = h.time.now() + 40_000
      h.api.plan(() => (h.time.now() < end ? rate429('1') : undefined))
      const pushed = await h.runtime.dispatch()
      expect(pushed).toBeGreaterThan(40)
      await h.settle()
      const rows = await feishuRows(db)
      expect(rows.filter((r) => r.status !== 'sent')).toEqual([])
      expect(new Set(rows.map((r) => r.attempts))).toEqual(new Set([1])) // the waits gave their attempts back
      expect(h.api.requests.filter((r) => r.status === 429).length).toBeGreaterThan(40)
      const after = delivered(h.api).map((m) => m.at)
      expect(Math.min(...after) - end).toBeLessThanOrEqual(1_100) // resumes at the reset, not after a backoff
      expect(Math.max(...after) - end).toBeLessThanOrEqual(5_000) // and the backlog drains at the chat limit
      const stuck = await db.selectFrom('patches').select('id').where('state', '=', 'issued').where('township_id', 'is not', null).execute()
      expect(stuck).toEqual([])
    }, 180_000) // 49 maps rendered and 40 s of virtual rate limits: over a minute on a loaded machine

    it('defect 2/3: the token endpoint answering HTTP 200 with a non-zero code (30 s), and 99991663 twice in a row, are transient: nothing dead, resumed within the 30 s cap', async () => {
      const { h, db } = await county()
      await keepIssued(db, 7)
      const end = h.time.now() + 30_000
      h.api.planTokens(() => (h.time.now() < end ? { status: 200, code: 10014, msg: 'app secret invalid' } : undefined))
      await h.runtime.dispatch()
      await h.settle()
      let rows = await feishuRows(db)
      expect(rows.filter((r) => r.status !== 'sent')).toEqual([])
      expect(Math.max(...rows.map((r) => r.attempts))).toBeGreaterThan(2) // they were retried with backoff
      const after = delivered(h.api).map((m) => m.at)
      expect(Math.min(...after) - end).toBeLessThanOrEqual(31_000)
      expect(h.api.requests.filter((r) => r.path.endsWith('/tenant_access_token/internal') && r.code === 10014).length).toBeGreaterThan(3)

      // a fresh token refused too: 99991663 on the send, the cache dropped, refused again → retried later
      h.api.failNext({ status: 400, code: 99991663, msg: 'Invalid access token for authorization.' }, 2)
      const tenant = await db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()
      await enqueue(db, [{ key: 'test:token-twice', tenantId: tenant.id, platform: 'feishu', target: OFFICE_GROUP, payload: { kind: 'text', text: '令牌' } }], h.time.date())
      await h.settle()
      rows = await feishuRows(db)
      expect(rows.find((r) => r.idempotency_key === 'test:token-twice')).toMatchObject({ status: 'sent', attempts: 2 })
    })

    it('defect 4 (and lost answers): 5xx, connection resets and answers lost after the message was accepted: every card once, the uuid (deployment id + key) absorbing the resends', async () => {
      const { h, db } = await county()
      await keepIssued(db, 14)
      h.api.plan((n) => {
        if (n === 4 || n === 17) return { status: 0, code: 0, reset: true, afterCommit: true } // delivered, then the connection dies
        if (n === 9 || n === 22) return { status: 0, code: 0, reset: true }
        if (n % 5 === 0) return { status: 503, code: 1, msg: 'service unavailable' }
        if (n % 11 === 0) return { status: 500, code: 1, afterCommit: true }
        return undefined
      })
      await h.runtime.dispatch()
      await h.settle()
      const rows = await feishuRows(db)
      expect(rows.filter((r) => r.status !== 'sent')).toEqual([])
      expect(delivered(h.api)).toHaveLength(rows.length)
      const deployment = await deploymentId(db)
      expect(deployment).toMatch(/^d[0-9a-f]{12}$/)
      const byUuid = new Map(delivered(h.api).map((m) => [m.uuid, m.messageId]))
      for (const r of rows) expect(byUuid.get(feishuUuid(platformKey(deployment, r)))).toBe(r.sent_id)
      expect(h.api.requests.filter((r) => r.status === 0).length).toBe(4)
    }, 180_000) // real round trips per fault: slow on a shared machine

    it('defect 4: the same outbox key from two databases on one app (copies of one template, as a restored backup) is two messages, each answered with its own id', async () => {
      const time = new VirtualTime('2026-11-03T01:00:00Z')
      const api = await new FakeOpenApi({ appId: APP_ID, appSecret: APP_SECRET, clock: time.now }).start()
      const sender = new FeishuSender({ config: { appId: APP_ID, appSecret: APP_SECRET, domain: api.url }, cache: new lark.DefaultCache(), clock: time })
      time.busy = () => sender.inFlight > 0
      const other = await engine.open()
      try {
        t = await engine.open()
        const results: Array<string | null> = []
        for (const [db, chat] of [[t.db, 'oc_production'], [other.db, 'oc_staging']] as const) {
          await enqueue(db, [{ key: 'in:1:0', tenantId: null, platform: 'feishu', target: chat, payload: { kind: 'text', text: chat } }], time.date())
          await deliverDue(db, new Map([['feishu', sender as Sender]]), createMaterialiser(db), time.date(), { deploymentId: await deploymentId(db) })
          results.push((await db.selectFrom('outbox').select('sent_id').executeTakeFirstOrThrow()).sent_id)
        }
        // the test databases are copies of one migrated template, like a restored backup: they share the
        // deployment id, and the rows' nonces still keep their keys apart
        expect(api.sentTo('oc_production')).toHaveLength(1)
        expect(api.sentTo('oc_staging')).toHaveLength(1)
        expect(results[0]).not.toBe(results[1])
      } finally {
        await other.close()
        await api.stop()
      }
    })

    it('defect 1: a 4xx that says the request is wrong is dead at once; the office hears which patch and why; the patch is not dispatched until re-queued', async () => {
      const { h, db, groups } = await county()
      const chat = groups.get(ZIYUAN)!
      let botRemoved = true
      h.api.plan((_n, req) => (botRemoved && (req.body as { receive_id?: string }).receive_id === chat ? { status: 400, code: 230002, msg: 'Bot is not in the chat' } : undefined))
      await h.runtime.dispatch()
      await h.settle()
      const township = await db.selectFrom('townships').select('id').where('code', '=', ZIYUAN).executeTakeFirstOrThrow()
      const dead = (await feishuRows(db)).filter((r) => r.status === 'dead')
      expect(dead.length).toBeGreaterThan(0)
      expect(dead.every((r) => r.target === chat && r.attempts === 1)).toBe(true)
      const ziyuan = await db.selectFrom('patches').select(['id', 'number', 'state']).where('township_id', '=', township.id).where('military', '=', false).execute()
      expect(ziyuan.map((p) => p.state)).toEqual(ziyuan.map(() => 'issued')) // not "dispatched": no card anywhere
      const notices = h.api.sentTo(OFFICE_GROUP).map((m) => String(m.content.text)).filter((x) => x.startsWith('【未送达】'))
      expect(notices).toHaveLength(dead.length)
      expect(notices[0]).toContain(`图斑 ${ziyuan.find((p) => p.id === dead[0]!.patch_id)!.number} 的推送卡片`)
      expect(notices[0]).toContain('机器人不在该群')
      expect(notices[0]).toContain(`npm run cli -- outbox --retry ${dead[0]!.id}`)
      const events = await db.selectFrom('patch_events').select('type').where('patch_id', '=', dead[0]!.patch_id!).orderBy('seq').execute()
      expect(events.map((e) => e.type).slice(-2)).toEqual(['pushed', 'push_failed'])
      // the dispatcher leaves them alone while dead
      expect(await h.runtime.dispatch()).toBe(0)
      expect((await listOutbox(db, { dead: true })).map((r) => r.id)).toEqual(dead.map((r) => r.id))
      const out: string[] = []
      const io = { openDb: async () => db, release: async () => {}, now: h.time.date, out: (l: string) => out.push(l), err: (l: string) => out.push(l) }
      expect(await cli(['outbox', '--dead'], io)).toBe(0)
      expect(out[0]).toMatch(new RegExp(`^#${dead[0]!.id} 已放弃 图斑 \\S+ card → `))
      expect(out.at(-1)).toContain(`共 ${dead.length} 条`)

      botRemoved = false // the bot is back in the group; staff re-queue
      expect(await cli(['outbox', '--retry', String(dead[0]!.id)], io)).toBe(0)
      expect(await requeueDead(db, 'all', h.time.date())).toBe(dead.length - 1)
      expect(await h.runtime.dispatch()).toBe(dead.length)
      await h.settle()
      expect((await feishuRows(db)).filter((r) => r.status !== 'sent')).toEqual([])
      const states = await db.selectFrom('patches').select('state').where('township_id', '=', township.id).where('military', '=', false).execute()
      expect(new Set(states.map((s) => s.state))).toEqual(new Set(['dispatched']))
      expect(h.api.sentTo(chat)).toHaveLength(dead.length)
    })

    it('defect 5: a patch whose township has no group waits, issued; the office is told which townships; binding the group delivers it', async () => {
      const { h, db, groups } = await county()
      const township = await db.selectFrom('townships').select(['id', 'name']).where('code', '=', ZIYUAN).executeTakeFirstOrThrow()
      await db.deleteFrom('chats').where('township_id', '=', township.id).execute() // no group, on any platform
      await h.runtime.dispatch()
      await h.settle()
      const waiting = await db.selectFrom('patches').select(['id', 'state']).where('township_id', '=', township.id).where('military', '=', false).execute()
      expect(waiting.length).toBeGreaterThan(0)
      expect(new Set(waiting.map((p) => p.state))).toEqual(new Set(['issued']))
      expect(await db.selectFrom('outbox').select('id').where('patch_id', 'in', waiting.map((p) => p.id)).execute()).toEqual([])
      const told = () => h.api.sentTo(OFFICE_GROUP).map((m) => String(m.content.text)).filter((x) => x.includes('尚未绑定乡镇群'))
      expect(told()).toHaveLength(1)
      expect(told()[0]).toContain(`${township.name}（${waiting.length}个）`)
      await h.runtime.dispatch() // every tick: told once, not again
      await h.settle()
      expect(told()).toHaveLength(1)

      const tenant = await db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()
      await db.insertInto('chats').values({ tenant_id: tenant.id, platform: 'feishu', platform_chat_id: groups.get(ZIYUAN)!, kind: 'township', township_id: township.id, name: township.name }).execute()
      expect(await h.runtime.dispatch()).toBe(waiting.length)
      await h.settle()
      expect(h.api.sentTo(groups.get(ZIYUAN)!)).toHaveLength(waiting.length)
    })

    it('defect 3: after a 60 s outage (503 on every send) every chat resumes with the first success, not each at its own backoff of up to 30 s', async () => {
      const { h, db, groups } = await county()
      const chats = [...groups.values()].slice(0, 4)
      const tenant = await db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()
      await enqueue(db, chats.flatMap((chat) => [1, 2, 3].map((n) => ({ key: `outage:${chat}:${n}`, tenantId: tenant.id, platform: 'feishu', target: chat, payload: { kind: 'text' as const, text: `${n}` } }))), h.time.date())
      const end = h.time.now() + 60_000
      h.api.plan(() => (h.time.now() < end ? { status: 503, code: 1, msg: 'service unavailable' } : undefined))
      await h.settle()
      const rows = await feishuRows(db)
      expect(rows.filter((r) => r.status !== 'sent')).toEqual([])
      // each chat's oldest row was failing on: backoffs of 8 s and more were running (the rows behind it waited)
      expect(Math.min(...rows.filter((r) => r.idempotency_key.endsWith(':1')).map((r) => r.attempts))).toBeGreaterThan(4)
      const at = delivered(h.api).map((m) => m.at)
      const first = Math.min(...at)
      expect(first).toBeGreaterThanOrEqual(end)
      // three messages a chat at 5/s: all out within a second of the first; the chats' own backoffs ran to 30 s
      expect(Math.max(...at) - first).toBeLessThanOrEqual(1_000)
    })

    it('defect 7: a starting sender takes back the rows a dead process had claimed, and leaves a live one its lease', async () => {
      const { h, db } = await county()
      const tenant = await db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()
      await enqueue(db, ['dead', 'alive'].map((who) => ({ key: `lease:${who}`, tenantId: tenant.id, platform: 'feishu', target: `oc_lease_${who}`, payload: { kind: 'text' as const, text: who } })), h.time.date())
      const leaseUntil = new Date(h.time.now() + 60_000)
      await db.updateTable('outbox').set({ lease_holder: 'weipian:killed:0', next_attempt_at: leaseUntil, attempts: 1 }).where('idempotency_key', '=', 'lease:dead').execute()
      let live: pg.Client | undefined
      if (engine.name === 'postgres') {
        // another instance, alive: its connection carries its name
        const url = await db.selectNoFrom((eb) => eb.fn<string>('current_database', []).as('d')).executeTakeFirstOrThrow()
        live = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${url.d}`, application_name: 'weipian:alive:1' })
        await live.connect()
        await db.updateTable('outbox').set({ lease_holder: 'weipian:alive:1', next_attempt_at: leaseUntil, attempts: 1 }).where('idempotency_key', '=', 'lease:alive').execute()
      }
      try {
        expect(await reclaimOrphanedLeases(db, processName, h.time.date())).toBe(1)
        await h.runtime.flush()
        expect(h.api.sentTo('oc_lease_dead')).toHaveLength(1) // at once, not after the 60 s lease
        expect(h.api.sentTo('oc_lease_alive')).toHaveLength(engine.name === 'postgres' ? 0 : 1)
      } finally {
        await live?.end()
      }
    })
  })
}
