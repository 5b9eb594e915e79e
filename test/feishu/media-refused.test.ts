// Issue 10, defect 13: a picture whose download answers 4xx is answered once ("send it again"),
// not retried every minute forever: the message is handled without it (bot/pipeline/process-inbound.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPglite, type TestDatabase } from '../support/databases.js'
import { messageEvent } from '../support/feishu-events.js'
import { feishuHarness } from '../support/feishu-harness.js'

describe('a media download refused by Feishu (pglite)', () => {
  let t: TestDatabase
  let h: Awaited<ReturnType<typeof feishuHarness>>
  beforeAll(async () => {
    t = await openPglite()
    h = await feishuHarness(t.db, { way: 'webhook' })
  })
  afterAll(async () => {
    await h?.close()
    await t?.close()
  })

  it('is answered at once and never replayed', async () => {
    const messageId = h.api.userMessage('oc_media_gone')
    // no such resource on the fake: Feishu answers HTTP 400, code 234003 (File not in msg.)
    await h.deliver(messageEvent({ chatId: 'oc_media_gone', senderId: 'ou_x', at: h.time.date(), messageId, image: 'img_v3_withdrawn' }))
    await h.settle()
    const row = await t.db.selectFrom('inbound_messages').select(['status', 'error', 'attempts']).where('message_id', '=', messageId).executeTakeFirstOrThrow()
    expect(row.status).toBe('handled')
    expect(h.api.sentTo('oc_media_gone')).toHaveLength(1) // answered once (handled without the picture)
    h.time.advance(5 * 60_000)
    expect(await h.runtime.replay({ olderThanMs: 60_000, maxAttempts: 10 })).toBe(0)
    const downloads = h.api.requests.filter((r) => r.path.includes('/resources/'))
    expect(downloads).toHaveLength(1)
  })
})
