// What an outbox row holds (typed in db/payloads.ts, where the schema names it).
export type { OutboxCard, OutboxPayload } from '../../db/payloads.js'
