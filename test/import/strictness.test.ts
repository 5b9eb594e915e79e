// Where the import used to guess: area units, swapped coordinates, patches outside the county,
// numbers the chat grammar cannot read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { centroidOf, findPatchNumbers } from '../../core/index.js'
import { importBatch, type ImportOptions } from '../../db/import/import-batch.js'
import { csv, featureCollection } from '../support/batch-files.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { patchIn, seedZiyuan, square, townshipOrigin } from '../support/zi-yuan.js'

const NOW = new Date('2026-07-20T02:00:00Z')
let seq = 0

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`import strictness on ${engine.name}`, () => {
    let t: TestDatabase
    beforeAll(async () => {
      t = await engine.open()
    })
    afterAll(async () => t?.close())

    async function county() {
      const code = `46${String(++seq).padStart(4, '0')}`
      const id = await seedZiyuan(t.db, { code })
      const run = (o: Omit<ImportOptions, 'tenantCode' | 'now'>) => importBatch(t.db, { tenantCode: code, now: NOW, ...o })
      const patches = () => t.db.selectFrom('patches').selectAll().where('tenant_id', '=', id).orderBy('number').execute()
      return { run, patches }
    }

    it('m² in an area column without a unit and without geometry is refused until --area-unit says it', async () => {
      const c = await county()
      const [lon, lat] = centroidOf(patchIn(0))
      const table = new TextEncoder().encode(csv([['监测编号', '行政区代码', '监测面积', 'LZB', 'BZB'], ['JC2026000000001', '450329100', 6667, lon, lat], ['JC2026000000002', '450329100', 3334, lon + 0.001, lat]]))
      const refused = await c.run({ fileName: 'm2.csv', bytes: table })
      expect(refused.status).toBe('unreadable')
      expect(refused.error).toMatchObject({ code: 'area-unit-unknown', message: expect.stringContaining('像平方米'), fix: expect.stringContaining('--area-unit m2') })
      expect(await c.patches()).toHaveLength(0)
      const taken = await c.run({ fileName: 'm2.csv', bytes: table, areaUnit: 'm2' })
      expect(taken).toMatchObject({ status: 'ok', units: { declaredArea: { unit: 'm2', how: 'option' } } })
      expect((await c.patches())[0]!.area_mu).toBeCloseTo(10, 2)
    })

    it('a declared area far from the geometry in every unit is refused rather than read as 亩', async () => {
      const c = await county()
      const g = patchIn(1) // ≈ 16.7 亩
      const r = await c.run({ fileName: 'odd.geojson', bytes: featureCollection([{ geometry: g, properties: { JCBH: 'JC2026000000011', XZQDM: '450329101', JCMJ: 2000 } }]) }) // 120 times the geometry: neither 亩 nor m² nor 公顷
      expect(r).toMatchObject({ status: 'unreadable', error: { code: 'area-unit-unknown' } })
    })

    it('swapped longitude/latitude is recognised, read the right way round and said so', async () => {
      const c = await county()
      const g = patchIn(2)
      const swapped = { ...g, coordinates: g.coordinates.map((ring) => ring.map(([x, y]) => [y!, x!])) }
      const r = await c.run({ fileName: 'swapped.geojson', bytes: featureCollection([{ geometry: swapped, properties: { JCBH: 'JC2026000000021', XZQDM: '450329102' } }]) })
      expect(r.status).toBe('ok')
      expect(r.fileNotes.join()).toContain('经纬度顺序写反')
      const [p] = await c.patches()
      expect(p!.centroid_lon).toBeCloseTo(centroidOf(g)[0], 6)
    })

    it('a patch outside every township boundary is refused with a fix, even with a code of the county', async () => {
      const c = await county()
      const [lon, lat] = townshipOrigin(0)
      const outside = square(lon - 0.05, lat, 0.001) // ≈ 5 km west of the county
      const r = await c.run({ fileName: 'out.geojson', bytes: featureCollection([{ geometry: outside, properties: { JCBH: 'JC2026000000031', XZQDM: '450329100' } }]) })
      expect(r.status).toBe('rows-rejected')
      expect(r.problems[0]).toMatchObject({ problem: expect.stringContaining('不在本县任何乡镇的边界内'), fix: expect.stringContaining('townships import') })
    })

    it('every number the import accepts is one the chat grammar reads', async () => {
      const c = await county()
      const numbers = ['TZY0001', 'jc2026450329001', '450329SJBG26210001', '450329-2026-0001', '20260715', 'ＪＣ２０２６４５０３２９００９']
      const r = await c.run({ fileName: 'numbers.geojson', bytes: featureCollection(numbers.map((n, k) => ({ geometry: patchIn(3, k), properties: { JCBH: n, XZQDM: '450329202' } }))) })
      expect(r.problems.map((p) => p.number)).toEqual(['TZY0001', '20260715'])
      expect(r.problems[0]!.fix).toContain('JC2026450329001')
      const accepted = (await c.patches()).map((p) => p.number)
      expect(accepted).toHaveLength(4)
      for (const n of accepted) expect(findPatchNumbers(`查 ${n}`)).toEqual([n.normalize('NFKC').toUpperCase()])
    })
  })
}
