// The county's records (约谈, 问责, 移交, findings): issue 12 points 12-14, migration 0010.
import type { CountyRecordKind, Queryable } from '../schema.js'

export interface NewCountyRecord {
  tenantId: number
  kind: CountyRecordKind
  townshipId: number | null
  patchId?: number | null
  department?: string | null
  finding?: string | null
  heldOn: string
  dueOn?: string | null
  recordedBy: number | null
  at: Date
}

export async function insertRecord(db: Queryable, r: NewCountyRecord): Promise<number> {
  const row = await db
    .insertInto('county_records')
    .values({
      tenant_id: r.tenantId, kind: r.kind, township_id: r.townshipId, patch_id: r.patchId ?? null, department: r.department ?? null,
      finding: r.finding ?? null, held_on: r.heldOn, due_on: r.dueOn ?? null, recorded_by: r.recordedBy, created_at: r.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The oldest open record of a kind for a township or a patch (what a 已报 / 反馈 closes). */
export function oldestOpen(db: Queryable, tenantId: number, kind: CountyRecordKind, where: { townshipId?: number; patchId?: number }) {
  let q = db.selectFrom('county_records').selectAll().where('tenant_id', '=', tenantId).where('kind', '=', kind).where('closed_on', 'is', null)
  if (where.townshipId !== undefined) q = q.where('township_id', '=', where.townshipId)
  if (where.patchId !== undefined) q = q.where('patch_id', '=', where.patchId)
  return q.orderBy('held_on').orderBy('id').limit(1).executeTakeFirst()
}

export async function closeRecord(db: Queryable, id: number, closedOn: string, result: string | null): Promise<void> {
  await db.updateTable('county_records').set({ closed_on: closedOn, result }).where('id', '=', id).execute()
}

/** A tenant's records of some kinds, with the township's name and the patch's number and military flag. */
export function recordsOf(db: Queryable, tenantId: number, kinds: CountyRecordKind[]) {
  return db
    .selectFrom('county_records as r')
    .leftJoin('townships as t', 't.id', 'r.township_id')
    .leftJoin('patches as p', 'p.id', 'r.patch_id')
    .select(['r.id', 'r.kind', 'r.township_id', 't.code as township_code', 't.name as township_name', 'p.number as patch_no', 'p.military',
      'r.department', 'r.finding', 'r.held_on', 'r.due_on', 'r.closed_on', 'r.result'])
    .where('r.tenant_id', '=', tenantId)
    .where('r.kind', 'in', kinds)
    .orderBy('r.held_on')
    .orderBy('r.id')
    .execute()
}

/** Findings recorded on patches (000_7f891be42bc71ff5.txt:41's 弄虚作假/瞒案不报): patch number → findings. */
export async function findingsByPatch(db: Queryable, tenantId: number): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  for (const r of await recordsOf(db, tenantId, ['finding'])) {
    if (r.patch_no && r.finding) out.set(r.patch_no, [...(out.get(r.patch_no) ?? []), r.finding])
  }
  return out
}
