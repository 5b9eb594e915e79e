import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../core/index.js'
import { RetryableSendError, type Sender, type Inbound, type Outgoing, type SendOptions } from '../../delivery/channel.js'
import { createMaterialiser } from '../../delivery/outbox/materialise.js'
import { enqueue } from '../../delivery/outbox/enqueue.js'
import { deliverDue } from '../../delivery/outbox/sender.js'
import { storeInbound } from '../../db/queries/inbound.js'
import { inboundKey } from '../../delivery/keys.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { consoleHarness, FakeClock, OFFICE, STAFF } from '../support/console-harness.js'

/** A channel that records what it sent and fails on demand. */
class FlakyChannel implements Sender {
  readonly platform = 'flaky'
  sent: Array<{ chat: string; text: string; key: string }> = []
  failNext = new Map<string, number>() // chat → how many sends to fail
  async start() {}
  async stop() {}
  async fetchMedia(_m: NonNullable<Inbound['media']>): Promise<Uint8Array> {
    return new Uint8Array()
  }
  async send(chat: string, message: Outgoing, options: SendOptions) {
    const fails = this.failNext.get(chat) ?? 0
    if (fails > 0) {
      this.failNext.set(chat, fails - 1)
      throw new RetryableSendError('429 too many requests', 2000)
    }
    this.sent.push({ chat, text: message.kind === 'text' ? message.text : message.kind, key: options.idempotencyKey })
    return { messageId: `m-${this.sent.length}` }
  }
}

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`delivery and replay (${engine.name})`, () => {
    let t: TestDatabase
    const clock = new FakeClock(new Date('2026-11-03T01:00:00Z'))

    beforeAll(async () => {
      t = await engine.open()
    })
    afterAll(async () => t?.close())

    it('delivers each chat in order, retries after the wait, never sends a row twice', async () => {
      const channel = new FlakyChannel()
      const channels = new Map([[channel.platform, channel as Sender]])
      const materialise = createMaterialiser(t.db)
      const rows = ['a', 'b'].flatMap((chat) =>
        Array.from({ length: 5 }, (_, i) => ({ key: `t:${chat}:${i}`, tenantId: null, platform: 'flaky', target: chat, payload: { kind: 'text' as const, text: `${chat}${i}` } })),
      )
      await enqueue(t.db, rows, clock.now())
      await enqueue(t.db, rows, clock.now()) // the same keys again: ignored
      channel.failNext.set('a', 1)
      // two senders at once, as with two instances of the process
      let rounds = 0
      while (channel.sent.length < 10 && rounds++ < 50) {
        await Promise.all([deliverDue(t.db, channels, materialise, clock.now()), deliverDue(t.db, channels, materialise, clock.now())])
        clock.advanceMinutes(0.05) // 3 s: past the 2 s retry-after
      }
      expect(channel.sent.map((s) => s.text)).toHaveLength(10)
      for (const chat of ['a', 'b']) {
        expect(channel.sent.filter((s) => s.chat === chat).map((s) => s.text)).toEqual([0, 1, 2, 3, 4].map((i) => `${chat}${i}`))
      }
      const failed = await t.db.selectFrom('outbox').select(['attempts', 'last_error', 'status']).where('idempotency_key', '=', 't:a:0').executeTakeFirstOrThrow()
      expect(failed).toMatchObject({ attempts: 1, status: 'sent' }) // the 429's wait gave its attempt back
    })

    it('one claim takes a chat\'s oldest rows and sends them one after the other; after a failed one the rest are handed back untried', async () => {
      const channel = new FlakyChannel()
      channel.send = async function (this: FlakyChannel, chat: string, message: Outgoing, options: SendOptions) {
        if (message.kind === 'text' && message.text === 'k2') throw new RetryableSendError('503 service unavailable')
        return FlakyChannel.prototype.send.call(this, chat, message, options)
      }
      const rows = ['k', 'm'].flatMap((chat) => Array.from({ length: 6 }, (_, i) => ({ key: `pc:${chat}:${i}`, tenantId: null, platform: 'flaky', target: `pc-${chat}`, payload: { kind: 'text' as const, text: `${chat}${i}` } })))
      await enqueue(t.db, rows, clock.now())
      const sent = await deliverDue(t.db, new Map([['flaky', channel as Sender]]), createMaterialiser(t.db), clock.now())
      // chat m: its five oldest in one call, in order (the sixth waits for the next claim); chat k: two, then k2 failed
      expect(channel.sent.filter((x) => x.chat === 'pc-m').map((x) => x.text)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4'])
      expect(channel.sent.filter((x) => x.chat === 'pc-k').map((x) => x.text)).toEqual(['k0', 'k1'])
      expect(sent).toBe(7)
      const k = await t.db.selectFrom('outbox').select(['idempotency_key', 'status', 'attempts']).where('target', '=', 'pc-k').orderBy('id').execute()
      expect(k.map((r) => [r.status, r.attempts])).toEqual([['sent', 1], ['sent', 1], ['pending', 1], ['pending', 0], ['pending', 0], ['pending', 0]])
    })

    it('gives up on a permanent error and keeps the reason', async () => {
      const channel = new FlakyChannel()
      channel.send = async () => {
        throw new Error('chat not found')
      }
      await enqueue(t.db, [{ key: 'perm:1', tenantId: null, platform: 'flaky', target: 'gone', payload: { kind: 'text', text: 'x' } }], clock.now())
      await deliverDue(t.db, new Map([['flaky', channel as Sender]]), createMaterialiser(t.db), clock.now())
      const row = await t.db.selectFrom('outbox').select(['status', 'last_error']).where('idempotency_key', '=', 'perm:1').executeTakeFirstOrThrow()
      expect(row.status).toBe('dead')
      expect(row.last_error).toContain('chat not found')
    })

    it('a crash between storing and handling loses nothing; replay handles it once; a redelivery is ignored', async () => {
      let crash = true
      const h = await consoleHarness(t.db, clock, {
        afterStore: () => {
          if (crash) throw new Error('simulated crash after store')
        },
      })
      const body = { chat: OFFICE, sender: STAFF, text: '帮助', messageId: 'crash-1' }
      await h.post(body)
      const stored = await t.db.selectFrom('inbound_messages').select(['id', 'status', 'error', 'error_code']).where('message_id', '=', 'crash-1').executeTakeFirstOrThrow()
      expect(stored.status).toBe('failed')
      expect(stored.error_code).toBe('unexpected') // a plain Error has no code of its own
      expect(stored.error).toContain('simulated crash')
      await h.runtime.flush()
      // the sender is told the message is kept and will be retried — once
      const notices = (await h.botSaid(OFFICE)).filter((e) => e.replyTo === 'crash-1')
      expect(notices.map((e) => e.text)).toEqual(['这条消息暂时未能处理，已保存，系统会自动重试；如长时间没有回复，请联系县卫片办。'])

      crash = false
      expect(await h.runtime.replay()).toBe(1)
      await h.runtime.flush()
      await h.post(body) // the platform delivers the same message again
      await h.runtime.replay()
      const replies = (await h.botSaid(OFFICE)).filter((e) => e.replyTo === 'crash-1')
      expect(replies).toHaveLength(2) // the notice, then the one real answer
      expect(replies[1]!.text).toContain('查 图斑号')
      const rows = await t.db.selectFrom('inbound_messages').select('status').where('message_id', '=', 'crash-1').execute()
      expect(rows).toEqual([{ status: 'handled' }])
    })

    it('periodic replay leaves young rows (maybe in flight) and rows that failed too often', async () => {
      const h = await consoleHarness(t.db, clock, { afterStore: () => { throw new AppError('test-poison', 'always fails', { cause: new Error('the root cause') }) } })
      await h.post({ chat: OFFICE, sender: STAFF, text: '帮助', messageId: 'poison-1' })
      expect(await h.runtime.replay({ olderThanMs: 60_000, maxAttempts: 3 })).toBe(0) // too young: not touched
      const young = await t.db.selectFrom('inbound_messages').select('attempts').where('message_id', '=', 'poison-1').executeTakeFirstOrThrow()
      expect(young.attempts).toBe(1)
      clock.advanceMinutes(2)
      await h.runtime.replay({ olderThanMs: 60_000, maxAttempts: 3 })
      await h.runtime.replay({ olderThanMs: 60_000, maxAttempts: 3 })
      await h.runtime.replay({ olderThanMs: 60_000, maxAttempts: 3 })
      const row = await t.db.selectFrom('inbound_messages').select(['attempts', 'status', 'error', 'error_code']).where('message_id', '=', 'poison-1').executeTakeFirstOrThrow()
      expect(row).toMatchObject({ attempts: 3, status: 'failed', error_code: 'test-poison' }) // stored with its code …
      expect(row.error).toContain('always fails')
      expect(row.error).toContain('the root cause') // … and its cause
    })

    it('replay at start queues the whole backlog first: a message accepted meanwhile is handled after it, in its chat', async () => {
      const h = await consoleHarness(t.db, clock)
      // a process died with 150 messages of one chat stored, none handled (more than one page of the old replay)
      const backlog: number[] = []
      for (let i = 0; i < 150; i++) {
        const stored = await storeInbound(t.db, { platform: 'console', messageId: `backlog-${i}`, chatId: OFFICE, senderId: STAFF, kind: 'text', text: '帮助', at: clock.now() })
        backlog.push(stored.id)
      }
      const replayed = h.runtime.replay()
      const firstReply = () => t.db.selectFrom('outbox').select('id').where('idempotency_key', '=', inboundKey(backlog[0]!, 0)).executeTakeFirst()
      while (!(await firstReply())) await new Promise((resolve) => setImmediate(resolve))
      const accepted = await h.runtime.pipeline.accept({ platform: 'console', messageId: 'after-restart', chatId: OFFICE, senderId: STAFF, kind: 'text', text: '帮助', at: clock.now() })
      expect(await replayed).toBeGreaterThanOrEqual(150) // and what earlier tests left unhandled on this database
      await h.runtime.pipeline.idle()
      const replies = await t.db.selectFrom('outbox').select(['id', 'idempotency_key']).where('idempotency_key', 'in', [...backlog, accepted.inboundId].map((id) => inboundKey(id, 0))).orderBy('id').execute()
      // handled in the chat's order: the backlog as stored, then the new message
      expect(replies.map((r) => r.idempotency_key)).toEqual([...backlog, accepted.inboundId].map((id) => inboundKey(id, 0)))
    })
  })
}
