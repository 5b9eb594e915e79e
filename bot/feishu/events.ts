import * as lark from '@larksuiteoapi/node-sdk'
import type { Accept } from '../../delivery/channel.js'
import { inboundFromBotAdded, inboundFromCardAction, inboundsFromMessage, type BotAddedEvent, type CardActionEvent, type MessageEvent } from './inbound-map.js'

/**
 * The one event mapping both receivers feed: the long connection (WSClient) and the webhook call
 * the same EventDispatcher with an event that is already authenticated and decrypted. It turns
 * events into inbound messages and hands them to `accept` (which stores them once), and answers at
 * once — the work happens afterwards.
 */
export interface EventDeps {
  /** the pipeline's way in; the receiver sets it when it starts */
  accept: () => Accept
  now: () => Date
  log: (line: string) => void
  logger: lark.Logger
  /** the clicked card as it should look now (the click acknowledged), if we know it */
  cardAfterClick?: ((messageId: string, action: { name: string; value: Record<string, string> }) => Promise<Record<string, unknown> | undefined>) | undefined
}

export interface CardActionAnswer {
  toast: { type: 'info' | 'success' | 'warning' | 'error'; content: string }
  card?: { type: 'raw'; data: Record<string, unknown> }
}

export const EVENTS = {
  message: 'im.message.receive_v1',
  botAdded: 'im.chat.member.bot.added_v1',
  cardAction: 'card.action.trigger',
} as const

export function createDispatcher(deps: EventDeps): lark.EventDispatcher {
  const seen = new RecentIds(5000)
  const dispatcher = new lark.EventDispatcher({ logger: deps.logger, loggerLevel: lark.LoggerLevel.warn })
  // card.action.trigger has no typings in the SDK: register through a cast
  const handles: Record<string, (data: unknown) => Promise<unknown>> = {
    [EVENTS.message]: async (data) => {
      const event = data as MessageEvent
      if (event.event_id && seen.has(event.event_id)) return
      for (const inbound of inboundsFromMessage(event, deps.now())) await deps.accept()(inbound)
      if (event.event_id) seen.add(event.event_id) // only once stored: a failed store must be retried by Feishu
    },
    [EVENTS.cardAction]: async (data): Promise<CardActionAnswer> => {
      const event = data as CardActionEvent
      const inbound = inboundFromCardAction(event, deps.now())
      if (!inbound) return { toast: { type: 'error', content: '无法识别的按钮操作，请直接回复文字。' } }
      const result = seen.has(inbound.messageId) ? 'duplicate' : (await deps.accept()(inbound)).status
      seen.add(inbound.messageId)
      if (result === 'duplicate') return { toast: { type: 'info', content: '该操作已收到，正在处理，请勿重复点击。' } }
      // the toast matters more than the card: a card that cannot be built is left as it is
      const card = inbound.replyTo
        ? await deps.cardAfterClick?.(inbound.replyTo, inbound.action!).catch((error: unknown) => void deps.log(`feishu: card after click: ${String(error)}`))
        : undefined
      return { toast: { type: 'success', content: '已收到，正在处理。结果将在群内回复。' }, ...(card ? { card: { type: 'raw' as const, data: card } } : {}) }
    },
    [EVENTS.botAdded]: async (data) => {
      const inbound = inboundFromBotAdded(data as BotAddedEvent, deps.now())
      if (!inbound || seen.has(inbound.messageId)) return
      await deps.accept()(inbound)
      seen.add(inbound.messageId)
    },
  }
  dispatcher.register(handles as never)
  return dispatcher
}

/** A bounded set of recently seen event ids: a fast path in front of the inbound store's dedupe. */
class RecentIds {
  readonly #ids = new Set<string>()
  constructor(readonly max: number) {}
  has(id: string) {
    return this.#ids.has(id)
  }
  add(id: string) {
    this.#ids.add(id)
    if (this.#ids.size > this.max) this.#ids.delete(this.#ids.values().next().value!)
  }
}
