// Loads the demo county 资源县 into an empty database: townships, protection layer, console chats and
// people, and one issued batch of about 60 patches.
import { setApprover } from '../queries/approvers.js'
import type { Kysely, Transaction } from 'kysely'
import { bbox } from '@turf/turf'
import { importBatch } from '../import/import-batch.js'
import { json } from '../json.js'
import type { Database, Role } from '../schema.js'
import { buildDemoCounty, type DemoCounty } from './demo-county-data.js'

export interface DemoLoadResult {
  created: boolean // false: the tenant was there already and nothing was touched
  tenantId: number
  townships: number
  protectionAreas: number
  patches: number
}

const OFFICIAL_SURNAMES = ['唐', '蒋', '潘', '兰', '盘', '邓', '杨']

/** Idempotent: does nothing when tenant 450329 exists. `now` sets the batch's month (China time). */
/** `issuedAt`: when the batch was issued (default: two days before `now`). */
export async function loadDemoCounty(db: Kysely<Database>, opts: { now: Date; issuedAt?: Date }): Promise<DemoLoadResult> {
  const county = buildDemoCounty(opts.now, opts.issuedAt)
  const tenantId = await db.transaction().execute((trx) => insertCounty(trx, county))
  if (tenantId === null) {
    const existing = await db.selectFrom('tenants').select('id').where('code', '=', county.tenant.code).executeTakeFirstOrThrow()
    // importBatch runs its own transaction after the county's: a crash in between left the county
    // without its batch, so the next start brings the batch in
    const batch = await db.selectFrom('batches').select('id').where('tenant_id', '=', existing.id).executeTakeFirst()
    const patches = batch ? 0 : await importDemoBatch(db, county, opts.now)
    return { created: false, tenantId: existing.id, townships: 0, protectionAreas: 0, patches }
  }
  const patches = await importDemoBatch(db, county, opts.now)
  return { created: true, tenantId, townships: county.townships.length, protectionAreas: county.protection.length, patches }
}

/** The county, its people, chats and protection layer; null when the tenant is already there. */
async function insertCounty(trx: Transaction<Database>, county: DemoCounty): Promise<number | null> {
  // on conflict: two first starts racing each other load the county once
  const tenant = await trx
    .insertInto('tenants')
    .values({ code: county.tenant.code, name: county.tenant.name, policy_overrides: json({}) })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!tenant) return null
  const tenantId = tenant.id

  const townships = await trx
    .insertInto('townships')
    .values(county.townships.map((t) => ({ tenant_id: tenantId, code: t.code, name: t.name, boundary: json(t.boundary) })))
    .returning(['id', 'code', 'name'])
    .execute()
  townships.sort((a, b) => a.code.localeCompare(b.code))

  await trx
    .insertInto('chats')
    .values([
      ...townships.map((t) => ({
        tenant_id: tenantId, platform: 'console', platform_chat_id: `console:township:${t.code}`, kind: 'township' as const,
        township_id: t.id, name: `${t.name}卫片执法工作群`,
      })),
      { tenant_id: tenantId, platform: 'console', platform_chat_id: 'console:office', kind: 'office' as const, township_id: null, name: '县卫片办工作群' },
      { tenant_id: tenantId, platform: 'console', platform_chat_id: 'console:leader', kind: 'leader' as const, township_id: null, name: '分管领导' },
    ])
    .execute()

  const person = (id: string, name: string, role: Role, townshipId: number | null = null) => ({
    tenant_id: tenantId, platform: 'console', platform_user_id: id, name, role, township_id: townshipId,
  })
  await trx
    .insertInto('people')
    .values([
      ...townships.map((t, i) => person(`console:official:${t.code}`, `${t.name}-${OFFICIAL_SURNAMES[i % OFFICIAL_SURNAMES.length]}干事`, 'official', t.id)),
      person('console:staff:1', '卫片办-陈工', 'staff'),
      person('console:staff:2', '卫片办-李工', 'staff'),
      person('console:leader:1', '分管领导-王局长', 'leader'),
      person('console:admin:1', '系统管理员', 'admin'),
    ])
    .execute()
  // the named approvers (issue 12 point 13): the leader approves bulletins, the office's 陈工 letters
  const named = await trx.selectFrom('people').select(['id', 'platform_user_id']).where('tenant_id', '=', tenantId)
    .where('platform_user_id', 'in', ['console:leader:1', 'console:staff:1']).execute()
  for (const p of named) {
    await setApprover(trx, tenantId, p.platform_user_id === 'console:leader:1' ? 'bulletin' : 'letters', p.id, 'demo', new Date(0))
  }

  const rows = county.protection.map((a) => {
    const [minLon, minLat, maxLon, maxLat] = bbox(a.geometry)
    return {
      tenant_id: tenantId, layer: a.layer, geometry: json(a.geometry),
      min_lon: minLon, min_lat: minLat, max_lon: maxLon, max_lat: maxLat, attributes: json(a.attributes),
    }
  })
  for (let i = 0; i < rows.length; i += 200) await trx.insertInto('protection_areas').values(rows.slice(i, i + 200)).execute()
  return tenantId
}

/** The batch goes through the real import (field mapping, township matching, overlay, first events). */
async function importDemoBatch(db: Kysely<Database>, county: DemoCounty, now: Date): Promise<number> {
  // the old-style crs member is what provincial exports carry; it also exercises the importer's reading of it
  const file = { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4490' } }, features: county.batch.features.features }
  const report = await importBatch(db, {
    tenantCode: county.tenant.code,
    fileName: county.batch.sourceFile,
    bytes: new TextEncoder().encode(JSON.stringify(file)),
    issuedOn: county.batch.issuedOn,
    now,
    actor: 'demo',
  })
  if (report.status !== 'ok') {
    throw new Error(`演示批次导入失败：${report.message}${report.problems.map((p) => `\n  第 ${p.row} 个要素 ${p.number ?? ''}：${p.problem}`).join('')}`)
  }
  return report.counts.imported
}
