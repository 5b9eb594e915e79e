// A tenant's patches as core snapshots, with their townships: what every scheduled job reads.
import type { PatchSnapshot, TownshipRef } from '../../core/index.js'
import { toSnapshot } from './patches.js'
import type { Patch, Queryable } from '../schema.js'

export type { TownshipRef }

export interface TenantPatch {
  row: Patch
  snapshot: PatchSnapshot
  township: TownshipRef | undefined
}

const PATCH_COLUMNS_BUT_GEOMETRY = [
  'id', 'tenant_id', 'batch_id', 'number', 'kind', 'category', 'township_id', 'min_lon', 'min_lat', 'max_lon', 'max_lat',
  'centroid_lon', 'centroid_lat', 'area_mu', 'declared_area_mu', 'farmland_mu', 'basic_farmland_mu', 'red_line_mu', 'military',
  'attributes', 'state', 'proposal', 'judgment', 'rectification', 'flags', 'due', 'lifecycle', 'issued_on', 'received_on',
  'version', 'created_at', 'updated_at', 'zones',
] as const satisfies ReadonlyArray<Exclude<keyof Patch, 'geometry'>>

// deadlines and figures do not depend on evidence; the snapshot needs a value
const NO_EVIDENCE = { photos: 0, flaggedPhotos: 0, locations: 0, documents: 0, fieldCheck: false }

/** `geometry: false` leaves the polygons out (null): the figures and the 填报 table do not read them. */
export async function loadTenant(trx: Queryable, tenantId: number, opts: { geometry?: boolean } = {}) {
  const townships: TownshipRef[] = await trx
    .selectFrom('townships')
    .select(['id', 'code', 'name'])
    .where('tenant_id', '=', tenantId)
    .orderBy('code')
    .execute()
  const byId = new Map(townships.map((t) => [t.id, t]))
  const query = trx.selectFrom('patches').where('tenant_id', '=', tenantId).orderBy('number')
  const rows: Patch[] = opts.geometry === false
    ? (await query.select(PATCH_COLUMNS_BUT_GEOMETRY).execute()).map((r) => ({ ...r, geometry: null }))
    : await query.selectAll().execute()
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
