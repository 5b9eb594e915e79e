import { json } from '../../db/json.js'
import type { Queryable } from '../../db/schema.js'
import type { OutboxPayload } from './payload.js'

export interface OutboxMessage {
  key: string // idempotency key, derived from what caused it (inbound id, job period …)
  tenantId: number | null
  platform: string
  target: string
  replyTo?: string | null
  payload: OutboxPayload
  patchId?: number | null
}

/** Queues messages; a key seen before is ignored, so a replayed cause sends nothing twice. */
export async function enqueue(db: Queryable, messages: OutboxMessage[], now: Date) {
  if (messages.length === 0) return
  await db
    .insertInto('outbox')
    .values(
      messages.map((m) => ({
        tenant_id: m.tenantId,
        idempotency_key: m.key,
        platform: m.platform,
        target: m.target,
        reply_to: m.replyTo ?? null,
        kind: m.payload.kind,
        payload: json(m.payload),
        patch_id: m.patchId ?? null,
        next_attempt_at: now,
        created_at: now, // the caller's clock, so transcripts order like the events that caused them
      })),
    )
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute()
}
