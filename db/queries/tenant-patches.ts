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

// deadlines and figures do not depend on evidence; the snapshot needs a value
const NO_EVIDENCE = { photos: 0, flaggedPhotos: 0, locations: 0, documents: 0, fieldCheck: false }

export async function loadTenant(trx: Queryable, tenantId: number) {
  const townships: TownshipRef[] = await trx
    .selectFrom('townships')
    .select(['id', 'code', 'name'])
    .where('tenant_id', '=', tenantId)
    .orderBy('code')
    .execute()
  const byId = new Map(townships.map((t) => [t.id, t]))
  const rows = await trx
    .selectFrom('patches')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('number')
    .execute()
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
