// The overlay on several threads gives, patch for patch, the figures of the one-thread index.
import { describe, expect, it } from 'vitest'
import { syntheticCounty } from '../../bench/import.js'
import { ProtectionIndex } from '../../core/overlay.js'
import { packAreas, packedSource } from '../../db/import/packed-areas.js'
import { startOverlayPool } from '../../db/import/parallel-overlay.js'

describe('the parallel overlay', () => {
  const data = syntheticCounty(3000, 700, 7)
  // a MultiPolygon with a hole and an area without coordinates, which the index leaves out
  const ring = (x: number, y: number, s: number) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]
  const [x0, y0] = data.areas[0]!.geometry.coordinates[0]![0]!
  const areas = [
    ...data.areas,
    { layer: 'red_line' as const, geometry: { type: 'MultiPolygon' as const, coordinates: [[ring(x0!, y0!, 0.002), ring(x0! + 0.0005, y0! + 0.0005, 0.0005)], [ring(x0! + 0.003, y0!, 0.001)]] } },
    { layer: 'farmland' as const, geometry: { type: 'Polygon' as const, coordinates: [] } },
  ]
  const patches = [...data.patches, null, { type: 'Polygon' as const, coordinates: [ring(x0! - 0.0005, y0! - 0.0005, 0.004)] }]
  const one = new ProtectionIndex(areas)
  const expected = patches.map((p) => (p ? one.overlapByLayer(p) : { farmland: 0, basic_farmland: 0, red_line: 0 }))

  it('packed shared areas decode to the same polygons and index', () => {
    const shared = new ProtectionIndex(packedSource(packAreas(areas)))
    expect(shared.size).toBe(one.size)
    expect(patches.map((p) => (p ? shared.overlapByLayer(p) : { farmland: 0, basic_farmland: 0, red_line: 0 }))).toEqual(expected)
  })

  it('two threads, chunks from one queue: the same figures in input order', async () => {
    expect(expected.filter((e) => e.red_line > 0).length).toBeGreaterThan(10)
    const pool = await startOverlayPool(areas, 2)
    try {
      expect(pool.threads).toBe(2)
      expect(await pool.overlap(patches)).toEqual(expected)
      expect(await pool.overlap([])).toEqual([])
    } finally {
      await pool.close()
    }
  }, 60_000)
})
