import type { Db } from '../../db/open.js'

/**
 * The two accounts every channel's cycle test works with, on one platform (people are per platform):
 * a township official of `townshipCode` and a 卫片办 staff member.
 */
export async function addCyclePeople(db: Db, platform: string, townshipCode: string, ids: { official: string; staff: string }) {
  const tenant = await db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()
  const township = await db.selectFrom('townships').select('id').where('code', '=', townshipCode).executeTakeFirstOrThrow()
  await db
    .insertInto('people')
    .values([
      { tenant_id: tenant.id, platform, platform_user_id: ids.official, name: '唐乡镇', role: 'official', township_id: township.id },
      { tenant_id: tenant.id, platform, platform_user_id: ids.staff, name: '李卫片', role: 'staff', township_id: null },
    ])
    .execute()
}
