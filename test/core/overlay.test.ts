import type { MultiPolygon, Polygon } from 'geojson'
import { describe, expect, it } from 'vitest'
import { ProtectionIndex } from '../../core/overlay.js'

// Metres → degrees on turf's sphere (R = 6371008.8 m) near 26°N, so lat/lon rectangles have exact areas.
const R = 6371008.8
const M_PER_DEG_LAT = (R * Math.PI) / 180
const LAT0 = 26.0
const LON0 = 110.6
const dLat = (m: number) => m / M_PER_DEG_LAT
const dLon = (m: number) => m / (M_PER_DEG_LAT * Math.cos((LAT0 * Math.PI) / 180))

/** Rectangle with its south-west corner x metres east and y metres north of (LON0, LAT0). */
function rect(x: number, y: number, w: number, h: number): Polygon {
  const w0 = LON0 + dLon(x)
  const e0 = LON0 + dLon(x + w)
  const s0 = LAT0 + dLat(y)
  const n0 = LAT0 + dLat(y + h)
  return { type: 'Polygon', coordinates: [[[w0, s0], [e0, s0], [e0, n0], [w0, n0], [w0, s0]]] }
}

// 1 亩 = 10000/15 m², so 100 m × 100 m = 15 亩.
describe('ProtectionIndex.overlapByLayer', () => {
  it('a 100 m square half over a farmland polygon overlaps 7.5 亩 of farmland', () => {
    const index = new ProtectionIndex([{ layer: 'farmland', geometry: rect(50, 0, 500, 500) }])
    const got = index.overlapByLayer(rect(0, 100, 100, 100))
    expect(got.farmland).toBeCloseTo(7.5, 3)
    expect(got.basic_farmland).toBe(0)
    expect(got.red_line).toBe(0)
  })

  it('counts each layer separately: a square inside 永久基本农田 inside 耕地 counts in both', () => {
    const index = new ProtectionIndex([
      { layer: 'farmland', geometry: rect(0, 0, 1000, 1000) },
      { layer: 'basic_farmland', geometry: rect(100, 100, 400, 400) },
      { layer: 'red_line', geometry: rect(2000, 0, 1000, 1000) },
    ])
    const got = index.overlapByLayer(rect(200, 200, 100, 100))
    expect(got.farmland).toBeCloseTo(15, 3)
    expect(got.basic_farmland).toBeCloseTo(15, 3)
    expect(got.red_line).toBe(0)
  })

  it('sums the pieces of one layer: a square across two adjacent fields', () => {
    // two fields 100 m × 50 m meet at x = 100
    const index = new ProtectionIndex([
      { layer: 'farmland', geometry: rect(0, 0, 100, 50) },
      { layer: 'farmland', geometry: rect(100, 0, 100, 50) },
    ])
    // square 50..150 × 0..100: 50 m × 50 m on each field = 2 × 2500 m² = 5000 m² = 7.5 亩
    const got = index.overlapByLayer(rect(50, 0, 100, 100))
    expect(got.farmland).toBeCloseTo(7.5, 3)
  })

  it('a red-line corner: a quarter of the square', () => {
    const index = new ProtectionIndex([{ layer: 'red_line', geometry: rect(50, 50, 1000, 1000) }])
    expect(index.overlapByLayer(rect(0, 0, 100, 100)).red_line).toBeCloseTo(3.75, 3)
  })

  it('rejects a polygon whose bbox covers the patch but which does not touch it, without clipping', () => {
    // an L-shaped field: bbox 0..1000 × 0..1000, the square sits in the missing corner
    const L: Polygon = {
      type: 'Polygon',
      coordinates: [[
        [LON0, LAT0], [LON0 + dLon(1000), LAT0], [LON0 + dLon(1000), LAT0 + dLat(200)],
        [LON0 + dLon(200), LAT0 + dLat(200)], [LON0 + dLon(200), LAT0 + dLat(1000)], [LON0, LAT0 + dLat(1000)], [LON0, LAT0],
      ]],
    }
    const index = new ProtectionIndex([{ layer: 'farmland', geometry: L }])
    expect(index.overlapByLayer(rect(500, 500, 100, 100)).farmland).toBe(0)
    expect(index.stats).toMatchObject({ queries: 1, candidates: 1, rejected: 1, clipped: 0 })
  })

  it('respects holes: a square half over a hole in the field', () => {
    const field = rect(0, 0, 1000, 1000)
    const withHole: Polygon = {
      type: 'Polygon',
      coordinates: [field.coordinates[0]!, rect(450, 100, 300, 300).coordinates[0]!.slice().reverse()],
    }
    const index = new ProtectionIndex([{ layer: 'farmland', geometry: withHole }])
    // square 400..500 × 200..300: 50 m of it over the hole
    expect(index.overlapByLayer(rect(400, 200, 100, 100)).farmland).toBeCloseTo(7.5, 3)
  })

  it('takes MultiPolygon patches and MultiPolygon areas', () => {
    const patch: MultiPolygon = { type: 'MultiPolygon', coordinates: [rect(0, 0, 100, 100).coordinates, rect(3000, 0, 100, 100).coordinates] }
    const area: MultiPolygon = { type: 'MultiPolygon', coordinates: [rect(50, 0, 100, 100).coordinates, rect(3000, 0, 100, 100).coordinates] }
    const index = new ProtectionIndex([{ layer: 'basic_farmland', geometry: area }])
    expect(index.overlapByLayer(patch).basic_farmland).toBeCloseTo(7.5 + 15, 3)
  })

  it('returns zeros far from every area and on an empty index', () => {
    const index = new ProtectionIndex([{ layer: 'farmland', geometry: rect(0, 0, 100, 100) }])
    expect(index.overlapByLayer(rect(5000, 5000, 100, 100))).toEqual({ farmland: 0, basic_farmland: 0, red_line: 0 })
    expect(index.stats.candidates).toBe(0)
    expect(new ProtectionIndex([]).overlapByLayer(rect(0, 0, 100, 100))).toEqual({ farmland: 0, basic_farmland: 0, red_line: 0 })
  })

  it('finds the right areas among many (index agrees with brute force)', () => {
    const areas = Array.from({ length: 400 }, (_, i) => ({
      layer: (['farmland', 'basic_farmland', 'red_line'] as const)[i % 3]!,
      geometry: rect((i % 20) * 100, Math.floor(i / 20) * 100, 60, 60),
    }))
    const index = new ProtectionIndex(areas)
    // 250..450 × 250..450 covers parts of columns/rows 2,3,4: cells start at 200,300,400 and span 60 m
    const got = index.overlapByLayer(rect(250, 250, 200, 200))
    const total = got.farmland + got.basic_farmland + got.red_line
    // per axis: cell 200 → 250..260 (10 m), 300 → 60 m, 400 → 400..450 (50 m): 120 m → 120² m²
    expect(total).toBeCloseTo((120 * 120) / (10000 / 15), 2)
  })
})
