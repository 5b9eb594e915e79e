import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../app/runtime.js'
import { advisoryLock } from '../../bot/wecom/connection-lock.js'
import { wecomChannel } from '../../bot/wecom/wecom-channel.js'
import { loadDemoCounty } from '../../db/demo/load-demo-county.js'
import { openPostgres, postgresReachable, type TestDatabase } from '../support/databases.js'
import { VirtualTime } from '../support/virtual-time.js'
import { BOT_ID, BOT_SECRET, messageBody } from '../support/wecom-harness.js'
import { FakeWecomServer } from '../support/wecom-server.js'

const OFFICE_GROUP = 'wrkOfficeTakeover'
const STAFF = 'LiWeiPian'

/** Two instances on one PostgreSQL: only the lock holder connects; when it goes, or is kicked, the other takes over. */
describe.skipIf(!(await postgresReachable()))('one WeCom connection per bot across instances (postgres)', () => {
  let t: TestDatabase
  let server: FakeWecomServer
  const time = new VirtualTime('2026-11-03T01:00:00Z')
  const instances: Array<{ runtime: Runtime; logs: string[] }> = []
  const stored = new Map<string, () => void>()

  async function instance() {
    const logs: string[] = []
    const waiters: Array<[RegExp, () => void]> = []
    const log = (line: string) => {
      logs.push(line)
      for (const [re, resolve] of waiters) if (re.test(line)) resolve()
    }
    const logged = (re: RegExp) => new Promise<void>((resolve) => (logs.some((l) => re.test(l)) ? resolve() : waiters.push([re, resolve])))
    const channel = wecomChannel({
      config: { botId: BOT_ID, secret: BOT_SECRET, wsUrl: server.url, ca: undefined },
      db: t.db, now: time.date, log, reconnectBaseMs: 20, kickedBackoffMs: 50,
      lock: advisoryLock(t.db, BOT_ID, { pollMs: 30, log }),
      observe: (id) => stored.get(id)?.(),
    })
    const runtime = await createRuntime({ db: t.db, now: time.date, console: false, channels: [channel], log })
    instances.push({ runtime, logs })
    return { runtime, logs, channel, logged }
  }

  async function say(runtime: Runtime, text: string) {
    const body = messageBody({ chatId: OFFICE_GROUP, from: STAFF, text: `@卫片执法助手 ${text}` })
    const done = new Promise<void>((resolve) => stored.set(String(body.msgid), resolve))
    server.pushMessage(body)
    await done
    await runtime.pipeline.idle()
    await runtime.flush()
    return String(body.msgid)
  }

  beforeAll(async () => {
    t = await openPostgres()
    server = await new FakeWecomServer({ botId: BOT_ID, secret: BOT_SECRET }).start()
    await loadDemoCounty(t.db, { now: time.date() })
    const tenant = await t.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()
    await t.db.insertInto('people').values({ tenant_id: tenant.id, platform: 'wecom', platform_user_id: STAFF, name: '李卫片', role: 'staff', township_id: null }).execute()
  })
  afterAll(async () => {
    for (const i of instances) await i.runtime.stop().catch(() => {})
    await server?.stop()
    await t?.close()
  })

  it('connects only the holder; the other takes over when it stops, and when it is kicked', async () => {
    const a = await instance()
    await server.subscribed(1)
    const b = await instance()
    await b.logged(/由另一实例持有/) // b asked the database and was told to wait
    expect(server.subscribes).toHaveLength(1)
    expect(b.channel.sender.ready()).toBe(false)

    await say(a.runtime, '绑定 卫片办')
    expect(server.sentTo(OFFICE_GROUP).map((m) => JSON.stringify(m.body)).join()).toContain('县卫片办工作群')

    // a goes away: b holds the lock, connects, subscribes, and answers
    await a.runtime.stop()
    await server.subscribed(2)
    const asked = await say(b.runtime, '统计')
    expect(server.sentTo(OFFICE_GROUP).pop()!.body).toBeDefined()
    expect(await t.db.selectFrom('inbound_messages').select('status').where('message_id', '=', asked).executeTakeFirstOrThrow()).toEqual({ status: 'handled' })

    // a third instance waits; b is kicked (another connection took the bot): it lets the lock go and c takes over
    const c = await instance()
    server.pushEvent({ msgid: 'kick-1', create_time: 0, aibotid: BOT_ID, chattype: 'single', from: { userid: '' }, msgtype: 'event', event: { eventtype: 'disconnected_event' } })
    await server.subscribed(3)
    expect(b.logs.join('\n')).toContain('新连接顶替')
    const later = await say(c.runtime, '逾期')
    expect(await t.db.selectFrom('inbound_messages').select('status').where('message_id', '=', later).executeTakeFirstOrThrow()).toEqual({ status: 'handled' })
    expect(await t.db.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute()).toEqual([])
  })
})
