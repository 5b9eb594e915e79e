import ExcelJS from 'exceljs'
import proj4 from 'proj4'
import type { Polygon } from 'geojson'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { areaMu, centroidOf } from '../../core/geometry.js'
import { appendEvent, storedEventHash } from '../../db/events.js'
import { registerCrs } from '../../db/import/crs.js'
import { formatReport } from '../../db/import/format-report.js'
import { importBatch, type ImportOptions } from '../../db/import/import-batch.js'
import { json } from '../../db/json.js'
import type { Db } from '../../db/open.js'
import { csv, featureCollection } from '../support/batch-files.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { encodeGbk } from '../support/gbk.js'
import { PRJ, writeShapefile, zipFiles } from '../support/shapefile-writer.js'
import { patchIn, seedZiyuan, square, townshipOrigin } from '../support/zi-yuan.js'

const NOW = new Date('2026-07-20T02:00:00Z')
let tenantSeq = 0

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`importBatch on ${engine.name}`, () => {
    let t: TestDatabase
    let db: Db
    beforeAll(async () => {
      t = await engine.open()
      db = t.db
    })
    afterAll(async () => t?.close())

    // one county per test, so tests share the database without sharing patch numbers
    async function county(townships?: string[]) {
      const code = `45${String(++tenantSeq).padStart(4, '0')}`
      const id = await seedZiyuan(db, { code, townships })
      const run = (o: Omit<ImportOptions, 'tenantCode' | 'now'> & { now?: Date }) => importBatch(db, { tenantCode: code, now: NOW, ...o })
      const townshipId = async (name: string) => (await db.selectFrom('townships').select('id').where('tenant_id', '=', id).where('name', '=', name).executeTakeFirstOrThrow()).id
      const patches = () => db.selectFrom('patches').selectAll().where('tenant_id', '=', id).orderBy('number').execute()
      return { code, id, run, townshipId, patches }
    }

    it('imports a GeoJSON batch with every field, its first events, and does nothing the second time', async () => {
      const c = await county()
      const bytes = featureCollection([
        { geometry: patchIn(1), properties: { JCBH: '450329SJBG26210001', XZQDM: '450329101', XZQMC: '中峰镇', JCMJ: 16.6, JCGDMJ: 12.3, YJJBNTMJ: 5.1, TBLX: '新增非农建设类', QSX: '2026-03', HSX: '2026-06', XFSJ: '2026-07-15' } },
        { geometry: patchIn(4), properties: { JCBH: '450329SJBG26210002', XZQDM: '450329203000', JCMJ: 16.6, TBLX: '矿产卫片', KCLX: '建筑石料用灰岩', XFSJ: '2026-07-15' } },
        { geometry: patchIn(0), properties: { JCBH: '450329SJBG26210003', XZQMC: '资源镇', JCMJ: 16.6, TBLX: '新增非农建设类', JYTD: '是', XFSJ: '2026-07-15' } },
      ])
      const report = await c.run({ fileName: '2026年七月一批.geojson', bytes, batchLabel: '2026年七月一批' })
      expect(report.status).toBe('ok')
      expect(report.counts).toEqual({ rows: 3, imported: 3, skipped: 0, rejected: 0 })
      expect(report.problems).toEqual([])
      expect(report.units.declaredArea).toEqual({ unit: 'mu', how: 'compared' })
      expect(report.overlay).toBe('declared')
      expect(report.batch).toMatchObject({ label: '2026年七月一批', issuedOn: '2026-07-15', created: true })

      const [p1, p2, p3] = await c.patches()
      expect(p1).toMatchObject({
        number: '450329SJBG26210001', kind: 'land', category: '新增非农建设类', township_id: await c.townshipId('中峰镇'),
        declared_area_mu: 16.6, farmland_mu: 12.3, basic_farmland_mu: 5.1, red_line_mu: 0, military: false,
        state: 'issued', flags: [], due: {}, issued_on: '2026-07-15', received_on: '2026-07-20', batch_id: report.batch!.id,
      })
      expect(p1.area_mu).toBeCloseTo(areaMu(patchIn(1)), 9)
      expect(p1.geometry).toEqual(patchIn(1))
      expect([p1.min_lon, p1.min_lat, p1.max_lon, p1.max_lat]).toEqual([110.56, 25.96, 110.561, 25.961])
      expect([p1.centroid_lon, p1.centroid_lat]).toEqual(centroidOf(patchIn(1)))
      expect(p1.attributes).toEqual({ JCBH: '450329SJBG26210001', XZQDM: '450329101', XZQMC: '中峰镇', JCMJ: 16.6, JCGDMJ: 12.3, YJJBNTMJ: 5.1, TBLX: '新增非农建设类', QSX: '2026-03', HSX: '2026-06', XFSJ: '2026-07-15' })
      expect(p2).toMatchObject({ kind: 'mineral', township_id: await c.townshipId('车田苗族乡') })
      expect(p3).toMatchObject({ military: true, township_id: await c.townshipId('资源镇') })

      const events = await db.selectFrom('patch_events').selectAll().where('patch_id', 'in', [p1.id, p2.id, p3.id]).execute()
      expect(events).toHaveLength(3)
      for (const e of events) {
        const number = [p1, p2, p3].find((p) => p.id === e.patch_id)!.number
        expect(e).toMatchObject({ seq: 1, type: 'imported', prev_hash: '', actor: 'import' })
        // the hash recomputes from what the database gives back (jsonb reorders keys)
        expect(e.hash).toBe(storedEventHash(e, number))
      }

      const again = await c.run({ fileName: '改名了.geojson', bytes })
      expect(again.status).toBe('ok')
      expect(again.counts.imported).toBe(0)
      expect(again.message).toMatch(/^该文件已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 导入（批次“2026年七月一批”），本次未做任何更改$/)
      expect(await c.patches()).toHaveLength(3)
      expect(await db.selectFrom('batches').select('id').where('tenant_id', '=', c.id).execute()).toHaveLength(1)
      expect(await db.selectFrom('patch_events').select('id').where('patch_id', 'in', [p1.id, p2.id, p3.id]).execute()).toHaveLength(3)
    })

    it('area units: m² found by comparing with the geometry, or by the column name; disagreements reported', async () => {
      const c = await county()
      const a = areaMu(patchIn(2))
      const m2 = (mu: number) => Math.round((mu * 10000) / 15)
      const compared = await c.run({
        fileName: 'm2.geojson',
        bytes: featureCollection([
          { geometry: patchIn(2, 0), properties: { TBBH: 'U-1-2026001', XZQMC: '梅溪', JCMJ: m2(a), GDMJ: m2(a / 2) } },
          { geometry: patchIn(2, 1), properties: { TBBH: 'U-2-2026001', XZQMC: '梅溪', JCMJ: m2(a) } },
          { geometry: patchIn(2, 2), properties: { TBBH: 'U-3-2026001', XZQMC: '梅溪', JCMJ: m2(2 * a) } },
        ]),
      })
      expect(compared.units).toEqual({ declaredArea: { unit: 'm2', how: 'compared' }, farmland: { unit: 'm2', how: 'follows-declared' } })
      expect(compared.areaMismatches).toEqual([{ row: 3, number: 'U-3-2026001', declaredMu: expect.closeTo(2 * a, 1), computedMu: expect.closeTo(a, 1) }])
      const u1 = (await c.patches())[0]
      expect(u1.declared_area_mu).toBeCloseTo(a, 2)
      expect(u1.farmland_mu).toBeCloseTo(a / 2, 2)
      expect(formatReport(compared)).toContain('监测面积与图形面积不符')

      const named = await c.run({ fileName: 'named.geojson', bytes: featureCollection([{ geometry: patchIn(2, 3), properties: { 图斑编号: 'U-4-2026001', 乡镇名称: '梅溪镇', '监测面积(平方米)': 1000 } }]) })
      expect(named.units.declaredArea).toEqual({ unit: 'm2', how: 'column-name' })
      expect(named.areaMismatches).toHaveLength(1) // 1000 m² = 1.5 亩 against ≈16.6 亩
      expect((await c.patches())[3].declared_area_mu).toBeCloseTo(1.5, 9)
    })

    it('a zipped GBK shapefile (no .cpg, CGCS2000 .prj, in a sub-folder) and a UTF-8 one with .cpg', async () => {
      const c = await county()
      const fields = [
        { name: '图斑编号', type: 'C' as const, length: 24 }, { name: '行政区名称', type: 'C' as const, length: 20 },
        { name: '监测面积', type: 'N' as const, length: 12, decimals: 2 }, { name: '图斑类型', type: 'C' as const, length: 30 },
      ]
      const gbk = writeShapefile({
        encode: encodeGbk, fields,
        records: [
          { geometry: patchIn(5), values: { 图斑编号: 'GBK-1-2026001', 行政区名称: '两水苗族乡', 监测面积: 16.6, 图斑类型: '新增非农建设类' } },
          { geometry: patchIn(6), values: { 图斑编号: 'GBK-2-2026001', 行政区名称: '河口乡', 监测面积: 16.6, 图斑类型: '年度内持续变化类' } },
        ],
      })
      const report = await c.run({ fileName: '七月一批.zip', bytes: zipFiles({ '七月一批/图斑.shp': gbk.shp, '七月一批/图斑.shx': gbk.shx, '七月一批/图斑.dbf': gbk.dbf, '七月一批/图斑.prj': PRJ.cgcs2000 }) })
      expect(report).toMatchObject({ status: 'ok', format: 'shapefile', encoding: 'gbk', crs: { code: 'EPSG:4490', source: 'file' } })
      expect(report.counts.imported).toBe(2)
      const [g1, g2] = await c.patches()
      expect(g1).toMatchObject({ number: 'GBK-1-2026001', category: '新增非农建设类', township_id: await c.townshipId('两水苗族乡'), attributes: { 行政区名称: '两水苗族乡' } })
      expect(g2).toMatchObject({ category: '年度内持续变化类', township_id: await c.townshipId('河口瑶族乡') })
      // stored in RFC 7946 winding although the shapefile has it clockwise
      expect(g1.geometry).toEqual(patchIn(5))

      // a DBF field name has 10 bytes: UTF-8 Chinese names must be short
      const utf8Fields = [{ name: '编号', type: 'C' as const, length: 24 }, { name: '乡镇', type: 'C' as const, length: 30 }]
      const utf8 = writeShapefile({ encode: (s) => new TextEncoder().encode(s), fields: utf8Fields, records: [{ geometry: patchIn(0, 5), values: { 编号: 'UTF-1-2026001', 乡镇: '资源镇' } }] })
      const r2 = await c.run({ fileName: 'utf8.zip', bytes: zipFiles({ 'a.shp': utf8.shp, 'a.dbf': utf8.dbf, 'a.prj': PRJ.cgcs2000, 'a.cpg': 'UTF-8' }) })
      expect(r2).toMatchObject({ status: 'ok', encoding: 'utf-8' })
      expect((await c.patches()).find((p) => p.number === 'UTF-1-2026001')?.township_id).toBe(await c.townshipId('资源镇'))
    })

    describe('Gauss-Kruger zone 37 (资源县, CM 111°E)', () => {
      registerCrs()
      const toGk = (code: string) => (p: Polygon): Polygon => ({ type: 'Polygon', coordinates: p.coordinates.map((r) => r.map((q) => proj4('EPSG:4326', code).forward([q[0], q[1]]))) })
      const gkShapefile = (geom: Polygon, number: string, prj?: string) => {
        const s = writeShapefile({ encode: encodeGbk, fields: [{ name: 'JCBH', type: 'C', length: 20 }, { name: 'XZQDM', type: 'C', length: 12 }], records: [{ geometry: geom, values: { JCBH: number, XZQDM: '450329102' } }] })
        return zipFiles({ 'gk.shp': s.shp, 'gk.dbf': s.dbf, ...(prj ? { 'gk.prj': prj } : {}) })
      }

      it('EPSG:4525 from the .prj', async () => {
        const c = await county()
        const r = await c.run({ fileName: 'gk37.zip', bytes: gkShapefile(toGk('EPSG:4525')(patchIn(2)), 'GK-1-2026001', PRJ.gkZone37) })
        expect(r).toMatchObject({ status: 'ok', crs: { code: 'EPSG:4525', source: 'file' } })
        const [p] = await c.patches()
        expect(p.centroid_lon).toBeCloseTo(centroidOf(patchIn(2))[0], 7)
        expect(p.centroid_lat).toBeCloseTo(centroidOf(patchIn(2))[1], 7)
        expect(p.area_mu).toBeCloseTo(areaMu(patchIn(2)), 3)
      })

      it('EPSG:4546 given as --crs; without it a per-row error suggests it; zone-prefixed eastings are recognised', async () => {
        const c = await county()
        const noZone = gkShapefile(toGk('EPSG:4546')(patchIn(2)), 'GK-2-2026001')
        const unknown = await c.run({ fileName: 'gk-nozone.zip', bytes: noZone })
        expect(unknown.status).toBe('rows-rejected')
        expect(unknown.problems).toEqual([{ row: 1, number: 'GK-2-2026001', problem: '坐标是投影坐标（米），但文件没有说明坐标系（缺少 .prj）', fix: expect.stringContaining('--crs EPSG:4546') }])

        const given = await c.run({ fileName: 'gk-nozone.zip', bytes: noZone, crs: 'EPSG:4546' })
        expect(given).toMatchObject({ status: 'ok', crs: { code: 'EPSG:4546', source: 'option' }, counts: { imported: 1 } })
        expect((await c.patches())[0].centroid_lon).toBeCloseTo(centroidOf(patchIn(2))[0], 7)

        const zoned = await c.run({ fileName: 'gk-zone-noprj.zip', bytes: gkShapefile(toGk('EPSG:4525')(patchIn(2, 1)), 'GK-3-2026001') })
        expect(zoned).toMatchObject({ status: 'ok', crs: { code: 'EPSG:4525', source: 'inferred' } })

        // the wrong zone lands 600 km east, still in China; with the zone number the maths breaks down
        const wrongZone = await c.run({ fileName: 'gk-wrong.zip', bytes: gkShapefile(toGk('EPSG:4546')(patchIn(2, 2)), 'GK-4-2026001'), crs: 'EPSG:4548' })
        expect(wrongZone.problems[0]).toMatchObject({ number: 'GK-4-2026001', problem: expect.stringMatching(/在本县范围外约 \d+ 公里，可能坐标系错误/), fix: expect.stringContaining('坐标系') })
        const zoneMix = await c.run({ fileName: 'gk-wrong.zip', bytes: gkShapefile(toGk('EPSG:4546')(patchIn(2, 2)), 'GK-4-2026001'), crs: 'EPSG:4525' })
        expect(zoneMix.problems[0]).toMatchObject({ problem: '坐标无法按 EPSG:4525 换算到经纬度，坐标系可能与数据不符', fix: expect.stringContaining('带号') })
      })
    })

    it('a table row with no centroid is refused: nobody could find the patch on the ground', async () => {
      const c = await county()
      const [lon, lat] = centroidOf(patchIn(3))
      const table = csv([['监测编号', '行政区代码', '监测面积', 'LZB', 'BZB'], ['NOPOS-1-2026001', '450329202', 2, '', ''], ['POS-1-2026001', '450329202', 2, lon, lat]])
      const r = await c.run({ fileName: '表.csv', bytes: new TextEncoder().encode(table) })
      expect(r).toMatchObject({ status: 'rows-rejected', counts: { imported: 1, rejected: 1 } })
      expect(r.problems).toEqual([expect.objectContaining({ number: 'NOPOS-1-2026001', problem: '缺少图形和中心点坐标，无法确定图斑位置' })])
    })

    it('a GBK CSV and an XLSX attribute table with centroids', async () => {
      const c = await county()
      const [lon, lat] = centroidOf(patchIn(3))
      const table = csv([['监测编号', '行政区代码', '行政区名称', '监测面积', '耕地面积', 'LZB', 'BZB', '图斑类型'], ['CSV-1-2026001', '450329202', '瓜里乡', 12.5, 3, lon, lat, '新增非农建设类'], ['CSV-2-2026001', '', '瓜里', 2, 0, lon + 0.001, lat, '农村道路']])
      const r = await c.run({ fileName: '表.csv', bytes: encodeGbk(table) })
      expect(r).toMatchObject({ status: 'ok', format: 'csv', encoding: 'gbk', counts: { imported: 2 } })
      expect(r.units.declaredArea).toEqual({ unit: 'mu', how: 'default' })
      const [c1, c2] = await c.patches()
      expect(c1).toMatchObject({ number: 'CSV-1-2026001', area_mu: 12.5, declared_area_mu: 12.5, farmland_mu: 3, geometry: null, centroid_lon: lon, centroid_lat: lat, township_id: await c.townshipId('瓜里乡') })
      expect(c2.township_id).toBe(await c.townshipId('瓜里乡'))

      const wb = new ExcelJS.Workbook()
      const ws = wb.addWorksheet('图斑')
      ws.addRow(['图斑编号', '乡镇', '监测面积（亩）', '中心点经度', '中心点纬度', '下发时间'])
      ws.addRow(['XLSX-1-2026001', '梅溪镇', 7.25, ...centroidOf(patchIn(2)), new Date(Date.UTC(2026, 6, 16))])
      // X/Y in surveying order (northing first)
      ws.addRow(['XLSX-2-2026001', '', 3, centroidOf(patchIn(1))[1], centroidOf(patchIn(1))[0], '2026/7/16'])
      const x = await c.run({ fileName: '表.xlsx', bytes: new Uint8Array(await wb.xlsx.writeBuffer()) })
      expect(x).toMatchObject({ status: 'ok', format: 'xlsx', counts: { imported: 2 }, units: { declaredArea: { unit: 'mu', how: 'column-name' } } })
      const rows = await c.patches()
      expect(rows.find((p) => p.number === 'XLSX-1-2026001')).toMatchObject({ area_mu: 7.25, issued_on: '2026-07-16', township_id: await c.townshipId('梅溪镇') })
      expect(rows.find((p) => p.number === 'XLSX-2-2026001')).toMatchObject({ township_id: await c.townshipId('中峰镇'), centroid_lon: centroidOf(patchIn(1))[0] })
      expect(x.notes).toContainEqual({ row: 3, number: 'XLSX-2-2026001', note: '按中心点位置确定乡镇：中峰镇' })
    })

    it('bad rows get a per-row report; valid rows go in; fixing our side and importing again takes the rest', async () => {
      const c = await county(['450329100', '450329101', '450329102', '450329202', '450329203', '450329204'])
      const bowtie: Polygon = { type: 'Polygon', coordinates: [[[110.51, 25.96], [110.511, 25.961], [110.511, 25.96], [110.51, 25.961], [110.51, 25.96]]] }
      const bytes = featureCollection([
        { geometry: patchIn(0), properties: { JCBH: 'OK-1-2026001', XZQDM: '450329100' } },
        { geometry: bowtie, properties: { JCBH: 'BAD-KINK-2026001', XZQDM: '450329100' } },
        { geometry: patchIn(0, 1), properties: { JCBH: null, XZQDM: '450329100' } },
        { geometry: patchIn(0, 2), properties: { JCBH: 'DUP-2026001', XZQDM: '450329100' } },
        { geometry: patchIn(0, 3), properties: { JCBH: 'DUP-2026001', XZQDM: '450329100' } },
        { geometry: patchIn(6), properties: { JCBH: 'NEW-TOWN-2026001', XZQDM: '450329205', XZQMC: '河口瑶族乡' } },
        { geometry: square(2.35, 48.85, 0.001), properties: { JCBH: 'PARIS-2026001', XZQDM: '450329100' } },
        { geometry: { type: 'Polygon', coordinates: [[[460000, 2877000], [460100, 2877000], [460100, 2877100], [460000, 2877000]]] }, properties: { JCBH: 'METRES-2026001', XZQDM: '450329100' } },
        { geometry: patchIn(1), properties: { JCBH: 'OK-2-2026001', XZQMC: '中峰' } },
      ])
      const r = await c.run({ fileName: 'bad.geojson', bytes })
      expect(r.status).toBe('rows-rejected')
      expect(r.counts).toEqual({ rows: 9, imported: 2, skipped: 0, rejected: 7 })
      const byRow = Object.fromEntries(r.problems.map((p) => [p.row, p]))
      expect(byRow[2]).toMatchObject({ number: 'BAD-KINK-2026001', problem: '边界自相交', fix: expect.stringContaining('修复几何') })
      expect(byRow[3]).toMatchObject({ problem: '缺少图斑编号', fix: '在“JCBH”列填写该图斑的编号' })
      expect(byRow[3].number).toBeUndefined()
      expect(byRow[4]).toMatchObject({ number: 'DUP-2026001', problem: '图斑编号在文件中重复（第 4、5 个要素）' })
      expect(byRow[5]).toMatchObject({ number: 'DUP-2026001' })
      expect(byRow[6]).toMatchObject({ number: 'NEW-TOWN-2026001', problem: '找不到乡镇（代码 450329205、名称“河口瑶族乡”）', fix: expect.stringContaining('先在系统中添加该乡镇') })
      expect(byRow[7]).toMatchObject({ number: 'PARIS-2026001', problem: '坐标超出中国范围，可能坐标系错误' })
      expect(byRow[8]).toMatchObject({ number: 'METRES-2026001', problem: expect.stringContaining('投影坐标') })
      expect(r.problems.every((p) => p.fix.length > 0)).toBe(true)
      expect((await c.patches()).map((p) => p.number)).toEqual(['OK-1-2026001', 'OK-2-2026001'])
      const text = formatReport(r)
      expect(text).toContain('未导入的图斑（7）')
      expect(text).toContain('第 2 个要素（BAD-KINK-2026001）：边界自相交')

      const same = await c.run({ fileName: 'bad.geojson', bytes })
      expect(same).toMatchObject({ status: 'rows-rejected', counts: { imported: 0, skipped: 2, rejected: 7 } })
      expect(same.alreadyImported).not.toBeNull()
      expect(await c.patches()).toHaveLength(2)

      const [lon, lat] = townshipOrigin(6)
      await db.insertInto('townships').values({ tenant_id: c.id, code: '450329205', name: '河口瑶族乡', boundary: json(square(lon, lat, 0.05)) }).execute()
      const fixed = await c.run({ fileName: 'bad.geojson', bytes })
      expect(fixed).toMatchObject({ counts: { imported: 1, skipped: 2, rejected: 6 }, batch: { created: false } })
      const batch = await db.selectFrom('batches').selectAll().where('tenant_id', '=', c.id).executeTakeFirstOrThrow()
      expect(batch.counts).toEqual({ rows: 9, imported: 3, rejected: 6 })
    })

    it('a number already imported from another file: same content skipped, different content rejected', async () => {
      const c = await county()
      const first = featureCollection([{ geometry: patchIn(0), properties: { JCBH: 'X-1-2026001', XZQDM: '450329100' } }, { geometry: patchIn(0, 1), properties: { JCBH: 'X-2-2026001', XZQDM: '450329100' } }])
      await c.run({ fileName: 'first.geojson', bytes: first })
      const second = featureCollection([
        { geometry: patchIn(0), properties: { JCBH: 'X-1-2026001', XZQDM: '450329100' } },
        { geometry: patchIn(0, 2), properties: { JCBH: 'X-2-2026001', XZQDM: '450329100' } },
        { geometry: patchIn(0, 3), properties: { JCBH: 'X-3-2026001', XZQDM: '450329100' } },
      ])
      const r = await c.run({ fileName: 'second.geojson', bytes: second })
      expect(r.counts).toEqual({ rows: 3, imported: 1, skipped: 1, rejected: 1 })
      expect(r.problems).toEqual([{ row: 2, number: 'X-2-2026001', problem: '图斑编号已存在（批次“first”，文件 first.geojson），且内容不同', fix: expect.any(String) }])
      expect(r.notes).toContainEqual({ row: 1, number: 'X-1-2026001', note: '已在批次“first”中导入，内容相同，跳过' })
      expect((await c.patches()).find((p) => p.number === 'X-2-2026001')?.geometry).toEqual(patchIn(0, 1))
    })

    it('protection layers of the county give the overlaps instead of the declared values', async () => {
      const c = await county()
      const patch = patchIn(0)
      const [[x0, y0]] = patch.coordinates[0]
      const half = square(x0, y0 - 0.01, 0.0005) // covers the patch's left half in longitude … and more in latitude
      const farmland: Polygon = { type: 'Polygon', coordinates: [[[x0, y0 - 0.01], [x0 + 0.0005, y0 - 0.01], [x0 + 0.0005, y0 + 0.01], [x0, y0 + 0.01], [x0, y0 - 0.01]]] }
      void half
      await db.insertInto('protection_areas').values([
        { tenant_id: c.id, layer: 'farmland', geometry: json(farmland), min_lon: x0, min_lat: y0 - 0.01, max_lon: x0 + 0.0005, max_lat: y0 + 0.01, attributes: json({}) },
        { tenant_id: c.id, layer: 'red_line', geometry: json(square(111.5, 27, 0.01)), min_lon: 111.5, min_lat: 27, max_lon: 111.51, max_lat: 27.01, attributes: json({}) },
      ]).execute()
      const r = await c.run({ fileName: 'p.geojson', bytes: featureCollection([{ geometry: patch, properties: { JCBH: 'P-1-2026001', XZQDM: '450329100', GDMJ: 99, JBNTMJ: 99 } }]) })
      expect(r.overlay).toBe('protection-layers')
      const [p] = await c.patches()
      expect(p.farmland_mu).toBeCloseTo(areaMu(patch) / 2, 1)
      expect(p.basic_farmland_mu).toBe(0)
      expect(p.red_line_mu).toBe(0)
    })

    it('unreadable files: broken zip, truncated .shp, unknown CRS option — no batch row', async () => {
      const c = await county()
      const s = writeShapefile({ encode: encodeGbk, fields: [{ name: 'JCBH', type: 'C', length: 20 }], records: [{ geometry: patchIn(0), values: { JCBH: 'T-1-2026001' } }, { geometry: patchIn(0, 1), values: { JCBH: 'T-2-2026001' } }] })
      const broken = await c.run({ fileName: 'broken.zip', bytes: zipFiles({ 'a.shp': s.shp, 'a.dbf': s.dbf }).slice(0, 50) })
      expect(broken).toMatchObject({ status: 'unreadable', error: { code: 'zip-broken', message: '压缩包已损坏，无法解压' } })
      const truncated = await c.run({ fileName: 'cut.zip', bytes: zipFiles({ 'a.shp': s.shp.slice(0, s.shp.length - 40), 'a.dbf': s.dbf, 'a.prj': PRJ.cgcs2000 }) })
      expect(truncated).toMatchObject({ status: 'unreadable', error: { code: 'shapefile-broken', message: expect.stringContaining('截断') } })
      const crs = await c.run({ fileName: 'x.zip', bytes: zipFiles({ 'a.shp': s.shp, 'a.dbf': s.dbf }), crs: 'EPSG:123456' })
      expect(crs).toMatchObject({ status: 'unreadable', error: { code: 'crs-unknown' } })
      expect(formatReport(broken)).toContain('处理办法')
      expect(await db.selectFrom('batches').select('id').where('tenant_id', '=', c.id).execute()).toEqual([])
      await expect(importBatch(db, { tenantCode: '999999', fileName: 'x', bytes: new Uint8Array([1]), now: NOW })).rejects.toMatchObject({ code: 'tenant-unknown' })
    })

    it('appendEvent chains hashes and serialises concurrent appends to one patch', async () => {
      const c = await county()
      await c.run({ fileName: 'e.geojson', bytes: featureCollection([{ geometry: patchIn(0), properties: { JCBH: 'E-1-2026001', XZQDM: '450329100' } }]) })
      const [p] = await c.patches()
      await Promise.all(Array.from({ length: 10 }, (_, i) =>
        db.transaction().execute((trx) => appendEvent(trx, { patchId: p.id, type: 'note', at: new Date(NOW.getTime() + i), actor: 'test', data: { i, nested: { b: 1, a: [2, 3] } } })),
      ))
      const events = await db.selectFrom('patch_events').selectAll().where('patch_id', '=', p.id).orderBy('seq').execute()
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
      for (let i = 1; i < events.length; i++) {
        expect(events[i].prev_hash).toBe(events[i - 1].hash)
        expect(events[i].hash).toBe(storedEventHash(events[i], 'E-1-2026001'))
      }
    })
  })
}
