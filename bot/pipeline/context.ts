import type { Transaction } from 'kysely'
import type { Intent, Policy } from '../../core/index.js'
import type { Chat, Database, Person, Tenant } from '../../db/schema.js'
import type { Inbound } from '../../delivery/channel.js'
import type { OutboxPayload } from '../../delivery/outbox/payload.js'
import type { Recipient } from '../../delivery/recipients.js'

export type { Recipient }

export interface Effect {
  to: Recipient
  payload: OutboxPayload
  patchId?: number
}

/**
 * What every handler gets for one stored inbound message: read-only facts, the transaction, and
 * `say()`/`reply()`, which only queue effects — they become outbox rows in the same transaction as
 * the state, once the handler returns.
 */
export interface BaseContext {
  readonly trx: Transaction<Database>
  readonly inbound: Inbound
  readonly inboundId: number
  readonly now: Date
  /** what the text (or button) says, parsed once */
  readonly intent: Intent | undefined
  readonly effects: Effect[]
  say(to: Recipient, payload: OutboxPayload, patchId?: number): void
  reply(text: string, patchId?: number): void
}

/** A message from a chat bound to a tenant (a township group, the office, the leaders). */
export interface Context extends BaseContext {
  readonly tenant: Tenant
  readonly policy: Policy
  readonly chat: Chat
  readonly person: (Person & { townshipCode: string | null }) | undefined
  readonly township: { id: number; code: string; name: string } | undefined // of the chat
  readonly media: Uint8Array | undefined // the photo or file, fetched before the transaction
}

/** A message from a chat no tenant knows yet: only binding can happen there. */
export type UnboundContext = BaseContext

export function effectSink(): Pick<BaseContext, 'effects' | 'say' | 'reply'> {
  const effects: Effect[] = []
  return {
    effects,
    say(to, payload, patchId) {
      effects.push({ to, payload, ...(patchId !== undefined ? { patchId } : {}) })
    },
    reply(text, patchId) {
      effects.push({ to: { kind: 'here' }, payload: { kind: 'text', text }, ...(patchId !== undefined ? { patchId } : {}) })
    },
  }
}
