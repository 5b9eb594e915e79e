// Overlap of a patch with the protection layers (耕地, 永久基本农田, 生态保护红线) in 亩. Pure.
import type { MultiPolygon, Polygon, Position } from 'geojson'
import Flatbush from 'flatbush'
import { booleanIntersects } from '@turf/turf'
import { overlapMu } from './geometry.js'

export type ProtectionLayer = 'farmland' | 'basic_farmland' | 'red_line'
export const PROTECTION_LAYERS: readonly ProtectionLayer[] = ['farmland', 'basic_farmland', 'red_line']

export interface ProtectionArea {
  layer: ProtectionLayer
  geometry: Polygon | MultiPolygon
}

export type LayerOverlap = Record<ProtectionLayer, number>

/** How much work the index did: for benchmarks and for judging the cheap reject. */
export interface OverlayStats {
  queries: number
  candidates: number // bbox hits from the index
  rejected: number // bbox hits that do not actually touch the patch
  clipped: number // pairs sent to the polygon clipper
}

type Box = [number, number, number, number]

function bboxOf(geom: Polygon | MultiPolygon): Box {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  const polygons: Position[][][] = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates
  for (const polygon of polygons) {
    // the outer ring bounds the polygon; holes lie inside it
    const ring = polygon[0]
    if (!ring) continue
    for (const p of ring) {
      const x = p[0]!
      const y = p[1]!
      if (x < minX) minX = x
      if (y < minY) minY = y
      if (x > maxX) maxX = x
      if (y > maxY) maxY = y
    }
  }
  return [minX, minY, maxX, maxY]
}

/**
 * A spatial index over a county's protection polygons. Polygons of one layer are assumed not to
 * overlap each other (the layers are tessellations, as in 三调 and 永久基本农田 data), so a patch's
 * overlap with a layer is the sum of its overlaps with that layer's polygons.
 */
export class ProtectionIndex {
  readonly size: number
  readonly stats: OverlayStats = { queries: 0, candidates: 0, rejected: 0, clipped: 0 }
  private readonly areas: readonly ProtectionArea[]
  private readonly index: Flatbush | undefined

  constructor(areas: readonly ProtectionArea[]) {
    this.areas = areas.filter((a) => {
      const b = bboxOf(a.geometry)
      return Number.isFinite(b[0]) && Number.isFinite(b[1])
    })
    this.size = this.areas.length
    if (this.size === 0) return // Flatbush refuses an empty index
    const index = new Flatbush(this.size)
    for (const a of this.areas) {
      const b = bboxOf(a.geometry)
      index.add(b[0], b[1], b[2], b[3])
    }
    index.finish()
    this.index = index
  }

  /** Overlap of `geom` with each layer, in 亩. */
  overlapByLayer(geom: Polygon | MultiPolygon): LayerOverlap {
    const out: LayerOverlap = { farmland: 0, basic_farmland: 0, red_line: 0 }
    this.stats.queries++
    if (!this.index) return out
    const b = bboxOf(geom)
    if (!Number.isFinite(b[0])) return out
    const hits = this.index.search(b[0], b[1], b[2], b[3])
    this.stats.candidates += hits.length
    for (const i of hits) {
      const area = this.areas[i]!
      // bbox overlap is common for neighbours that never touch; this test costs a fraction of a clip
      if (!booleanIntersects(geom, area.geometry)) {
        this.stats.rejected++
        continue
      }
      this.stats.clipped++
      out[area.layer] += overlapMu(geom, area.geometry)
    }
    return out
  }
}
