// The named approver of a kind of document (issue 12 point 13): one person per county and kind, set
// by an administrator in the chat (设置审批人) or on the command line (approver set).
import type { Queryable } from '../schema.js'

export type ApproverKind = 'bulletin' | 'letters'

export async function approverOf(db: Queryable, tenantId: number, kind: ApproverKind): Promise<{ id: number; name: string } | undefined> {
  return db
    .selectFrom('document_approvers')
    .innerJoin('people', 'people.id', 'document_approvers.person_id')
    .select(['people.id', 'people.name'])
    .where('document_approvers.tenant_id', '=', tenantId)
    .where('document_approvers.kind', '=', kind)
    .where('people.platform', '!=', 'revoked') // a 注销'd person approves nothing
    .executeTakeFirst()
}

export async function setApprover(db: Queryable, tenantId: number, kind: ApproverKind, personId: number, setBy: string, at: Date): Promise<void> {
  await db
    .insertInto('document_approvers')
    .values({ tenant_id: tenantId, kind, person_id: personId, set_by: setBy, set_at: at })
    .onConflict((oc) => oc.columns(['tenant_id', 'kind']).doUpdateSet({ person_id: personId, set_by: setBy, set_at: at }))
    .execute()
}
