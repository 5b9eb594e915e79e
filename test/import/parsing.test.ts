import { describe, expect, it } from 'vitest'
import { crsFromPrj, guessFromCoordinate, normaliseCrsCode, reprojector } from '../../db/import/crs.js'
import { detectTextEncoding, encodingFromCpg } from '../../db/import/decode-text.js'
import { aliasesFromPolicy, dateString, mapColumns, normaliseColumn, unitInName } from '../../db/import/fields.js'
import { readBatchFile } from '../../db/import/read-file.js'
import { orderXY } from '../../db/import/read-table.js'
import { TownshipMatcher, townshipCodeOf, townshipStem } from '../../db/import/townships.js'
import { ImportError } from '../../db/import/types.js'
import { encodeGbk } from '../support/gbk.js'
import { PRJ, writeShapefile, zipFiles } from '../support/shapefile-writer.js'
import { patchIn, square, townshipOrigin, CELL, TOWNSHIPS } from '../support/zi-yuan.js'

describe('crs', () => {
  it('reads CGCS2000 geographic and GK zone/CM names from a .prj', () => {
    expect(crsFromPrj(PRJ.cgcs2000)?.code).toBe('EPSG:4490')
    expect(crsFromPrj(PRJ.gkZone37)?.code).toBe('EPSG:4525')
    expect(crsFromPrj(PRJ.gkCm111)?.code).toBe('EPSG:4546')
    // unnamed: central meridian + false easting decide
    expect(crsFromPrj(PRJ.gkZone37.replace('CGCS2000_3_Degree_GK_Zone_37', 'custom'))?.code).toBe('EPSG:4525')
    expect(crsFromPrj(PRJ.gkCm111.replace('CGCS2000_3_Degree_GK_CM_111E', 'custom'))?.code).toBe('EPSG:4546')
    expect(crsFromPrj('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]')?.code).toBe('EPSG:4326')
  })

  it('zone 37 with and without the zone number in the easting land on the same lon/lat', () => {
    const a = reprojector('EPSG:4525')([37460000, 2877000])
    const b = reprojector('EPSG:4546')([460000, 2877000])
    expect(a[0]).toBeCloseTo(b[0], 9)
    expect(a[0]).toBeCloseTo(110.6, 1)
    expect(a[1]).toBeCloseTo(26.0, 1)
    // every registered zone: lon_0 = zone × 3
    for (let zone = 25; zone <= 45; zone++) {
      const [lon] = reprojector(`EPSG:${4513 + zone - 25}`)([zone * 1e6 + 500000, 3e6])
      expect(lon).toBeCloseTo(zone * 3, 6)
    }
  })

  it('guesses from coordinate magnitudes', () => {
    expect(guessFromCoordinate([110.6, 26])).toEqual({ kind: 'geographic' })
    expect(guessFromCoordinate([37460000.5, 2877000])).toEqual({ kind: 'gk-zone', zone: 37, code: 'EPSG:4525' })
    expect(guessFromCoordinate([460000, 2877000])).toEqual({ kind: 'projected-unknown' })
    expect(normaliseCrsCode('epsg:4546')).toBe('EPSG:4546')
    expect(normaliseCrsCode('EPSG:99999')).toBeNull()
  })
})

describe('fields', () => {
  it('maps pinyin and Chinese column names, with units from the name', () => {
    const m = mapColumns(['JCBH', 'XZQDM', 'XZQMC', '监测面积(平方米)', 'JCGDMJ', '永久基本农田面积（亩）', 'TBLX', 'QSX', 'HSX', '备注'])
    expect(m.columns).toMatchObject({ number: 'JCBH', townshipCode: 'XZQDM', townshipName: 'XZQMC', declaredArea: '监测面积(平方米)', farmland: 'JCGDMJ', basicFarmland: '永久基本农田面积（亩）', category: 'TBLX', imageBefore: 'QSX', imageAfter: 'HSX' })
    expect(m.units).toEqual({ declaredArea: 'm2', basicFarmland: 'mu' })
    expect(m.unmapped).toEqual(['备注'])
    expect(normaliseColumn('jcmj_m2')).toBe('JCMJ')
    expect(unitInName('JCMJ_M2')).toBe('m2')
    expect(unitInName('面积(公顷)')).toBe('ha')
  })

  it('a tenant alias wins over the built-in table', () => {
    const aliases = aliasesFromPolicy({ fieldAliases: { number: ['县编号'], bogus: ['x'], townshipName: '所属乡镇' } })
    expect(aliases).toEqual({ number: ['县编号'], townshipName: ['所属乡镇'] })
    expect(mapColumns(['县编号', '编号', '所属乡镇'], aliases).columns).toMatchObject({ number: '县编号', townshipName: '所属乡镇' })
  })

  it('dates in the usual spellings', () => {
    for (const s of ['2026-07-15', '2026/7/15', '2026.07.15', '20260715', '2026年7月15日']) expect(dateString(s)).toBe('2026-07-15')
    expect(dateString('七月')).toBeNull()
  })

  it('X/Y in surveying order are swapped to easting first', () => {
    expect(orderXY(26.01, 110.61)).toEqual([110.61, 26.01])
    expect(orderXY(110.61, 26.01)).toEqual([110.61, 26.01])
    expect(orderXY(2877000, 37460000)).toEqual([37460000, 2877000])
  })
})

describe('text encodings', () => {
  it('.cpg names and detection', () => {
    expect(encodingFromCpg('GBK')).toBe('gbk')
    expect(encodingFromCpg('936\r\n')).toBe('gbk')
    expect(encodingFromCpg('65001')).toBe('utf-8')
    expect(encodingFromCpg('UTF-8')).toBe('utf-8')
    expect(detectTextEncoding(encodeGbk('图斑编号,乡镇'))).toBe('gbk')
    expect(detectTextEncoding(new TextEncoder().encode('图斑编号,乡镇'))).toBe('utf-8')
    expect(new TextDecoder('gbk').decode(encodeGbk('车田苗族乡'))).toBe('车田苗族乡')
  })
})

describe('townships', () => {
  const refs = TOWNSHIPS.map(([code, name], i) => ({ id: i + 1, code, name, boundary: square(...townshipOrigin(i), CELL) }))
  const m = new TownshipMatcher(refs)
  it('by code (9 or 12 digits), then name with or without suffix, then boundary', () => {
    expect(townshipCodeOf('450329203000')).toBe('450329203')
    expect(townshipStem('车田苗族乡')).toBe('车田')
    expect(m.match({ code: '450329101', name: null, geometry: null, centroid: null })?.township.name).toBe('中峰镇')
    expect(m.match({ code: '450329999', name: '车田', geometry: null, centroid: null })).toMatchObject({ township: { name: '车田苗族乡' }, by: 'name' })
    expect(m.match({ code: null, name: '资源县两水乡', geometry: null, centroid: null })?.township.name).toBe('两水苗族乡')
    expect(m.match({ code: null, name: '广西壮族自治区桂林市资源县两水乡', geometry: null, centroid: null })?.township.name).toBe('两水苗族乡')
    expect(m.match({ code: null, name: '资源县梅溪镇', geometry: null, centroid: null })?.township.name).toBe('梅溪镇')
    expect(m.match({ code: null, name: null, geometry: patchIn(3), centroid: null })).toMatchObject({ township: { name: '瓜里乡' }, by: 'boundary' })
    expect(m.match({ code: null, name: '不存在乡', geometry: null, centroid: [100, 30] })).toBeNull()
  })
})

describe('readers', () => {
  it('a GBK shapefile in a sub-folder without .cpg reads with Chinese names and values', async () => {
    const { shp, dbf } = writeShapefile({
      encode: encodeGbk,
      fields: [{ name: '图斑编号', type: 'C', length: 20 }, { name: '乡镇', type: 'C', length: 20 }, { name: 'JCMJ', type: 'N', length: 12, decimals: 2 }],
      records: [{ geometry: patchIn(0), values: { 图斑编号: 'A1', 乡镇: '资源镇', JCMJ: 16.6 } }],
    })
    const zip = zipFiles({ '七月一批/图斑.shp': shp, '七月一批/图斑.dbf': dbf, '七月一批/图斑.prj': PRJ.cgcs2000 })
    const r = await readBatchFile('批次.zip', zip)
    expect(r.format).toBe('shapefile')
    expect(r.encoding).toBe('gbk')
    expect(r.crs?.code).toBe('EPSG:4490')
    expect(r.rows[0].properties).toEqual({ 图斑编号: 'A1', 乡镇: '资源镇', JCMJ: 16.6 })
    expect(r.rows[0].geometry?.type).toBe('Polygon')
    expect(r.notes.join()).toContain('没有 .cpg')
  })

  it('broken and truncated files fail with a code', async () => {
    const { shp, dbf } = writeShapefile({ encode: encodeGbk, fields: [{ name: 'JCBH', type: 'C', length: 10 }], records: [{ geometry: patchIn(0), values: { JCBH: 'A' } }, { geometry: patchIn(0, 1), values: { JCBH: 'B' } }] })
    const fail = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof ImportError ? e.code : e))
    expect(await fail(readBatchFile('x.zip', zipFiles({ 'a.shp': shp, 'a.dbf': dbf }).slice(0, 60)))).toBe('zip-broken')
    expect(await fail(readBatchFile('x.zip', zipFiles({ 'a.shp': shp.slice(0, shp.length - 30), 'a.dbf': dbf })))).toBe('shapefile-broken')
    expect(await fail(readBatchFile('x.zip', zipFiles({ 'a.shp': shp })))).toBe('shapefile-incomplete')
    expect(await fail(readBatchFile('x.geojson', new TextEncoder().encode('{"type":')))).toBe('geojson-broken')
  })
})
