// The routing zones of a tenant's patches (issue 12 point 14), from its zone layers: recomputed for the
// new patches of a batch, and for every patch when a zone layer is imported or replaced.
import type { MultiPolygon, Polygon } from 'geojson'
import type { Transaction } from 'kysely'
import { ROUTING_LAYERS, zonesOf, type LayerKind } from '../../core/index.js'
import { json } from '../json.js'
import type { Database } from '../schema.js'

export async function refreshZones(trx: Transaction<Database>, tenantId: number, patchIds?: number[]): Promise<number> {
  if (patchIds && patchIds.length === 0) return 0
  const areas = await trx.selectFrom('protection_areas').select(['layer', 'geometry', 'min_lon', 'min_lat', 'max_lon', 'max_lat'])
    .where('tenant_id', '=', tenantId).where('layer', 'in', ROUTING_LAYERS).execute()
  let q = trx.selectFrom('patches').select(['id', 'geometry', 'zones', 'min_lon', 'min_lat', 'max_lon', 'max_lat']).where('tenant_id', '=', tenantId)
  if (patchIds) q = q.where('id', 'in', patchIds)
  let changed = 0
  for (const p of await q.execute()) {
    if (!p.geometry) continue
    // the boxes first: most zone polygons are nowhere near a given patch
    const near = areas.filter((a) => p.min_lon !== null && a.max_lon >= p.min_lon && a.min_lon <= p.max_lon! && a.max_lat >= p.min_lat! && a.min_lat <= p.max_lat!)
    const zones = zonesOf(p.geometry, near as Array<{ layer: LayerKind; geometry: Polygon | MultiPolygon }>)
    if (JSON.stringify(zones) === JSON.stringify(p.zones ?? [])) continue
    await trx.updateTable('patches').set({ zones: json(zones) }).where('id', '=', p.id).execute()
    changed++
  }
  return changed
}
