// Which routing zones a patch lies in (002_ad387473bb9415ab.txt:46-60): the 城镇规划建设用地范围 (城镇开发边界
// layer), 交通沿线, 河道管理范围 and 林地/自然保护地 layers a county imports. A patch touching a zone is
// routed to that zone's department (routeDepartments); the red line comes from the overlay areas.
import type { MultiPolygon, Polygon } from 'geojson'
import { booleanIntersects } from '@turf/turf'
import type { LayerKind } from './layer-kinds.js'
import type { DepartmentTrigger } from './policy.js'

export const ZONE_TRIGGER: Partial<Record<LayerKind, DepartmentTrigger>> = {
  urban_development: 'urban_planning_area', // 002:48 "城镇规划建设用地范围内"
  transport: 'transport_line', // 002:50 "交通沿线管理范围内"
  river: 'river', // 002:54 "河道管理范围内"
  forest: 'forest_or_reserve', // 002:56 "自然保护地及林地"
}

export const ROUTING_LAYERS = Object.keys(ZONE_TRIGGER) as LayerKind[]

/** The zones a patch's polygon touches, in the order of ZONE_TRIGGER. */
export function zonesOf(geometry: Polygon | MultiPolygon, areas: ReadonlyArray<{ layer: LayerKind; geometry: Polygon | MultiPolygon }>): DepartmentTrigger[] {
  const hit = new Set<DepartmentTrigger>()
  for (const a of areas) {
    const trigger = ZONE_TRIGGER[a.layer]
    if (!trigger || hit.has(trigger)) continue
    if (booleanIntersects(geometry, a.geometry)) hit.add(trigger)
  }
  return Object.values(ZONE_TRIGGER).filter((t) => hit.has(t))
}
