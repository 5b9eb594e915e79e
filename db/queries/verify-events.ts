import type { Kysely } from 'kysely'
import { stateFromEvents, stateLabel, type PatchState } from '../../core/index.js'
import { chainSecret, chainStep, keyCheck, sealHead } from '../chain.js'
import { storedEventHash } from '../events.js'
import type { Database, PatchEvent } from '../schema.js'

export interface ChainBreak {
  /** the patch, or '' for a finding about the tenant's whole chain */
  patchNumber: string
  seq: number
  problem: string
}

export interface VerifyResult {
  tenants: number
  patches: number
  events: number
  breaks: ChainBreak[]
  /** how the heads are kept: HMAC with EVENT_CHAIN_SECRET, or plain sha256 (recomputable by anyone) */
  mode: 'hmac-sha256' | 'sha256'
}

/**
 * Recomputes, for every tenant: each patch's event hash chain (an edited, reordered or deleted step
 * breaks it); that the patch's stored state is the state its events produce (core's
 * stateFromEvents); and the tenant's running head over all events (db/chain.ts), kept apart from
 * them — its count and head show a deleted last step or a patch whose events are all gone, and,
 * keyed with EVENT_CHAIN_SECRET, a chain rewritten consistently without the secret.
 */
export async function verifyEventChains(db: Kysely<Database>, tenantId?: number): Promise<VerifyResult> {
  const secret = chainSecret()
  let tq = db.selectFrom('tenants').select(['id', 'name']).orderBy('id')
  if (tenantId !== undefined) tq = tq.where('id', '=', tenantId)
  const tenants = await tq.execute()
  const breaks: ChainBreak[] = []
  let patchCount = 0
  let eventCount = 0
  for (const tenant of tenants) {
    const patches = await db.selectFrom('patches').select(['id', 'number', 'state']).where('tenant_id', '=', tenant.id).orderBy('id').execute()
    const events = await db
      .selectFrom('patch_events')
      .innerJoin('patches', 'patches.id', 'patch_events.patch_id')
      .selectAll('patch_events')
      .where('patches.tenant_id', '=', tenant.id)
      .orderBy('patch_events.patch_id')
      .orderBy('patch_events.seq')
      .execute()
    patchCount += patches.length
    eventCount += events.length
    const byPatch = new Map<number, typeof events>()
    for (const e of events) {
      let list = byPatch.get(e.patch_id)
      if (!list) byPatch.set(e.patch_id, (list = []))
      list.push(e)
    }

    for (const patch of patches) {
      const rows = byPatch.get(patch.id) ?? []
      if (rows.length === 0) {
        breaks.push({ patchNumber: patch.number, seq: 0, problem: '没有任何办理记录（记录被全部删除）' })
        continue
      }
      breaks.push(...chainBreaks(rows, patch.number))
      const derived = stateFromEvents(rows)
      if (derived !== patch.state) {
        breaks.push({
          patchNumber: patch.number, seq: rows.at(-1)!.seq,
          problem: `图斑状态为「${stateLabel(patch.state as PatchState)}」，办理记录得出的状态为「${derived ? stateLabel(derived) : '无'}」（状态或记录被改动）`,
        })
      }
    }

    breaks.push(...(await verifyHead(db, tenant.id, events, secret)))
  }
  return { tenants: tenants.length, patches: patchCount, events: eventCount, breaks, mode: secret ? 'hmac-sha256' : 'sha256' }
}

type EventRow = { patch_id: number; seq: number; hash: string; chain_seq: number | null }

/** The tenant's running head recomputed from its events in chain order, against the stored one. */
async function verifyHead(db: Kysely<Database>, tenantId: number, events: EventRow[], secret: string | undefined): Promise<ChainBreak[]> {
  const out: ChainBreak[] = []
  const tenantWide = (problem: string) => out.push({ patchNumber: '', seq: 0, problem })
  const stored = await db.selectFrom('event_chains').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst()
  if (!stored) {
    if (events.length) tenantWide(`办理记录链头缺失（${events.length} 条记录无链头，链头被删除）`)
    return out
  }
  const ordered = [...events].sort((a, b) => (a.chain_seq ?? Infinity) - (b.chain_seq ?? Infinity))
  const unplaced = ordered.filter((e) => e.chain_seq === null).length
  if (unplaced) tenantWide(`${unplaced} 条记录不在记录链中（记录被插入）`)
  const placed = ordered.filter((e) => e.chain_seq !== null)
  let expected = 1
  for (const e of placed) {
    if (e.chain_seq! > expected) tenantWide(`记录链第 ${expected}${e.chain_seq! - 1 > expected ? `–${e.chain_seq! - 1}` : ''} 条缺失（记录被删除）`)
    else if (e.chain_seq! < expected) tenantWide(`记录链第 ${e.chain_seq} 条重复（记录被插入）`)
    expected = e.chain_seq! + 1
  }
  const count = Number(stored.events)
  if (placed.length !== count || expected - 1 !== count) tenantWide(`链头记录了 ${count} 条办理记录，现存 ${events.length} 条（记录被删除或插入）`)

  const keyedAt = stored.keyed_at === null ? null : Number(stored.keyed_at)
  if (keyedAt !== null && !secret) {
    tenantWide('办理记录链已用密钥签名，未设置 EVENT_CHAIN_SECRET，无法校验链头（请设置后再校验）')
    return out
  }
  if (keyedAt !== null && secret && stored.key_check !== null && stored.key_check !== keyCheck(secret)) {
    tenantWide('EVENT_CHAIN_SECRET 与签名记录链时的密钥不一致，无法校验链头')
    return out
  }
  if (keyedAt === null && secret && count > 0) {
    tenantWide('已设置 EVENT_CHAIN_SECRET，但链头没有密钥签名（链头可能被整体重算；新设密钥时，写入一条新记录后即签名）')
  }
  let head = ''
  placed.forEach((e, i) => {
    if (keyedAt === i) head = sealHead(head, secret!)
    head = chainStep(head, { patchId: e.patch_id, seq: e.seq, hash: e.hash }, keyedAt !== null && i >= keyedAt ? secret : undefined)
  })
  if (keyedAt !== null && keyedAt === placed.length) head = sealHead(head, secret!)
  if (head !== stored.head) tenantWide('链头与办理记录不符（记录被删除、改动或整体重算）')
  return out
}

/** The breaks in one patch's chain (its events in seq order); none when every step is as written. */
export function chainBreaks(rows: readonly PatchEvent[], patchNumber: string): ChainBreak[] {
  const breaks: ChainBreak[] = []
  let prev = ''
  rows.forEach((e, i) => {
    if (e.seq !== i + 1) breaks.push({ patchNumber, seq: e.seq, problem: `序号不连续（应为 ${i + 1}）` })
    if (e.prev_hash !== prev) breaks.push({ patchNumber, seq: e.seq, problem: '前一条记录的哈希不符（记录被删除或改动）' })
    if (storedEventHash(e, patchNumber) !== e.hash) breaks.push({ patchNumber, seq: e.seq, problem: '记录内容与哈希不符（记录被改动）' })
    prev = e.hash
  })
  return breaks
}
