import type { Kysely } from 'kysely'
import type { Database } from '../schema.js'

/** This database's deployment id (made by migration 0003, once). */
export async function deploymentId(db: Kysely<Database>): Promise<string> {
  const row = await db.selectFrom('deployment').select('id').orderBy('created_at').executeTakeFirstOrThrow()
  return row.id
}
