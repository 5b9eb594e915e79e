// A tenant's patches as core snapshots, with their townships: what every scheduled job reads.
import type { Transaction } from 'kysely'
import type { PatchSnapshot, TownshipRef } from '../../core/index.js'
import { toSnapshot } from './patches.js'
import type { Database, Patch } from '../schema.js'

export type { TownshipRef }

export interface TenantPatch {
  row: Patch
  snapshot: PatchSnapshot
  township: TownshipRef | undefined
}

// deadlines and figures do not depend on evidence; the snapshot needs a value
const NO_EVIDENCE = { photos: 0, flaggedPhotos: 0, locations: 0, documents: 0, fieldCheck: false }

// what a job reads of a patch: everything but the geometry and the raw attributes (the bulk of a row)
const LIGHT = [
  'id', 'tenant_id', 'batch_id', 'number', 'kind', 'category', 'township_id', 'min_lon', 'min_lat', 'max_lon', 'max_lat',
  'centroid_lon', 'centroid_lat', 'area_mu', 'declared_area_mu', 'farmland_mu', 'basic_farmland_mu', 'red_line_mu', 'military',
  'state', 'proposal', 'judgment', 'rectification', 'flags', 'due', 'lifecycle', 'zones', 'issued_on', 'received_on', 'version', 'created_at', 'updated_at',
] as const

export async function loadTenant(trx: Transaction<Database>, tenantId: number) {
  const townships: TownshipRef[] = await trx
    .selectFrom('townships')
    .select(['id', 'code', 'name'])
    .where('tenant_id', '=', tenantId)
    .orderBy('code')
    .execute()
  const byId = new Map(townships.map((t) => [t.id, t]))
  const rows: Patch[] = (await trx.selectFrom('patches').select(LIGHT).where('tenant_id', '=', tenantId).orderBy('number').execute())
    .map((r) => ({ ...r, geometry: null, attributes: {} }))
  const patches: TenantPatch[] = rows.map((row) => {
    const township = row.township_id === null ? undefined : byId.get(row.township_id)
    return { row, snapshot: toSnapshot(row, township?.code ?? '', NO_EVIDENCE), township }
  })
  return { townships, patches }
}

/** 资源镇 → 资源, 车田苗族乡 → 车田: short enough for a chart label. */
export function shortName(name: string): string {
  return name.replace(/(苗族|瑶族|壮族|侗族|回族|彝族|土家族|蒙古族)?(镇|乡|街道办事处|街道)$/, '') || name
}

/**
 * Only the patches an index found (an open step in a window, a step finished in a month): a job
 * reads these instead of the whole tenant. Loaded in chunks, in number order.
 */
export async function loadTenantPatches(trx: Transaction<Database>, tenantId: number, ids: readonly number[]) {
  const townships: TownshipRef[] = await trx.selectFrom('townships').select(['id', 'code', 'name']).where('tenant_id', '=', tenantId).orderBy('code').execute()
  const byId = new Map(townships.map((t) => [t.id, t]))
  const rows: Patch[] = []
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = await trx.selectFrom('patches').select(LIGHT).where('tenant_id', '=', tenantId).where('id', 'in', ids.slice(i, i + 5000)).execute()
    for (const r of chunk) rows.push({ ...r, geometry: null, attributes: {} })
  }
  rows.sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0))
  const patches: TenantPatch[] = rows.map((row) => {
    const township = row.township_id === null ? undefined : byId.get(row.township_id)
    return { row, snapshot: toSnapshot(row, township?.code ?? '', NO_EVIDENCE), township }
  })
  return { townships, patches }
}
