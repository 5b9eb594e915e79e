import type { Transaction } from 'kysely'
import type { Policy } from '../../core/index.js'
import type { Chat, Database, Person, Tenant } from '../../db/schema.js'
import type { Inbound } from '../../delivery/channel.js'
import type { OutboxPayload } from '../../delivery/outbox/payload.js'

export type Recipient =
  | { kind: 'here' } // the chat the message came from, as a reply
  | { kind: 'township'; townshipId: number }
  | { kind: 'office' }
  | { kind: 'leaders' }
  | { kind: 'chat'; platform: string; chatId: string } // one chat: the one a card to update was sent to

export interface Effect {
  to: Recipient
  payload: OutboxPayload
  patchId?: number
}

/**
 * Everything a handler may know about one inbound message, read-only, plus `say()`, which only
 * queues: the effects are written to the outbox in the same transaction as the state.
 */
export interface Context {
  readonly trx: Transaction<Database>
  readonly inbound: Inbound
  readonly inboundId: number
  readonly now: Date
  readonly tenant: Tenant
  readonly policy: Policy
  readonly chat: Chat
  readonly person: (Person & { townshipCode: string | null }) | undefined
  readonly township: { id: number; code: string; name: string } | undefined // of the chat
  readonly media: Uint8Array | undefined // the photo or file, fetched before the transaction
  readonly effects: Effect[]
  say(to: Recipient, payload: OutboxPayload, patchId?: number): void
  reply(text: string, patchId?: number): void
}
