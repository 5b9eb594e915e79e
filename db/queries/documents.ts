// The documents (bulletin and letter drafts) a decision reads and writes.
import type { DocumentState, Queryable } from '../schema.js'

/** A document of the tenant, locked for the decision. */
export function documentForDecision(db: Queryable, tenantId: number, id: number) {
  if (!Number.isInteger(id)) return Promise.resolve(undefined)
  return db.selectFrom('documents').selectAll().where('id', '=', id).where('tenant_id', '=', tenantId).forUpdate().executeTakeFirst()
}

/** The newest bulletin in a state, locked. */
export function latestBulletin(db: Queryable, tenantId: number, state: 'draft' | 'returned') {
  return db
    .selectFrom('documents')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'bulletin')
    .where('state', '=', state)
    .orderBy('id', 'desc')
    .forUpdate()
    .executeTakeFirst()
}

/** Whether the month's bulletin already has a version waiting or published. */
export async function hasLiveBulletin(db: Queryable, tenantId: number, period: string): Promise<boolean> {
  const row = await db
    .selectFrom('documents')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'bulletin')
    .where('period', '=', period)
    .where('state', 'in', ['draft', 'sent'])
    .executeTakeFirst()
  return row !== undefined
}

/** Records a decision on a draft; false when someone else decided first. */
export async function decideDraft(db: Queryable, id: number, decision: { state: DocumentState; by: number; at: Date; reason: string | null }): Promise<boolean> {
  const updated = await db
    .updateTable('documents')
    .set({ state: decision.state, decided_by: decision.by, decided_at: decision.at, reason: decision.reason })
    .where('id', '=', id)
    .where('state', '=', 'draft')
    .executeTakeFirst()
  return Number(updated.numUpdatedRows) > 0
}
