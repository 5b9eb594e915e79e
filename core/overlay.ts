// Overlap of a patch with the protection layers (耕地, 永久基本农田, 生态保护红线) in 亩. Pure.
import type { MultiPolygon, Polygon, Position } from 'geojson'
import Flatbush from 'flatbush'
import { booleanIntersects } from '@turf/boolean-intersects'
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

/** Protection polygons behind a ready index: in memory, or decoded on demand from shared memory. */
export interface AreaSource {
  readonly size: number
  /** bboxes of areas 0 … size-1, in order; undefined when there are none */
  readonly index: Flatbush | undefined
  area(i: number): ProtectionArea
}

/** The bbox of every area with coordinates, indexed; areas without coordinates are left out. */
export function indexAreas(areas: readonly ProtectionArea[], ArrayBufferType?: ArrayBufferConstructor | SharedArrayBufferConstructor): { kept: ProtectionArea[]; index: Flatbush | undefined } {
  const boxes: Box[] = []
  const kept: ProtectionArea[] = []
  for (const a of areas) {
    const b = bboxOf(a.geometry)
    if (!Number.isFinite(b[0]) || !Number.isFinite(b[1])) continue
    boxes.push(b)
    kept.push(a)
  }
  if (kept.length === 0) return { kept, index: undefined } // Flatbush refuses an empty index
  const index = new Flatbush(kept.length, 16, Float64Array, ArrayBufferType)
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3])
  index.finish()
  return { kept, index }
}

/**
 * A spatial index over a county's protection polygons. Polygons of one layer are assumed not to
 * overlap each other (the layers are tessellations, as in 三调 and 永久基本农田 data), so a patch's
 * overlap with a layer is the sum of its overlaps with that layer's polygons.
 */
export class ProtectionIndex {
  readonly size: number
  readonly stats: OverlayStats = { queries: 0, candidates: 0, rejected: 0, clipped: 0 }
  private readonly source: AreaSource

  constructor(areas: readonly ProtectionArea[] | AreaSource) {
    if (Array.isArray(areas)) {
      const { kept, index } = indexAreas(areas as readonly ProtectionArea[])
      this.source = { size: kept.length, index, area: (i) => kept[i]! }
    } else {
      this.source = areas as AreaSource
    }
    this.size = this.source.size
  }

  /** Overlap of `geom` with each layer, in 亩. */
  overlapByLayer(geom: Polygon | MultiPolygon): LayerOverlap {
    const out: LayerOverlap = { farmland: 0, basic_farmland: 0, red_line: 0 }
    this.stats.queries++
    const index = this.source.index
    if (!index) return out
    const b = bboxOf(geom)
    if (!Number.isFinite(b[0])) return out
    const hits = index.search(b[0], b[1], b[2], b[3])
    this.stats.candidates += hits.length
    for (const i of hits) {
      const area = this.source.area(i)
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
