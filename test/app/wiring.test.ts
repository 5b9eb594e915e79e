// Issue 10 leftovers: the worker sent without the deployment id in its platform keys and gave rows up
// silently. It and the Node process now share one delivery path, the wiring's flush (app/wiring.ts):
// driven here exactly as worker/index.ts drives it (`flush(1, { batchSize })`).
import { afterEach, describe, expect, it } from 'vitest'
import { wire } from '../../app/wiring.js'
import { loadDemoCounty } from '../../db/demo/load-demo-county.js'
import { deploymentId } from '../../db/queries/deployment.js'
import type { Outgoing, Sender, SendOptions } from '../../delivery/channel.js'
import { enqueue } from '../../delivery/outbox/enqueue.js'
import { OFFICE, TOWNSHIP_CHAT } from '../support/console-harness.js'
import { engines, type TestDatabase } from '../support/databases.js'

const now = new Date('2026-11-03T01:00:00Z')

/** A console-platform sender that refuses one chat for good, as a platform refuses a bot removed from a group. */
class RecordingSender implements Sender {
  readonly platform = 'console'
  readonly sent: Array<{ chatId: string; message: Outgoing; key: string }> = []
  constructor(private readonly refuse: string) {}
  async send(chatId: string, message: Outgoing, options: SendOptions) {
    if (chatId === this.refuse) throw new Error('code 230002 bot is not in the chat')
    this.sent.push({ chatId, message, key: options.idempotencyKey })
    return { messageId: `m${this.sent.length}` }
  }
  async fetchMedia(): Promise<Uint8Array> {
    throw new Error('not used')
  }
}

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`the worker's delivery path (${engine.name})`, () => {
    let t: TestDatabase | undefined
    afterEach(async () => {
      await t?.close()
      t = undefined
    })

    it('puts the deployment id in every platform key and tells the office about a row given up', async () => {
      t = await engine.open()
      await loadDemoCounty(t.db, { now })
      const tenant = await t.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()
      const refused = TOWNSHIP_CHAT('450329100')
      const sender = new RecordingSender(refused)
      const wiring = wire({ db: t.db, now: () => now, channels: [{ platform: 'console', sender, receivers: [] }] })
      await enqueue(t.db, [
        { key: 'test:ok', tenantId: tenant.id, platform: 'console', target: TOWNSHIP_CHAT('450329101'), payload: { kind: 'text', text: '通知' } },
        { key: 'test:refused', tenantId: tenant.id, platform: 'console', target: refused, payload: { kind: 'text', text: '通知' } },
      ], now)
      await wiring.flush(1, { batchSize: 10 }) // the worker's call
      await wiring.flush(1, { batchSize: 10 }) // the notice, queued in the dead row's transaction

      const id = await deploymentId(t.db)
      expect(sender.sent.length).toBe(2)
      for (const s of sender.sent) expect(s.key.startsWith(`${id}:`)).toBe(true)
      const notice = sender.sent.find((s) => s.chatId === OFFICE)
      expect(notice?.message).toMatchObject({ kind: 'text', text: expect.stringContaining('【未送达】一条文字消息未能发送到') })
      const dead = await t.db.selectFrom('outbox').select(['status', 'last_error']).where('idempotency_key', '=', 'test:refused').executeTakeFirstOrThrow()
      expect(dead.status).toBe('dead')
    })
  })
}
