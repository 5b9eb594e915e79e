// What one patch's 卷宗 (001_8c1f6dae78f37652.txt:45 一图斑一卷宗) is made of, read in one go: the patch
// and its snapshot, its township and batch, every event with who did it, every piece of evidence as
// received, the documents that name it, and whether its hash chain holds.
import { sql } from 'kysely'
import type { PatchSnapshot } from '../../core/index.js'
import type { Evidence, Patch, PatchEvent, Queryable, Role } from '../schema.js'
import { evidenceSummary, toSnapshot } from './patches.js'
import { chainBreaks, type ChainBreak } from './verify-events.js'

export interface DossierEvent {
  seq: number
  type: string
  at: Date
  /** the person's name and role, or what did it (导入, 系统) */
  who: string
  data: Record<string, unknown>
}

export interface DossierData {
  tenant: { id: number; code: string; name: string; policy_overrides: Record<string, unknown> }
  patch: Patch
  snapshot: PatchSnapshot
  township: { id: number; code: string; name: string; boundary: Patch['geometry'] } | undefined
  batch: { label: string; issued_on: string } | undefined
  events: DossierEvent[]
  evidence: Array<Evidence & { personName: string | null }>
  documents: Array<{ id: number; kind: string; title: string; state: string; file: Uint8Array | null; created_at: Date }>
  chain: { events: number; breaks: ChainBreak[] }
}

const ROLE_NAMES: Record<Role, string> = { official: '乡镇干部', staff: '县卫片办', leader: '领导', admin: '管理员' }
const SYSTEM_ACTORS: Record<string, string> = { import: '导入', demo: '演示数据', system: '系统', scheduler: '定时任务' }

export async function loadDossier(db: Queryable, patchId: number): Promise<DossierData | undefined> {
  const patch = await db.selectFrom('patches').selectAll().where('id', '=', patchId).executeTakeFirst()
  if (!patch) return undefined
  const tenant = await db.selectFrom('tenants').select(['id', 'code', 'name', 'policy_overrides']).where('id', '=', patch.tenant_id).executeTakeFirstOrThrow()
  const township = patch.township_id === null
    ? undefined
    : await db.selectFrom('townships').select(['id', 'code', 'name', 'boundary']).where('id', '=', patch.township_id).executeTakeFirst()
  const batch = patch.batch_id === null
    ? undefined
    : await db.selectFrom('batches').select(['label', 'issued_on']).where('id', '=', patch.batch_id).executeTakeFirst()
  const rows: PatchEvent[] = await db.selectFrom('patch_events').selectAll().where('patch_id', '=', patchId).orderBy('seq').execute()
  const evidence = await db
    .selectFrom('evidence')
    .leftJoin('people', 'people.id', 'evidence.person_id')
    .selectAll('evidence')
    .select('people.name as personName')
    .where('evidence.patch_id', '=', patchId)
    .orderBy('evidence.id')
    .execute()
  // the letters and bulletins that cite the patch by its number
  const documents = await db
    .selectFrom('documents')
    .select(['id', 'kind', 'title', 'state', 'file', 'created_at'])
    .where('tenant_id', '=', patch.tenant_id)
    .where(sql<boolean>`content::text like ${`%${patch.number}%`}`)
    .orderBy('id')
    .execute()
  const personIds = [...new Set(rows.map((e) => e.actor).filter((a) => /^\d+$/.test(a)).map(Number))]
  const people = personIds.length
    ? await db.selectFrom('people').select(['id', 'name', 'role']).where('id', 'in', personIds).execute()
    : []
  const byId = new Map(people.map((p) => [String(p.id), `${p.name}（${ROLE_NAMES[p.role]}）`]))
  const who = (actor: string) => byId.get(actor) ?? SYSTEM_ACTORS[actor] ?? (actor.startsWith('unknown:') ? '未登记人员' : actor)
  return {
    tenant,
    patch,
    snapshot: toSnapshot(patch, township?.code ?? '', await evidenceSummary(db, patchId)),
    township,
    batch,
    events: rows.map((e) => ({ seq: e.seq, type: e.type, at: new Date(e.at), who: who(e.actor), data: e.data })),
    evidence,
    documents,
    chain: { events: rows.length, breaks: chainBreaks(rows, patch.number) },
  }
}

/** A tenant's patch by its number (any case), or every tenant's when none is given: ids with their tenants. */
export async function patchesNumbered(db: Queryable, number: string, tenantCode?: string) {
  let q = db
    .selectFrom('patches')
    .innerJoin('tenants', 'tenants.id', 'patches.tenant_id')
    .select(['patches.id', 'patches.number', 'tenants.code as tenantCode'])
    .where(sql`upper(patches.number)`, '=', number.trim().toUpperCase())
  if (tenantCode) q = q.where('tenants.code', '=', tenantCode)
  return q.orderBy('patches.id').execute()
}

/** The patches of a township (by name or code) or a batch (by label) of a tenant, in number order. */
export async function patchIdsOf(db: Queryable, tenantId: number, scope: { township?: string; batch?: string }) {
  let q = db.selectFrom('patches').select(['patches.id', 'patches.number']).where('patches.tenant_id', '=', tenantId)
  if (scope.township !== undefined) {
    const t = scope.township
    q = q.where('patches.township_id', 'in', db.selectFrom('townships').select('id').where('tenant_id', '=', tenantId).where((eb) => eb.or([eb('code', '=', t), eb('name', '=', t)])))
  }
  if (scope.batch !== undefined) {
    q = q.where('patches.batch_id', 'in', db.selectFrom('batches').select('id').where('tenant_id', '=', tenantId).where('label', '=', scope.batch))
  }
  return q.orderBy('patches.number').execute()
}
