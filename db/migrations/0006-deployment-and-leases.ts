import { sql, type Kysely } from 'kysely'

// A random id for this database, made once, in every key sent to a platform (Feishu dedupes its
// `uuid` per app for an hour: two databases on one app must never share keys); and the holder of
// each outbox lease, so a starting sender can free the rows of a process that died; and a random
// nonce per outbox row, for copies of a database (which share its deployment id).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('deployment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`insert into deployment (id) values (${randomId()})`.execute(db)
  await db.schema.alterTable('outbox').addColumn('lease_holder', 'text').execute()
  // each row's own random part of the key a platform sees (delivery/keys.ts platformKey)
  await db.schema.alterTable('outbox').addColumn('nonce', 'text', (c) => c.notNull().defaultTo(sql`gen_random_uuid()::text`)).execute()
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6))
  return `d${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}
