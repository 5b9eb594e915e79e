// The acknowledgement path's store (db/queries/inbound.ts inboundStore): under load the messages that
// arrive while an insert is in flight go in together, each answered as if stored alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Inbound } from '../../db/payloads.js'
import { inboundStore, storeInbounds } from '../../db/queries/inbound.js'
import { engines, type TestDatabase } from '../support/databases.js'

const at = new Date('2026-11-03T01:00:00Z')
const message = (id: string, text = '查 1'): Inbound => ({ platform: 'feishu', messageId: id, chatId: 'oc_a', senderId: 'ou_a', kind: 'text', text, at })

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`inbound store (${engine.name})`, () => {
    let t: TestDatabase
    beforeAll(async () => {
      t = await engine.open()
    })
    afterAll(async () => t?.close())

    it('one INSERT for a list, answered in order; a message given twice, or stored before, is a duplicate with the first one\'s id', async () => {
      const [before] = await storeInbounds(t.db, [message('m-0')])
      const stored = await storeInbounds(t.db, [message('m-1'), message('m-0'), message('m-2'), message('m-1')])
      expect(stored.map((s) => s.duplicate)).toEqual([false, true, false, true])
      expect(stored[1]!.id).toBe(before!.id)
      expect(stored[3]!.id).toBe(stored[0]!.id)
      expect(new Set(stored.map((s) => s.id)).size).toBe(3)
    })

    it('concurrent stores while inserts are in flight are batched; each gets its own row, and a message that cannot be stored fails alone', async () => {
      let statements = 0
      const counted = t.db.withPlugin({
        transformQuery: (args) => {
          if (args.node.kind === 'InsertQueryNode') statements++
          return args.node
        },
        transformResult: async (args) => args.result,
      })
      const store = inboundStore(counted, { maxInFlight: 1 })
      const ids = Array.from({ length: 60 }, (_, i) => `b-${i}`)
      const ok = await Promise.all(ids.map((id) => store(message(id))))
      expect(ok.every((s) => !s.duplicate)).toBe(true)
      const rows = await t.db.selectFrom('inbound_messages').select(['id', 'message_id']).where('message_id', 'in', ids).execute()
      expect(new Map(rows.map((r) => [r.message_id, r.id]))).toEqual(new Map(ids.map((id, i) => [id, ok[i]!.id])))
      expect(statements).toBe(2) // the first alone, the 59 that came meanwhile in one

      const results = await Promise.allSettled([
        store(message('c-0')),
        store(message('c-1')),
        store(message('bad', 'nul \u0000 in jsonb')), // PostgreSQL refuses \u0000 in jsonb
        store(message('b-3')), // again
        store(message('c-2')),
      ])
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'])
      expect(results[3]).toEqual({ status: 'fulfilled', value: { id: ok[3]!.id, duplicate: true } })
      const c = await t.db.selectFrom('inbound_messages').select('message_id').where('message_id', 'like', 'c-%').execute()
      expect(c.map((r) => r.message_id).sort()).toEqual(['c-0', 'c-1', 'c-2'])
    })
  })
}
