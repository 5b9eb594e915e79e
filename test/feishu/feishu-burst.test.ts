import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { feishuUuid } from '../../bot/feishu/sender.js'
import { deploymentId } from '../../db/queries/deployment.js'
import { platformKey } from '../../delivery/keys.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { burstCounty } from '../support/feishu-burst.js'
import { feishuHarness } from '../support/feishu-harness.js'
import type { Fault } from '../support/feishu-open-api.js'

const TOTAL = 300
const serverError: Fault = { status: 500, code: 1, msg: 'internal error' }

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`a burst of ${TOTAL} patches to 7 Feishu groups (${engine.name})`, () => {
    let t: TestDatabase
    let h: Awaited<ReturnType<typeof feishuHarness>>
    let groups: Map<string, string>
    let elapsedMs = 0

    beforeAll(async () => {
      t = await engine.open()
      h = await feishuHarness(t.db, { way: 'webhook' })
      groups = await burstCounty(t.db, TOTAL)
      // faults along the way: 500 before and after delivering, the app's 429, a revoked token
      h.api.plan((n) => {
        if (n === 150) h.api.revokeTokens()
        if (n % 41 === 0) return { status: 429, code: 99991400, headers: { 'x-ogw-ratelimit-reset': '2' } }
        if (n % 23 === 0) return serverError
        if (n % 31 === 0) return { ...serverError, afterCommit: true } // delivered, but the answer is lost
        return undefined
      })
      expect(await h.runtime.dispatch()).toBeGreaterThanOrEqual(TOTAL) // and the military patch, to the office only
      const started = h.time.now()
      await h.settle()
      elapsedMs = h.time.now() - started
    })
    afterAll(async () => {
      await h?.close()
      await t?.close()
    })

    it('delivers every message exactly once, in order per group', async () => {
      const rows = await t.db.selectFrom('outbox').select(['id', 'target', 'idempotency_key', 'nonce', 'status', 'sent_id']).where('platform', '=', 'feishu').orderBy('id').execute()
      expect(rows).toHaveLength(TOTAL)
      expect(rows.filter((r) => r.status !== 'sent')).toEqual([])
      const delivered = h.api.messages.filter((m) => m.uuid !== undefined)
      expect(delivered).toHaveLength(TOTAL) // nothing twice, despite the lost answers
      const deployment = await deploymentId(t.db)
      for (const [code, chat] of groups) {
        const expected = rows.filter((r) => r.target === chat)
        const got = h.api.sentTo(chat)
        expect(got.map((m) => m.uuid), code).toEqual(expected.map((r) => feishuUuid(platformKey(deployment, r))))
        expect(got.map((m) => m.messageId)).toEqual(expected.map((r) => r.sent_id))
      }
      const sends = h.api.requests.filter((r) => r.path === '/open-apis/im/v1/messages')
      expect(sends.filter((r) => r.status === 500).length).toBeGreaterThan(10)
      expect(sends.filter((r) => r.status === 429).length).toBeGreaterThan(3)
      // the revoked token: refused once per call in flight, dropped from the cache, fetched again
      expect(h.api.requests.filter((r) => r.code === 99991663).length).toBeGreaterThan(0)
      expect(h.api.requests.filter((r) => r.path.endsWith('/tenant_access_token/internal')).length).toBeGreaterThan(1)
    })

    it('stays inside the limits by pacing, and cannot beat them', async () => {
      // the fake refused (almost) nothing for rate: the channel waited instead
      expect(h.api.refused.perChat + h.api.refused.perApp).toBeLessThanOrEqual(3)
      const perChat = Math.max(...[...groups.values()].map((c) => h.api.sentTo(c).length))
      const boundMs = (Math.ceil(perChat / 5) - 1) * 1000 // 5 per second per chat
      expect(elapsedMs).toBeGreaterThanOrEqual(boundMs)
      console.log(`burst on ${engine.name}: ${TOTAL} messages, ${elapsedMs / 1000} s virtual; chat-limited bound ${boundMs / 1000} s; refused for rate: ${JSON.stringify(h.api.refused)}`)
    })
  })
}
