import { sql, type Kysely } from 'kysely'

// A real county set up without SQL: township changes kept as history, one-time invite codes for
// the first administrator, and overlay layers imported as versions (protection + routing zones).
export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`
  await db.schema
    .createTable('township_changes')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id'))
    .addColumn('township_id', 'integer') // no reference: a removed township's history stays
    .addColumn('change', 'text', (c) => c.notNull().check(sql`change in ('added','renamed','removed','boundary')`))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('old_code', 'text')
    .addColumn('old_name', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()
  await db.schema.createIndex('township_changes_tenant').on('township_changes').columns(['tenant_id', 'at']).execute()

  await db.schema
    .createTable('invites')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin','staff')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('person_id', 'integer', (c) => c.references('people.id'))
    .execute()

  await db.schema
    .createTable('layers')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('source_file', 'text', (c) => c.notNull())
    .addColumn('source_sha256', 'text', (c) => c.notNull())
    .addColumn('features', 'integer', (c) => c.notNull())
    .addColumn('area_mu', 'double precision', (c) => c.notNull())
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('replaced_at', 'timestamptz')
    .addUniqueConstraint('layers_tenant_kind_version', ['tenant_id', 'kind', 'version'])
    .execute()

  await sql`alter table protection_areas drop constraint if exists protection_areas_layer_check`.execute(db)
  await sql`alter table protection_areas add constraint protection_areas_layer_kind check (layer in ('farmland','basic_farmland','red_line','urban_development','river','transport','forest'))`.execute(db)
  await db.schema.alterTable('protection_areas').addColumn('layer_id', 'integer', (c) => c.references('layers.id')).execute()
}
