import { sql, type Kysely } from 'kysely'
import { chainStep } from '../chain.js'

// Issue 10 (tamper evidence): each tenant's running head over all its events, kept apart from them,
// and each event's position in it. Existing events are folded in, in the order they were written,
// plain sha256 (a secret set later keys the chain from then on; db/chain.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('event_chains')
    .addColumn('tenant_id', 'integer', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('events', 'integer', (c) => c.notNull())
    .addColumn('head', 'text', (c) => c.notNull())
    .addColumn('keyed_at', 'integer')
    .addColumn('key_check', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.alterTable('patch_events').addColumn('chain_seq', 'integer').execute()

  const rows = await sql<{ id: number; tenant_id: number; patch_id: number; seq: number; hash: string }>`
    select e.id, p.tenant_id, e.patch_id, e.seq, e.hash from patch_events e join patches p on p.id = e.patch_id
    order by p.tenant_id, e.id`.execute(db)
  const heads = new Map<number, { events: number; head: string }>()
  const positions: Array<[number, number]> = []
  for (const r of rows.rows) {
    const h = heads.get(r.tenant_id) ?? { events: 0, head: '' }
    h.head = chainStep(h.head, { patchId: r.patch_id, seq: r.seq, hash: r.hash }, undefined)
    positions.push([r.id, ++h.events])
    heads.set(r.tenant_id, h)
  }
  for (let i = 0; i < positions.length; i += 1000) {
    const chunk = positions.slice(i, i + 1000)
    const values = sql.join(chunk.map(([id, n]) => sql`(${id}::integer, ${n}::integer)`))
    await sql`update patch_events e set chain_seq = v.n from (values ${values}) v(id, n) where e.id = v.id`.execute(db)
  }
  for (const [tenantId, h] of heads) {
    await sql`insert into event_chains (tenant_id, events, head) values (${tenantId}, ${h.events}, ${h.head})`.execute(db)
  }
  await db.schema.createIndex('patch_events_chain').on('patch_events').column('chain_seq').execute()
}
