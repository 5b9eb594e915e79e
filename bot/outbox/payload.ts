import type { Card } from '../channel.js'

/**
 * What an outbox row holds. Large things (the map picture, a .docx) are referenced, not copied:
 * the sender materialises them at delivery, so the outbox stays small.
 */
export type OutboxPayload =
  | { kind: 'text'; text: string }
  | { kind: 'card'; card: Omit<Card, 'image'> & { mapOfPatch?: number } }
  | { kind: 'file'; documentId: number }
  | { kind: 'image'; imageOf: { chart: string; data: unknown } }
