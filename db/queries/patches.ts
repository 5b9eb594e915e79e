import { sql, type Transaction } from 'kysely'
import type { EvidenceSummary, PatchEvent as CoreEvent, PatchSnapshot } from '../../core/index.js'
import { appendEvent } from '../events.js'
import { json } from '../json.js'
import { LIFECYCLE_KEYS, type Database, type Patch, type Queryable } from '../schema.js'



export interface LoadedPatch {
  row: Patch
  townshipCode: string
  snapshot: PatchSnapshot
}

export async function findPatchId(db: Queryable, tenantId: number, number: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('patches')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where(sql`upper(number)`, '=', number.toUpperCase())
    .executeTakeFirst()
  return row?.id
}

/** A patch and its core snapshot; `forUpdate` locks the row for the rest of the transaction. */
export async function loadPatch(db: Queryable, patchId: number, forUpdate = false): Promise<LoadedPatch | undefined> {
  let query = db.selectFrom('patches').selectAll().where('id', '=', patchId)
  if (forUpdate) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  if (!row) return undefined
  const township = row.township_id
    ? await db.selectFrom('townships').select('code').where('id', '=', row.township_id).executeTakeFirst()
    : undefined
  const evidence = await evidenceSummary(db, patchId)
  const townshipCode = township?.code ?? ''
  return { row, townshipCode, snapshot: toSnapshot(row, townshipCode, evidence) }
}

export function toSnapshot(row: Patch, townshipCode: string, evidence: EvidenceSummary): PatchSnapshot {
  const lifecycle = row.lifecycle as Partial<PatchSnapshot>
  const snapshot: PatchSnapshot = {
    id: String(row.id),
    number: row.number,
    townshipCode,
    kind: row.kind,
    category: row.category,
    areaMu: row.area_mu,
    farmlandMu: row.farmland_mu,
    basicFarmlandMu: row.basic_farmland_mu,
    redLineMu: row.red_line_mu,
    issuedOn: row.issued_on,
    military: row.military,
    state: row.state as PatchSnapshot['state'],
    evidence,
    flags: row.flags,
    due: row.due,
  }
  if (row.received_on) snapshot.receivedOn = row.received_on
  if (row.zones?.length) snapshot.zones = row.zones
  if (row.proposal) snapshot.proposal = row.proposal as PatchSnapshot['proposal']
  if (row.judgment) snapshot.judgment = row.judgment as PatchSnapshot['judgment']
  if (row.rectification) snapshot.rectification = row.rectification as PatchSnapshot['rectification']
  for (const key of LIFECYCLE_KEYS) if (lifecycle[key] !== undefined) (snapshot as any)[key] = lifecycle[key]
  return snapshot
}

export async function evidenceSummary(db: Queryable, patchId: number): Promise<EvidenceSummary> {
  const rows = await db
    .selectFrom('evidence')
    .select(['kind', sql<boolean>`flags = '[]'::jsonb`.as('clean'), sql<number>`count(*)::int`.as('n'), sql<Date | string | null>`max(taken_at)`.as('latest')])
    .where('patch_id', '=', patchId)
    .groupBy(['kind', sql`flags = '[]'::jsonb`])
    .execute()
  const count = (kind: string, clean?: boolean) =>
    rows.filter((r) => r.kind === kind && (clean === undefined || r.clean === clean)).reduce((a, r) => a + r.n, 0)
  const checkedAt = rows.filter((r) => r.kind === 'field_check' && r.latest !== null).map((r) => new Date(r.latest!).toISOString()).sort().pop()
  return {
    photos: count('photo', true),
    flaggedPhotos: count('photo', false),
    locations: count('location'),
    documents: count('document'),
    fieldCheck: count('field_check') > 0,
    ...(checkedAt ? { fieldCheckAt: checkedAt } : {}),
  }
}

/** Writes core's next snapshot and appends its events, in the caller's transaction. */
export async function savePatch(
  trx: Transaction<Database>,
  patchId: number,
  next: PatchSnapshot,
  events: CoreEvent[],
  inboundId: number | null,
): Promise<void> {
  const lifecycle: Record<string, unknown> = {}
  for (const key of LIFECYCLE_KEYS) if (next[key] !== undefined) lifecycle[key] = next[key]
  await trx
    .updateTable('patches')
    .set((eb) => ({
      state: next.state,
      proposal: next.proposal ? json(next.proposal) : null,
      judgment: next.judgment ? json(next.judgment) : null,
      rectification: next.rectification ? json(next.rectification) : null,
      flags: json(next.flags),
      due: json(next.due),
      lifecycle: json(lifecycle),
      military: next.military,
      version: eb('version', '+', 1),
      updated_at: new Date(events[0]?.at ?? Date.now()),
    }))
    .where('id', '=', patchId)
    .execute()
  for (const e of events) {
    await appendEvent(trx, { patchId, type: e.type, at: new Date(e.at), actor: e.actor, data: e.data, inboundId })
    // a field-check record lives in the evidence table like any other proof: the snapshot's
    // evidence summary is read back from there
    if ((e.type === 'evidence_added' || e.type === 'field_checked') && e.data.kind === 'field_check') {
      await trx
        .insertInto('evidence')
        .values({
          patch_id: patchId, kind: 'field_check', sha256: `field_check:${e.actor}:${e.at}`, flags: json([]),
          person_id: /^\d+$/.test(e.actor) ? Number(e.actor) : null, inbound_id: inboundId, taken_at: new Date(e.at),
        })
        .onConflict((oc) => oc.columns(['patch_id', 'sha256']).doNothing())
        .execute()
    }
  }
}
