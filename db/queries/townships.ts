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
