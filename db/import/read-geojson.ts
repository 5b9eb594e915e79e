import { normaliseCrsCode } from './crs.js'
import { decodeText } from './decode-text.js'
import { ImportError, type RawRow, type ReadResult } from './types.js'

/** A GeoJSON FeatureCollection (a bare Feature is accepted too). */
export function readGeojson(bytes: Uint8Array): ReadResult {
  const { text, encoding } = decodeText(bytes)
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (e) {
    throw new ImportError('geojson-broken', 'GeoJSON 文件不是有效的 JSON', '用 GIS 软件重新导出 GeoJSON，或检查文件是否下载完整', { cause: e })
  }
  const obj = doc as { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } }
  const features = obj?.type === 'FeatureCollection' && Array.isArray(obj.features) ? obj.features : obj?.type === 'Feature' ? [obj] : null
  if (!features) {
    throw new ImportError('geojson-broken', 'GeoJSON 不是 FeatureCollection', '导出为包含图斑要素的 FeatureCollection')
  }
  const notes: string[] = []
  let crs: ReadResult['crs'] = null
  const crsName = obj.crs?.properties?.name
  if (typeof crsName === 'string') {
    // old-style "urn:ogc:def:crs:EPSG::4525"; CRS84 means lon/lat
    const m = /EPSG:{1,2}(\d+)/i.exec(crsName)
    const code = m ? normaliseCrsCode(m[1]) : /CRS84/i.test(crsName) ? 'EPSG:4326' : null
    if (code) crs = { code, label: `GeoJSON 声明的 ${code}` }
    else notes.push(`GeoJSON 声明了无法识别的坐标系：${crsName}`)
  }
  const rows: RawRow[] = features.map((f: any, i: number): RawRow => {
    const row = i + 1
    const properties = f && typeof f.properties === 'object' && f.properties !== null ? { ...f.properties } : {}
    const g = f?.geometry
    if (g?.type === 'Polygon' || g?.type === 'MultiPolygon') {
      if (!Array.isArray(g.coordinates)) return { row, properties, geometry: null, problem: { problem: '几何坐标缺失', fix: '重新导出该要素的几何' } }
      return { row, properties, geometry: { type: g.type, coordinates: g.coordinates } }
    }
    if (g?.type === 'Point' && Array.isArray(g.coordinates)) {
      return { row, properties, geometry: null, centroid: [Number(g.coordinates[0]), Number(g.coordinates[1])] }
    }
    if (g == null) return { row, properties, geometry: null }
    return { row, properties, geometry: null, problem: { problem: `几何类型为 ${String(g.type)}，不是面`, fix: '图斑应为面（Polygon/MultiPolygon），请导出面图层' } }
  })
  return { format: 'geojson', rows, crs, encoding, notes }
}
