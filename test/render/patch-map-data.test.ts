// What the map of a patch is drawn from, read from the database on both engines: the layers and
// neighbours in the frame (not those far off), the township's line and name, a place name.
import type { Polygon } from 'geojson'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bboxOf } from '../../core/geometry.js'
import { json } from '../../db/json.js'
import { loadPatchMapInput, patchMapPngOf } from '../../render/patch-map-data.js'
import { patchMapSvg } from '../../render/patch-map.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { decodePng } from '../support/png.js'
import { seedZiyuan, square, townshipOrigin } from '../support/zi-yuan.js'

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`the map's data (${engine.name})`, () => {
    let t: TestDatabase
    const ids: Record<string, number> = {}
    const [lon0, lat0] = townshipOrigin(0) // 资源镇's square
    const at = (dx: number, dy: number, size: number) => square(Math.round((lon0 + dx) * 1e6) / 1e6, Math.round((lat0 + dy) * 1e6) / 1e6, size)

    beforeAll(async () => {
      t = await engine.open()
      const tenantId = await seedZiyuan(t.db)
      const township = await t.db.selectFrom('townships').select('id').where('code', '=', '450329100').executeTakeFirstOrThrow()
      const patch = async (number: string, geometry: Polygon, attributes: Record<string, unknown> = {}) => {
        const [minLon, minLat, maxLon, maxLat] = bboxOf(geometry)
        const row = await t.db.insertInto('patches').values({
          tenant_id: tenantId, number, kind: 'land', category: '新增非农建设类', township_id: township.id, geometry: json(geometry),
          min_lon: minLon, min_lat: minLat, max_lon: maxLon, max_lat: maxLat, area_mu: 16.6, farmland_mu: 16.6, basic_farmland_mu: 4,
          attributes: json(attributes), state: 'dispatched', flags: json([]), due: json({}), issued_on: '2026-11-01',
        }).returning('id').executeTakeFirstOrThrow()
        ids[number] = row.id
      }
      const area = async (layer: 'farmland' | 'basic_farmland' | 'red_line', geometry: Polygon, attributes: Record<string, unknown> = {}) => {
        const [minLon, minLat, maxLon, maxLat] = bboxOf(geometry)
        await t.db.insertInto('protection_areas').values({ tenant_id: tenantId, layer, geometry: json(geometry), min_lon: minLon, min_lat: minLat, max_lon: maxLon, max_lat: maxLat, attributes: json(attributes) }).execute()
      }
      // the patch sits 10 m inside 资源镇's west line: the line is in view
      await patch('JC-MAP-1', at(0.0001, 0.02, 0.001))
      await patch('JC-MAP-2', at(0.0013, 0.02, 0.0005), { 坐落单位名称: '白竹村' }) // next door
      await patch('JC-MAP-FAR', at(0.03, 0.03, 0.001))
      await area('farmland', at(0, 0.019, 0.004), { ZLDWMC: '石溪村', DLMC: '水田' })
      await area('basic_farmland', at(0.0001, 0.0199, 0.0009))
      await area('red_line', at(0.04, 0.04, 0.005))
    })
    afterAll(async () => t?.close())

    it('gathers the layers and the neighbour in view, the township and its line, and a place from the layer', async () => {
      const input = (await loadPatchMapInput(t.db, ids['JC-MAP-1']!))!
      expect(input.patch).toMatchObject({ number: 'JC-MAP-1', areaMu: 16.6 })
      expect(input.areas).toEqual({ farmland: 16.6, basic_farmland: 4, red_line: 0 })
      expect(input.township?.name).toBe('资源镇')
      expect(input.layers!.map((l) => l.kind).sort()).toEqual(['basic_farmland', 'farmland'])
      expect(input.neighbours!.map((n) => n.number)).toEqual(['JC-MAP-2'])
      // no place of its own: the 耕地 polygon it lies in names its 坐落单位 (三调 ZLDWMC)
      expect(input.place).toBe('坐落：石溪村')
      const svg = patchMapSvg(input)
      expect(svg).toContain('data-layer="basic_farmland"')
      expect(svg).toContain('<path id="township"')
      expect(svg).toContain('data-label="位于资源镇，坐落：石溪村"')
    })

    it("prefers the patch's own place attribute", async () => {
      const input = (await loadPatchMapInput(t.db, ids['JC-MAP-2']!))!
      expect(input.place).toBe('坐落：白竹村')
      expect(input.neighbours!.map((n) => n.number)).toEqual(['JC-MAP-1'])
    })

    it('renders the PNG, and nothing for a patch without geometry', async () => {
      const png = (await patchMapPngOf(t.db, ids['JC-MAP-1']!))!
      expect(decodePng(png).width).toBe(640)
      expect(await patchMapPngOf(t.db, 987654)).toBeUndefined()
    })
  })
}
