// Protection polygons and their bbox index packed into shared memory (SharedArrayBuffer), so every
// overlay thread reads the same bytes: no structured-clone copy of 100,000 small objects, no index
// built per thread; a thread decodes only the polygons its patches touch.
import Flatbush from 'flatbush'
import type { MultiPolygon, Polygon, Position } from 'geojson'
import { indexAreas, PROTECTION_LAYERS, type AreaSource, type ProtectionArea } from '../../core/overlay.js'

export interface PackedAreas {
  /** per area: layer index, polygon count (-1: a Polygon); per polygon: ring count; per ring: point count */
  structure: Int32Array
  /** x, y of every point, in order */
  coords: Float64Array
  /** per area: where it starts in structure, and in coords */
  starts: Int32Array
  /** Flatbush's data over the areas' bboxes, in the same order */
  index: SharedArrayBuffer | null
  count: number
}

const shared = <T>(Type: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, n: number) => new Type(new SharedArrayBuffer(Math.max(1, n) * Type.BYTES_PER_ELEMENT))

export function packAreas(areas: readonly ProtectionArea[]): PackedAreas {
  const { kept, index } = indexAreas(areas, SharedArrayBuffer)
  let ints = 0
  let points = 0
  for (const a of kept) {
    const polygons = a.geometry.type === 'Polygon' ? [a.geometry.coordinates] : a.geometry.coordinates
    ints += 2 + polygons.length
    for (const rings of polygons) {
      ints += rings.length
      for (const ring of rings) points += ring.length
    }
  }
  const structure = shared(Int32Array, ints)
  const coords = shared(Float64Array, points * 2)
  const starts = shared(Int32Array, kept.length * 2)
  let s = 0
  let c = 0
  kept.forEach((a, i) => {
    starts[i * 2] = s
    starts[i * 2 + 1] = c
    const polygons = a.geometry.type === 'Polygon' ? [a.geometry.coordinates] : a.geometry.coordinates
    structure[s++] = PROTECTION_LAYERS.indexOf(a.layer)
    structure[s++] = a.geometry.type === 'Polygon' ? -1 : polygons.length
    for (const rings of polygons) {
      structure[s++] = rings.length
      for (const ring of rings) {
        structure[s++] = ring.length
        for (const p of ring) {
          coords[c++] = p[0]!
          coords[c++] = p[1]!
        }
      }
    }
  })
  return { structure, coords, starts, index: index ? (index.data as SharedArrayBuffer) : null, count: kept.length }
}

/** The packed areas as an index source: each polygon decoded the first time a patch needs it. */
export function packedSource(packed: PackedAreas): AreaSource {
  const decoded: (ProtectionArea | undefined)[] = new Array(packed.count)
  return {
    size: packed.count,
    index: packed.index ? Flatbush.from(packed.index) : undefined,
    area: (i) => (decoded[i] ??= decode(packed, i)),
  }
}

function decode({ structure, coords, starts }: PackedAreas, i: number): ProtectionArea {
  let s = starts[i * 2]!
  let c = starts[i * 2 + 1]!
  const layer = PROTECTION_LAYERS[structure[s++]!]!
  const n = structure[s++]!
  const polygons: Position[][][] = []
  for (let k = 0; k < Math.abs(n); k++) {
    const rings: Position[][] = []
    const nRings = structure[s++]!
    for (let r = 0; r < nRings; r++) {
      const nPoints = structure[s++]!
      const ring: Position[] = new Array(nPoints)
      for (let p = 0; p < nPoints; p++) {
        ring[p] = [coords[c]!, coords[c + 1]!]
        c += 2
      }
      rings.push(ring)
    }
    polygons.push(rings)
  }
  const geometry: Polygon | MultiPolygon = n === -1 ? { type: 'Polygon', coordinates: polygons[0]! } : { type: 'MultiPolygon', coordinates: polygons }
  return { layer, geometry }
}
