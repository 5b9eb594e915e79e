import { sql, type Kysely } from 'kysely'

// Issue 12 points 12-14: the county's own records beside the patches — 约谈 and 问责 held (with the
// township's reporting deadline), 移交 to a department (with its year-end return), findings of
// 弄虚作假/瞒案不报 (000's 警示约谈) — the named approver of bulletins and letters, and the routing
// zones a patch lies in (城镇开发边界, 河道, 交通沿线, 林地/自然保护地).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('county_records')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // talk | accountability | handover | finding
    .addColumn('township_id', 'integer', (c) => c.references('townships.id'))
    .addColumn('patch_id', 'integer', (c) => c.references('patches.id'))
    .addColumn('department', 'text')
    .addColumn('finding', 'text')
    .addColumn('held_on', 'text', (c) => c.notNull()) // YYYY-MM-DD, China date
    .addColumn('due_on', 'text') // the report or return it calls for
    .addColumn('closed_on', 'text') // reported / returned
    .addColumn('result', 'text')
    .addColumn('recorded_by', 'integer', (c) => c.references('people.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('county_records_open').on('county_records').columns(['tenant_id', 'kind', 'closed_on']).execute()

  await db.schema
    .createTable('document_approvers')
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // bulletin | letters
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('set_by', 'text', (c) => c.notNull()) // a person id, or 'cli'
    .addColumn('set_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('document_approvers_pk', ['tenant_id', 'kind'])
    .execute()

  await db.schema.alterTable('patches').addColumn('zones', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`)).execute()
}
