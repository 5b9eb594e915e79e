import * as lark from '@larksuiteoapi/node-sdk'
import type { FeishuConfig } from '../../bot/feishu/config.js'
import { feishuChannel } from '../../bot/feishu/feishu-channel.js'
import { createRuntime, type Runtime, type RuntimeOptions } from '../../app/runtime.js'
import { loadDemoCounty } from '../../db/demo/load-demo-county.js'
import type { Db } from '../../db/open.js'
import { APP_ID, APP_SECRET, deliverLongConnection, ENCRYPT_KEY, postWebhook, signed, VERIFICATION_TOKEN, type FeishuEvent } from './feishu-events.js'
import { FakeLongConnection } from './feishu-long-connection.js'
import { FakeOpenApi } from './feishu-open-api.js'
import { RealTime, VirtualTime } from './virtual-time.js'
import { settleOutbox } from './settle.js'

/**
 * How events come in: the webhook (signed, encrypted POSTs to the hono app), the long connection
 * (the SDK's real WSClient connected to the local gateway, test/support/feishu-long-connection.ts:
 * protobuf frames over a WebSocket, acknowledged per event), or the dispatcher the long connection
 * feeds, called directly (quicker, for tests about what happens after an event is in).
 */
export type Way = 'webhook' | 'long connection' | 'dispatcher'

/**
 * The demo county on a database, a runtime whose only channel is Feishu (the real SDK, pointed at
 * the local fake Open API), on virtual time. `deliver` brings an event in by the way asked for.
 */
export async function feishuHarness(db: Db, opts: { way: Way; start?: string; log?: (line: string) => void; realTime?: boolean; sender?: RuntimeOptions['sender']; demo?: boolean }) {
  // 09:00 China time, a Tuesday; the benchmark runs on the wall clock
  const time = opts.realTime ? new RealTime() : new VirtualTime(opts.start ?? '2026-11-03T01:00:00Z')
  const api = await new FakeOpenApi({ appId: APP_ID, appSecret: APP_SECRET, clock: time.now }).start()
  const gateway = opts.way === 'long connection' ? await new FakeLongConnection({ appId: APP_ID, appSecret: APP_SECRET }).start() : undefined
  api.longConnection = gateway
  if (opts.demo !== false) await loadDemoCounty(db, { now: time.date() })
  const config: FeishuConfig =
    opts.way === 'long connection'
      ? { appId: APP_ID, appSecret: APP_SECRET, mode: 'ws', domain: api.url }
      : { appId: APP_ID, appSecret: APP_SECRET, mode: 'webhook', domain: api.url, encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN }
  const log = opts.log ?? (() => {})
  const feishu = feishuChannel({ config, db, cache: new lark.DefaultCache(), clock: time, now: time.date, log })
  time.busy = () => feishu.sender.inFlight > 0
  const runtime: Runtime = await createRuntime({ db, now: time.date, console: false, channels: [feishu], log, ...(opts.sender ? { sender: opts.sender } : {}) })
  await gateway?.whenConnected()

  const h = {
    time,
    api,
    feishu,
    runtime,
    /** the long-connection gateway the SDK is connected to (way `long connection`) */
    gateway,
    /** brings one event in; returns what Feishu would get back */
    async deliver(event: FeishuEvent, wire: { parts?: number } = {}): Promise<Record<string, unknown>> {
      if (gateway) {
        const ack = await gateway.deliver(event, wire)
        if (ack.code !== 200) throw new Error(`the long connection acknowledged ${ack.code}`)
        return ack.answer ?? {}
      }
      if (opts.way === 'dispatcher') return deliverLongConnection(feishu, event)
      const answer = await postWebhook(runtime.app, signed(event, time.date()))
      if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}: ${JSON.stringify(answer.json)}`)
      return answer.json
    },
    /** handles what was accepted, then delivers the outbox until it is empty, moving time over backoffs */
    settle: (maxMs?: number) => settleOutbox(db, runtime, time, maxMs),
    async close() {
      await runtime.stop()
      await gateway?.stop()
      await api.stop()
    },
  }
  return h
}
