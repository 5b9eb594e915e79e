import { createRuntime, type Runtime } from '../../app/runtime.js'
import { wecomChannel } from '../../bot/wecom/wecom-channel.js'
import type { CallbackOutcome } from '../../bot/wecom/long-connection.js'
import { loadDemoCounty } from '../../db/demo/load-demo-county.js'
import type { Db } from '../../db/open.js'
import type { Channel } from '../../delivery/channel.js'
import { FakeWecomServer } from './wecom-server.js'
import { RealTime, VirtualTime } from './virtual-time.js'
import { settleOutbox } from './settle.js'

export const BOT_ID = 'aibAbCdEfGh1234567890'
export const BOT_SECRET = 'test-bot-secret'

let seq = 0
export const msgid = () => `msg_${Date.now().toString(16)}_${++seq}`

/**
 * The demo county on a database, a runtime whose only channel is WeCom: the real SDK connected to
 * the local protocol server, on virtual time. `push` brings a callback in over the socket and waits
 * until the receiver has stored it (a real socket event), `settle` handles and delivers.
 */
export async function wecomHarness(db: Db, opts: { start?: string; log?: (line: string) => void; channels?: (time: VirtualTime | RealTime) => Channel[]; realTime?: boolean } = {}) {
  // the benchmark runs on the wall clock; tests on virtual time (09:00 China time, a Tuesday)
  const time = opts.realTime ? new RealTime() : new VirtualTime(opts.start ?? '2026-11-03T01:00:00Z')
  const server = await new FakeWecomServer({ botId: BOT_ID, secret: BOT_SECRET }).start()
  await loadDemoCounty(db, { now: time.date() })
  const waiting = new Map<string, (outcome: CallbackOutcome) => void>()
  const logs: string[] = []
  const log = (line: string) => {
    logs.push(line)
    opts.log?.(line)
  }
  const wecom = wecomChannel({
    config: { botId: BOT_ID, secret: BOT_SECRET, wsUrl: server.url, ca: undefined },
    db, now: time.date, log,
    reconnectBaseMs: 20,
    observe: (id, outcome) => waiting.get(id)?.(outcome),
  })
  const runtime: Runtime = await createRuntime({ db, now: time.date, console: false, channels: [wecom, ...(opts.channels?.(time) ?? [])], log })
  await server.subscribed(1)

  const h = {
    time, server, wecom, runtime, logs,
    /** one callback in; resolves with what the receiver made of it */
    async push(kind: 'message' | 'event', body: Record<string, unknown>): Promise<CallbackOutcome> {
      const id = String(body.msgid)
      const stored = new Promise<CallbackOutcome>((resolve) => waiting.set(id, resolve))
      if (kind === 'message') server.pushMessage(body)
      else server.pushEvent(body)
      const outcome = await stored
      waiting.delete(id)
      return outcome
    },
    /** handles what was accepted, then delivers the outbox until it is empty, moving time over backoffs */
    settle: (maxMs?: number) => settleOutbox(db, runtime, time, maxMs),
    async close() {
      await runtime.stop()
      await server.stop()
    },
  }
  return h
}

/** A message callback body as WeCom sends it. */
export function messageBody(spec: {
  chatId?: string // a group; absent: the one-to-one chat
  from: string
  msgid?: string
  text?: string
  images?: Array<{ url: string; aeskey: string }>
  quote?: string
  at?: Date
}): Record<string, unknown> {
  const base = {
    msgid: spec.msgid ?? msgid(),
    aibotid: BOT_ID,
    ...(spec.chatId ? { chatid: spec.chatId, chattype: 'group' } : { chattype: 'single' }),
    from: { userid: spec.from },
    ...(spec.at ? { create_time: Math.floor(spec.at.getTime() / 1000) } : {}),
    ...(spec.quote ? { quote: { msgtype: 'text', text: { content: spec.quote } } } : {}),
  }
  const images = spec.images ?? []
  if (images.length === 0) return { ...base, msgtype: 'text', text: { content: spec.text ?? '' } }
  if (!spec.text && images.length === 1) return { ...base, msgtype: 'image', image: images[0] }
  return {
    ...base,
    msgtype: 'mixed',
    mixed: { msg_item: [...(spec.text ? [{ msgtype: 'text', text: { content: spec.text } }] : []), ...images.map((image) => ({ msgtype: 'image', image }))] },
  }
}

/** A template-card button press, in the documented shape (details under the event type's name). */
export function cardEventBody(spec: { chatId?: string; from: string; taskId: string; eventKey: string; msgid?: string }): Record<string, unknown> {
  return {
    msgid: spec.msgid ?? msgid(),
    create_time: Math.floor(Date.now() / 1000),
    aibotid: BOT_ID,
    ...(spec.chatId ? { chatid: spec.chatId, chattype: 'group' } : { chattype: 'single' }),
    from: { userid: spec.from },
    msgtype: 'event',
    event: { eventtype: 'template_card_event', template_card_event: { card_type: 'button_interaction', event_key: spec.eventKey, task_id: spec.taskId } },
  }
}
