import { area as turfArea } from '@turf/turf'
import type { Polygon } from 'geojson'
import { describe, expect, it } from 'vitest'
import { areaMu, bboxOf, centroidOf, distanceToPolygonM, largestOverlap, overlapMu, pointDistanceM, pointInPolygon, validatePolygon } from '../../core/geometry.js'
import { square } from '../support/zi-yuan.js'

describe('core/geometry', () => {
  it('areaMu is the geodesic area in 亩 (1 亩 = 10000/15 m²)', () => {
    const p = square(110.6, 26.0, 0.001)
    expect(areaMu(p)).toBeCloseTo((turfArea(p) * 15) / 10000, 9)
    // 0.001° × 0.001° at 26°N ≈ 100.1 m × 110.7 m ≈ 16.6 亩
    expect(areaMu(p)).toBeGreaterThan(16)
    expect(areaMu(p)).toBeLessThan(17.2)
  })

  it('overlapMu: half-overlapping squares share half the area; disjoint ones none', () => {
    const a = square(110.6, 26.0, 0.002)
    const b = square(110.601, 26.0, 0.002)
    expect(overlapMu(a, b)).toBeCloseTo(areaMu(a) / 2, 1)
    expect(overlapMu(a, square(111, 27, 0.001))).toBe(0)
    expect(overlapMu(a, a)).toBeCloseTo(areaMu(a), 6)
  })

  it('bbox and a centroid inside even a C-shaped polygon', () => {
    const c: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [3, 0], [3, 1], [1, 1], [1, 2], [3, 2], [3, 3], [0, 3], [0, 0]]].map((r) => r.map(([x, y]) => [110 + x / 100, 26 + y / 100])) }
    expect(bboxOf(c)).toEqual([110, 26, 110.03, 26.03])
    const pt = centroidOf(c)
    expect(pointInPolygon(pt, c)).toBe(true)
    expect(centroidOf(square(110.6, 26, 0.002))).toEqual([expect.closeTo(110.601, 9), expect.closeTo(26.001, 9)])
  })

  it('validatePolygon names each problem in Chinese', () => {
    expect(validatePolygon(square(110.6, 26, 0.001))).toEqual([])
    const bowtie: Polygon = { type: 'Polygon', coordinates: [[[110.6, 26], [110.61, 26.01], [110.61, 26], [110.6, 26.01], [110.6, 26]]] }
    expect(validatePolygon(bowtie)).toContain('边界自相交')
    const open: Polygon = { type: 'Polygon', coordinates: [[[110.6, 26], [110.61, 26], [110.61, 26.01], [110.6, 26.01]]] }
    expect(validatePolygon(open)).toContain('环未闭合（首尾点不同）')
    const short: Polygon = { type: 'Polygon', coordinates: [[[110.6, 26], [110.61, 26], [110.6, 26]]] }
    expect(validatePolygon(short).join()).toContain('少于 4 个')
    const nan: Polygon = { type: 'Polygon', coordinates: [[[110.6, 26], [NaN, 26], [110.61, 26.01], [110.6, 26]]] }
    expect(validatePolygon(nan).join()).toContain('非数值')
    expect(validatePolygon(square(2.35, 48.85, 0.001))).toEqual(['坐标超出中国范围，可能坐标系错误'])
    // touching at a vertex is not a crossing
    const touching: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 2], [1, 0], [0, 2], [0, 0]].map(([x, y]) => [110 + x / 100, 26 + y / 100])] }
    expect(validatePolygon(touching)).toEqual([])
  })

  it('pointDistanceM: one minute of latitude is one nautical mile (≈1853 m)', () => {
    expect(pointDistanceM([110.6, 26], [110.6, 26 + 1 / 60])).toBeCloseTo(1853.2, 0)
    expect(pointDistanceM([110.6, 26], [110.6, 26])).toBe(0)
  })

  it('distanceToPolygonM: 0 inside, metres to the nearest edge outside', () => {
    const p = square(110.6, 26, 0.001)
    expect(distanceToPolygonM([110.6005, 26.0005], p)).toBe(0)
    // 0.001° of latitude ≈ 111 m
    expect(distanceToPolygonM([110.6005, 25.999], p)).toBeCloseTo(111.2, 0)
  })

  it('largestOverlap picks the candidate covering most of the shape', () => {
    const patch = square(110.6045, 25.991, 0.001) // 0.0005° of its width in A, 0.0006° in B
    const a = { id: 'A', geometry: square(110.6, 25.99, 0.005) }
    const b = { id: 'B', geometry: square(110.605 - 0.0001, 25.99, 0.005) }
    expect(largestOverlap(patch, [a, b])).toBe('B')
    expect(largestOverlap(square(112, 27, 0.001), [a, b])).toBeNull()
  })
})

describe('rewind', () => {
  it('outer rings counter-clockwise, holes clockwise', async () => {
    const { rewind } = await import('../../core/geometry.js')
    const ccw = square(110.6, 26, 0.01)
    const cw: Polygon = { type: 'Polygon', coordinates: [[...ccw.coordinates[0]].reverse()] }
    expect(rewind(cw)).toEqual(ccw)
    expect(rewind(ccw)).toEqual(ccw)
    const hole = square(110.602, 26.002, 0.001).coordinates[0]
    expect(rewind({ type: 'Polygon', coordinates: [ccw.coordinates[0], hole] }).coordinates[1]).toEqual([...hole].reverse())
  })
})
