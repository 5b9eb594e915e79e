import type { Kysely } from 'kysely'
import { storedEventHash } from '../events.js'
import type { Database, PatchEvent } from '../schema.js'

export interface ChainBreak {
  patchNumber: string
  seq: number
  problem: string
}

/**
 * Recomputes every patch's event hash chain: an edited, deleted or reordered event breaks it
 * (DESIGN: 真实性 — who did what, when, is never rewritten). Streams patch by patch.
 */
export async function verifyEventChains(db: Kysely<Database>, tenantId?: number): Promise<{ patches: number; events: number; breaks: ChainBreak[] }> {
  let q = db.selectFrom('patches').select(['id', 'number']).orderBy('id')
  if (tenantId !== undefined) q = q.where('tenant_id', '=', tenantId)
  const patches = await q.execute()
  const breaks: ChainBreak[] = []
  let events = 0
  for (const patch of patches) {
    const rows = await db.selectFrom('patch_events').selectAll().where('patch_id', '=', patch.id).orderBy('seq').execute()
    events += rows.length
    breaks.push(...chainBreaks(rows, patch.number))
  }
  return { patches: patches.length, events, breaks }
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
