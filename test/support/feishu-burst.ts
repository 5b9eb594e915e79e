import { sql } from 'kysely'
import type { Db } from '../../db/open.js'

/**
 * A burst: the demo county's issued patches, copied until there are `total` (the copies without a
 * geometry, so without a map to render), and one group per township (Feishu's, or another platform's).
 */
export async function burstCounty(db: Db, total: number, platform = 'feishu'): Promise<Map<string, string>> {
  const issued = () =>
    db.selectFrom('patches').select((eb) => eb.fn.countAll<string>().as('n')).where('state', '=', 'issued').where('military', '=', false).where('township_id', 'is not', null).executeTakeFirstOrThrow()
  const extra = total - Number((await issued()).n)
  if (extra > 0) {
    await sql`
      with src as (
        select p.*, row_number() over (order by id) - 1 as rn, count(*) over () as n
        from patches p where state = 'issued' and not military and township_id is not null)
      insert into patches (tenant_id, batch_id, number, kind, category, township_id, area_mu, declared_area_mu,
        farmland_mu, basic_farmland_mu, red_line_mu, military, attributes, state, flags, due, lifecycle, issued_on)
      select s.tenant_id, s.batch_id, s.number || 'B' || lpad(g::text, 3, '0'), s.kind, s.category, s.township_id, s.area_mu,
        s.declared_area_mu, s.farmland_mu, s.basic_farmland_mu, s.red_line_mu, false, s.attributes, 'issued', s.flags, s.due,
        s.lifecycle, s.issued_on
      from generate_series(1, ${extra}::int) g join src s on s.rn = (g - 1) % s.n`.execute(db)
  }
  const tenant = await db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()
  const townships = await db.selectFrom('townships').select(['id', 'code', 'name']).where('tenant_id', '=', tenant.id).orderBy('code').execute()
  const groups = new Map(townships.map((t) => [t.code, platform === 'feishu' ? `oc_burst_${t.code}` : `wrkBurst${t.code}`]))
  await db
    .insertInto('chats')
    .values(townships.map((t) => ({ tenant_id: tenant.id, platform, platform_chat_id: groups.get(t.code)!, kind: 'township' as const, township_id: t.id, name: `${t.name}（${platform === 'feishu' ? '飞书' : platform}）` })))
    .execute()
  return groups
}
