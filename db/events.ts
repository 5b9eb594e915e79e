// The append-only patch event log with a hash chain: a changed or deleted step is detectable.
import { createHash } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import { advanceChain } from './chain.js'
import { json } from './json.js'
import type { Database, PatchEvent } from './schema.js'

/** JSON with object keys sorted at every level: jsonb reorders keys, the hash must not care. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
    }
    return v
  })
}

export interface EventContent {
  prevHash: string
  patchNumber: string
  type: string
  at: Date
  actor: string
  inboundId: number | null
  data: Record<string, unknown>
}

/**
 * sha256 hex of the canonical JSON of {prev_hash, number, type, at, actor, inbound_id, data}: who did
 * a step, and from which message, is as protected as what was done. `verify` recomputes it.
 */
export function eventHash(e: EventContent): string {
  const body = canonicalJson({
    prev_hash: e.prevHash, number: e.patchNumber, type: e.type, at: e.at.toISOString(),
    actor: e.actor, inbound_id: e.inboundId, data: e.data,
  })
  return createHash('sha256').update(body).digest('hex')
}

/** The hash a stored event row should carry. */
export function storedEventHash(row: PatchEvent, patchNumber: string): string {
  return eventHash({
    prevHash: row.prev_hash, patchNumber, type: row.type, at: new Date(row.at), actor: row.actor,
    inboundId: row.inbound_id, data: row.data,
  })
}

export interface AppendEvent {
  patchId: number
  type: string
  at: Date
  actor: string
  data: Record<string, unknown>
  inboundId?: number | null
}

/**
 * Appends the next event of a patch. Locks the patch row first so concurrent appends to one patch
 * queue up instead of both reading the same last seq. Call inside a transaction.
 */
export async function appendEvent(trx: Transaction<Database> | Kysely<Database>, e: AppendEvent): Promise<PatchEvent> {
  const patch = await trx.selectFrom('patches').select(['id', 'number', 'tenant_id']).where('id', '=', e.patchId).forUpdate().executeTakeFirstOrThrow()
  const last = await trx
    .selectFrom('patch_events')
    .select(['seq', 'hash'])
    .where('patch_id', '=', e.patchId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  const prevHash = last?.hash ?? ''
  const hash = eventHash({ prevHash, patchNumber: patch.number, type: e.type, at: e.at, actor: e.actor, inboundId: e.inboundId ?? null, data: e.data })
  const seq = (last?.seq ?? 0) + 1
  // the tenant's head, kept apart from the events, advances in this same transaction
  const [chainSeq] = await advanceChain(trx, patch.tenant_id, [{ patchId: e.patchId, seq, hash }], e.at)
  return trx
    .insertInto('patch_events')
    .values({
      patch_id: e.patchId,
      seq,
      type: e.type,
      at: e.at,
      actor: e.actor,
      data: json(e.data),
      inbound_id: e.inboundId ?? null,
      prev_hash: prevHash,
      hash,
      chain_seq: chainSeq!,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}
