// The tenant's running head over all its events, kept apart from them (event_chains) and advanced in
// the transaction that appends each event. A patch's own hash chain (events.ts) shows an edited or
// reordered step; the head also shows a deleted last step, a patch whose events are all gone, and —
// keyed with EVENT_CHAIN_SECRET (HMAC-SHA256) — a chain rewritten consistently by someone with SQL
// access but without the secret. Without a secret the head is plain sha256 (anyone can recompute it).
import { createHash, createHmac } from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'
import { AppError } from '../core/errors.js'
import type { Database } from './schema.js'

export class ChainKeyError extends AppError<'chain-key'> {
  constructor(message: string, readonly fix: string) {
    super('chain-key', message)
  }
}

let configured: { secret: string | undefined } | undefined

/** The composition roots (the worker: from its bindings) and tests set it; null: the environment's again. */
export function setChainSecret(secret: string | undefined | null): void {
  configured = secret === null ? undefined : { secret: secret || undefined }
}

export function chainSecret(): string | undefined {
  if (configured) return configured.secret
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
  return env?.EVENT_CHAIN_SECRET || undefined
}

export interface ChainStep {
  patchId: number
  seq: number
  hash: string
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const hmac = (secret: string, s: string) => createHmac('sha256', secret).update(s).digest('hex')

/** The head after one more event: HMAC when the chain is keyed, sha256 otherwise. */
export function chainStep(head: string, step: ChainStep, secret: string | undefined): string {
  const body = `${head}|${step.patchId}:${step.seq}:${step.hash}`
  return secret ? hmac(secret, body) : sha256(body)
}

/** Where keying began (keyed_at events into the chain), the head is sealed with the secret once. */
export const sealHead = (head: string, secret: string) => hmac(secret, `${head}|keyed`)

/** Tells a wrong secret from a tampered chain (a short MAC of a fixed text; it reveals nothing usable). */
export const keyCheck = (secret: string) => hmac(secret, 'weipian-event-chain').slice(0, 16)

export interface ChainHead {
  events: number
  head: string
  keyed_at: number | null
  key_check: string | null
}

/**
 * Advances the tenant's head over `steps` (in the caller's transaction, which appends those events)
 * and returns each step's position in the chain. The head row is locked: a tenant's appends queue
 * here until their transactions commit, so positions follow commit order.
 */
export async function advanceChain(trx: Transaction<Database> | Kysely<Database>, tenantId: number, steps: ChainStep[], now: Date): Promise<number[]> {
  await sql`insert into event_chains (tenant_id, events, head, updated_at) values (${tenantId}, 0, '', ${now}) on conflict (tenant_id) do nothing`.execute(trx)
  const row = await trx.selectFrom('event_chains').select(['events', 'head', 'keyed_at', 'key_check']).where('tenant_id', '=', tenantId).forUpdate().executeTakeFirstOrThrow()
  const secret = chainSecret()
  let { head, keyed_at: keyedAt, key_check: check } = row
  let events = Number(row.events)
  if (keyedAt !== null && !secret) {
    throw new ChainKeyError('办理记录链已用密钥签名，但未设置 EVENT_CHAIN_SECRET，不能写入新记录', '设置与之前相同的 EVENT_CHAIN_SECRET 后重新启动')
  }
  if (secret) {
    if (check !== null && check !== keyCheck(secret)) {
      throw new ChainKeyError('EVENT_CHAIN_SECRET 与签名办理记录链时的密钥不一致', '改回原来的密钥后重新启动（更换密钥会使之前的记录无法校验）')
    }
    if (keyedAt === null) {
      // keying begins here: everything before stays plain, the head is sealed once with the secret
      head = sealHead(head, secret)
      keyedAt = events
      check = keyCheck(secret)
    }
  }
  const positions: number[] = []
  for (const step of steps) {
    head = chainStep(head, step, secret)
    positions.push(++events)
  }
  await trx
    .updateTable('event_chains')
    .set({ events, head, keyed_at: keyedAt, key_check: check, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .execute()
  return positions
}

/** At start: a keyed chain needs its secret, and the right one (else every handled message would fail). */
export async function checkChainSecret(db: Kysely<Database>): Promise<void> {
  const secret = chainSecret()
  const rows = await db.selectFrom('event_chains').select(['keyed_at', 'key_check']).where('keyed_at', 'is not', null).execute()
  if (rows.length === 0) return
  if (!secret) throw new ChainKeyError('办理记录链已用密钥签名，但未设置 EVENT_CHAIN_SECRET', '设置与之前相同的 EVENT_CHAIN_SECRET 后重新启动')
  if (rows.some((r) => r.key_check !== null && r.key_check !== keyCheck(secret))) {
    throw new ChainKeyError('EVENT_CHAIN_SECRET 与签名办理记录链时的密钥不一致', '改回原来的密钥后重新启动')
  }
}
