import type { Accept, Accepted, Inbound } from '../../delivery/channel.js'
import { inboundStore, unhandledInbound } from '../../db/queries/inbound.js'
import { processStored, type HandlingDeps } from './process-inbound.js'

export type PipelineDeps = HandlingDeps

export interface Pipeline {
  /** The one way in, for every receiver: store once, answer, handle afterwards in order per chat. */
  accept: Accept
  /**
   * Handles what was stored but not handled: after a crash, at start-up, and periodically. Rows
   * younger than `olderThanMs` may still be in flight; rows that failed `maxAttempts` times wait for a person.
   */
  replay(options?: { olderThanMs?: number; maxAttempts?: number }): Promise<number>
  /** Resolves when everything accepted so far has been handled. */
  idle(): Promise<void>
  readonly deps: PipelineDeps
}

/**
 * grammY's handleUpdate, Bolt's processEvent: receivers only build an `Inbound` and call `accept`.
 * Storing comes first (unique per platform message id), so the receiver may acknowledge as soon as
 * `accept` returns; the handling is queued per chat, so a group's messages are handled in order.
 */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const queues = new Map<string, Promise<unknown>>() // chat → the last handling queued for it

  function enqueueHandling(chatKey: string, inboundId: number): Promise<'handled' | 'failed'> {
    const previous = queues.get(chatKey) ?? Promise.resolve()
    const handled = previous.then(() => processStored(deps, inboundId)) // never rejects: a failure is recorded on the row
    const tail = handled.finally(() => {
      if (queues.get(chatKey) === tail) queues.delete(chatKey)
    })
    queues.set(chatKey, tail)
    return handled
  }

  const chatKey = (platform: string, chatId: string) => `${platform}\u0000${chatId}`
  // the acknowledgement waits for this insert only: on connections of its own when given, batched under load
  const store = inboundStore(deps.ingestDb ?? deps.db)

  // while a replay queues its backlog, a new message waits to be queued behind it (order per chat)
  let queuing: Promise<void> = Promise.resolve()

  return {
    deps,
    async accept(message: Inbound): Promise<Accepted> {
      const stored = await store(message)
      if (stored.duplicate) return { status: 'duplicate', inboundId: stored.id }
      await queuing
      return { status: 'accepted', inboundId: stored.id, handled: enqueueHandling(chatKey(message.platform, message.chatId), stored.id) }
    },
    async replay(options = {}) {
      const before = new Date(deps.now().getTime() - (options.olderThanMs ?? 0))
      // the whole backlog queued first, page by page, each chat in order, then handled at full speed;
      // a message accepted meanwhile goes behind it
      const results: Array<Promise<'handled' | 'failed'>> = []
      let done: () => void = () => {}
      const previous = queuing
      queuing = new Promise<void>((resolve) => (done = resolve))
      try {
        await previous
        for (let afterId = 0; ; ) {
          const rows = await unhandledInbound(deps.db, { before, maxAttempts: options.maxAttempts ?? 10, afterId, limit: 1000 })
          if (rows.length === 0) break
          afterId = rows[rows.length - 1]!.id
          for (const row of rows) results.push(enqueueHandling(chatKey(row.platform, row.chatId), row.id))
        }
      } finally {
        done()
      }
      return (await Promise.all(results)).filter((r) => r === 'handled').length
    },
    async idle() {
      while (queues.size > 0) await Promise.all([...queues.values()])
    },
  }
}
