import type { Kysely } from 'kysely'

// A failure is stored with its stable code (core/errors.ts) beside its text, so it can be counted
// and looked up by kind rather than by parsing messages.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('inbound_messages').addColumn('error_code', 'text').execute()
  await db.schema.alterTable('outbox').addColumn('last_error_code', 'text').execute()
}
