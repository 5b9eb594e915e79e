import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { Accept } from '../../delivery/channel.js'
import { currentCard } from '../../delivery/outbox/current-card.js'
import { acknowledgedCard } from '../../render/acknowledged-card.js'
import type { Card } from '../../render/card.js'
import { authorize, buttonCommand, type ChatScope, type Sender } from '../../core/index.js'
import { eventHandlers, type EventHandlers } from './event-handlers.js'
import { PLATFORM } from './inbound-map.js'

/**
 * The event mapping as both Feishu channels (SDK and fetch) build it: `accept` bound when the
 * receiver starts, and a clicked card answered with the card as the database has it now.
 */
export function feishuEventMapping(options: {
  db: Kysely<Database>
  now: () => Date
  log: (line: string) => void
  cardJson: (card: Card) => Promise<Record<string, unknown>>
}): { handlers: EventHandlers; bind: (accept: Accept | undefined) => void } {
  let accept: Accept | undefined
  const handlers = eventHandlers({
    accept: () => {
      if (!accept) throw new Error('feishu: receiver not started') // the event is not acknowledged: Feishu delivers it again
      return accept
    },
    now: options.now,
    log: options.log,
    clickRefusal: async (inbound) => {
      const command = inbound.action && buttonCommand(inbound.action.name)
      if (!command) return undefined
      const person = await options.db
        .selectFrom('people')
        .select(['role', 'township_id'])
        .where('platform', '=', PLATFORM)
        .where('platform_user_id', '=', inbound.senderId)
        .executeTakeFirst()
      const chat = await options.db.selectFrom('chats').select(['kind', 'township_id']).where('platform', '=', PLATFORM).where('platform_chat_id', '=', inbound.chatId).executeTakeFirst()
      const sender: Sender | undefined = person ? (person.township_id === null ? { role: person.role } : { role: person.role, townshipId: person.township_id }) : undefined
      const scope: ChatScope = chat ? (chat.township_id === null ? { kind: chat.kind } : { kind: chat.kind, townshipId: chat.township_id }) : { kind: 'unbound' }
      const verdict = authorize(command, sender, scope)
      return verdict.ok ? undefined : verdict.reason
    },
    cardAfterClick: async (messageId, action) => {
      const card = await currentCard(options.db, PLATFORM, messageId)
      return card && options.cardJson(acknowledgedCard(card, action))
    },
  })
  return { handlers, bind: (next) => void (accept = next) }
}
