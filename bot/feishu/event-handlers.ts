import type { Accept, Inbound } from '../../delivery/channel.js'
import { inboundFromBotAdded, inboundFromCardAction, inboundsFromMessage, type BotAddedEvent, type CardActionEvent, type MessageEvent } from './inbound-map.js'

/**
 * The one event mapping every receiver feeds: the long connection (the SDK's WSClient, through its
 * EventDispatcher — events.ts), the Node webhook and the worker's webhook call these handlers with an
 * event that is already authenticated and decrypted. They turn events into inbound messages, hand
 * them to `accept` (which stores them once), and answer at once — the work happens afterwards.
 * No SDK here: the worker imports this file (the SDK does not load on workerd).
 */
export interface EventDeps {
  /** the pipeline's way in; the receiver sets it when it starts */
  accept: () => Accept
  now: () => Date
  log: (line: string) => void
  /** why the clicker may not use this button (core's authorize), if they may not: the toast says it */
  clickRefusal?: ((inbound: Inbound) => Promise<string | undefined>) | undefined
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

export function eventHandlers(deps: EventDeps): Record<string, (data: unknown) => Promise<unknown>> {
  const seen = new RecentIds(5000)
  return {
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
      // stored and handled like any click (the group hears the reason too), but the toast says no
      const refusal = await deps.clickRefusal?.(inbound).catch((error: unknown) => void deps.log(`feishu: click check: ${String(error)}`))
      if (refusal) return { toast: { type: 'error', content: refusal } }
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
}

export type EventHandlers = ReturnType<typeof eventHandlers>

/**
 * An event as the SDK's dispatcher hands it to a handler: schema 2.0 flattened (`header` and `event`
 * merged into the top level), the type from `header.event_type` (v1: `event.type`).
 */
export function flattenEvent(data: Record<string, unknown>): { type: string | undefined; flat: Record<string, unknown> } {
  const { header, event, ...rest } = data as { header?: Record<string, unknown>; event?: Record<string, unknown> } & Record<string, unknown>
  if ('schema' in data) return { type: header?.event_type as string | undefined, flat: { ...rest, ...header, ...event } }
  return { type: event?.type as string | undefined, flat: { ...event, ...rest } }
}

/** Calls the handler of an (authenticated, decrypted) event, as the SDK's `invoke` does; unknown types are ignored. */
export async function dispatchEvent(handlers: EventHandlers, data: Record<string, unknown>, log: (line: string) => void = () => {}): Promise<unknown> {
  const { type, flat } = flattenEvent(data)
  const handler = type ? handlers[type] : undefined
  if (!handler) {
    log(`feishu: no handler for event ${type ?? '(no type)'}`)
    return undefined
  }
  return handler(flat)
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
