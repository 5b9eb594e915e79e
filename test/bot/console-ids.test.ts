// Issue 10, defect 11: two instances with the console on, one database: message ids never repeat.
import { describe, expect, it } from 'vitest'
import { ConsoleChannel } from '../../bot/console/console-channel.js'
import type { Inbound } from '../../delivery/channel.js'

describe('console message ids', () => {
  it('are unique across processes, even at the same instant', async () => {
    const ids: string[] = []
    const at = new Date('2026-11-03T01:00:00Z')
    const instances = [new ConsoleChannel(), new ConsoleChannel()] // as two processes would have
    for (const c of instances) await c.start(async (m: Inbound) => (ids.push(m.messageId), { status: 'duplicate', inboundId: 0 }))
    await Promise.all(Array.from({ length: 200 }, (_, i) => instances[i % 2]!.receive({ chatId: 'console:office', senderId: 's', kind: 'text', text: '帮助', at })))
    expect(ids).toHaveLength(200)
    expect(new Set(ids).size).toBe(200)
  })
})
