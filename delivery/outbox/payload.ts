import type { Card } from '../channel.js'

/**
 * What an outbox row holds. Large things (the map picture, a .docx) are referenced, not copied:
 * the sender materialises them at delivery, so the outbox stays small.
 */
export type OutboxCard = Omit<Card, 'image'> & { mapOfPatch?: number }

export type OutboxPayload =
  | { kind: 'text'; text: string }
  | { kind: 'card'; card: OutboxCard }
  /** a new version of a card sent before: `ofKey` is the idempotency key of the original card's row */
  | { kind: 'update'; ofKey: string; card: OutboxCard }
  | { kind: 'file'; documentId: number }
  | { kind: 'image'; imageOf: { chart: string; data: unknown } }
