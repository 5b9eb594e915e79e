import { FileBox } from 'file-box'
import { mock, PuppetMock } from 'wechaty-puppet-mock'
import { createRuntime, type Runtime } from '../../app/runtime.js'
import type { MessageOutcome } from '../../bot/wechaty/receiver.js'
import { wechatyChannel } from '../../bot/wechaty/wechaty-channel.js'
import { loadDemoCounty } from '../../db/demo/load-demo-county.js'
import type { Db } from '../../db/open.js'
import { VirtualTime } from './virtual-time.js'
import { settleOutbox } from './settle.js'

type MockContact = ReturnType<mock.Mocker['createContact']>
type MockRoom = ReturnType<mock.Mocker['createRoom']>

type MockPayload = { talkerId: string; type: number; text?: string; id: string }

/** What the bot said, as the mock puppet saw it go out. */
export interface SaidMessage {
  chat: string
  type: 'text' | 'image' | 'file'
  text: string
  fileName?: string
}

/**
 * The demo county on a database and a runtime whose only channel is Wechaty over the mock puppet
 * (wechaty-puppet-mock: the sanctioned double for a real puppet), on virtual time. `say` sends as a
 * contact and waits until the receiver has stored (or dropped) the message; `settle` handles and
 * delivers; `said` is what the bot sent, per room or contact.
 */
export async function wechatyHarness(db: Db, opts: { start?: string; log?: (line: string) => void } = {}) {
  const time = new VirtualTime(opts.start ?? '2026-11-03T01:00:00Z') // 09:00 China time, a Tuesday
  await loadDemoCounty(db, { now: time.date() })
  const mocker = new mock.Mocker()
  const puppet = new PuppetMock({ mocker })
  const me = mocker.createContact({ name: '卫片执法助手' })
  const logs: string[] = []
  const log = (line: string) => {
    logs.push(line)
    opts.log?.(line)
  }
  const observed: Array<{ id: string; outcome: MessageOutcome }> = []
  let wake: () => void = () => {}
  const channel = wechatyChannel({
    config: { puppet: 'wechaty-puppet-mock', token: undefined, name: `test-${Date.now()}`, logLevel: 'silent' },
    db, now: time.date, log, puppet,
    observe: (id, outcome) => {
      observed.push({ id, outcome })
      wake()
    },
  })
  const runtime: Runtime = await createRuntime({ db, now: time.date, console: false, channels: [channel], log })
  const { bot } = await channel.handle.get()
  const loggedIn = new Promise<void>((resolve) => bot.once('login', () => resolve()))
  mocker.login(me)
  await loggedIn

  const said: SaidMessage[] = []
  const listen = (conversation: MockRoom | MockContact, chat: string) =>
    (conversation as unknown as { on(event: 'message', listener: (m: { payload: MockPayload }) => void): void }).on('message', (m) => {
      if (m.payload.talkerId !== me.id) return
      const box = mocker.cacheFileBoxPayload.get(m.payload.id) as { name?: string } | undefined
      const type = m.payload.type === bot.Message.Type.Image ? 'image' : box ? 'file' : 'text'
      said.push({ chat, type, text: m.payload.text ?? '', ...(box?.name ? { fileName: box.name } : {}) })
    })

  async function nextObserved(): Promise<{ id: string; outcome: MessageOutcome }> {
    const seen = observed.length
    while (observed.length === seen) await new Promise<void>((resolve) => (wake = resolve))
    return observed[seen]!
  }

  const h = {
    time, mocker, me, bot, channel, runtime, logs, said,
    contact(name: string) {
      const c = mocker.createContact({ name })
      listen(c, c.id)
      return c
    },
    room(topic: string, members: MockContact[]) {
      const r = mocker.createRoom({ topic, memberIdList: [me.id, ...members.map((m) => m.id)] })
      listen(r, r.id)
      return r
    },
    /** a message in; resolves with its id and what the receiver made of it */
    async say(from: MockContact, what: string | Buffer, to: MockRoom | MockContact, opts: { atBot?: boolean; fileName?: string } = {}) {
      const next = nextObserved()
      const something = typeof what === 'string' ? (opts.atBot ? `@${me.payload.name}\u2005${what}` : what) : FileBox.fromBase64(what.toString('base64'), opts.fileName ?? 'photo.jpg')
      from.say(something as never, opts.atBot ? [me] : []).to(to)
      return next
    },
    /** the same message delivered again by the puppet */
    async redeliver(messageId: string) {
      const next = nextObserved()
      puppet.emit('message', { messageId })
      return next
    },
    saidIn: (chat: string) => said.filter((m) => m.chat === chat),
    /** handles what was accepted, then delivers the outbox until it is empty, moving time over backoffs */
    settle: (maxMs?: number) => settleOutbox(db, runtime, time, maxMs),
    async close() {
      await runtime.stop()
    },
  }
  return h
}
