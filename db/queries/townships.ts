import type { Queryable } from '../schema.js'

/** A tenant's townships in code order. */
export function townshipsOf(db: Queryable, tenantId: number) {
  return db.selectFrom('townships').select(['id', 'code', 'name']).where('tenant_id', '=', tenantId).orderBy('code').execute()
}

export async function townshipName(db: Queryable, townshipId: number | null): Promise<string | undefined> {
  if (townshipId === null) return undefined
  const row = await db.selectFrom('townships').select('name').where('id', '=', townshipId).executeTakeFirst()
  return row?.name
}

/**
 * A tenant's townships no township group is bound to (in code order), with how many of their patches
 * wait issued for one (military land excepted: it never goes to a group).
 */
export async function townshipsWithoutGroup(db: Queryable, tenantId: number): Promise<Array<{ id: number; name: string; waiting: number }>> {
  const rows = await db
    .selectFrom('townships')
    .select((eb) => [
      'townships.id', 'townships.name',
      eb.selectFrom('patches').select((p) => p.fn.countAll<number>().as('n'))
        .whereRef('patches.township_id', '=', 'townships.id').where('patches.state', '=', 'issued').where('patches.military', '=', false)
        .as('waiting'),
    ])
    .where('townships.tenant_id', '=', tenantId)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('chats').select('chats.id').where('chats.kind', '=', 'township').whereRef('chats.township_id', '=', 'townships.id'))))
    .orderBy('townships.code')
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, waiting: Number(r.waiting ?? 0) }))
}
