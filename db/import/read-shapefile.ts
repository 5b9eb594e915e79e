import type { Geometry } from 'geojson'
import { unzipSync } from 'fflate'
import * as shapefile from 'shapefile'
import { crsFromPrj } from './crs.js'
import { decodeText, encodingFromCpg } from './decode-text.js'
import { ImportError, type RawRow, type ReadResult } from './types.js'

/** Zip entry names without the UTF-8 flag come out as Latin-1; on Chinese Windows they are GBK. */
function entryName(name: string): string {
  if (!/[\u0080-\u00ff]/.test(name) || /[^\u0000-\u00ff]/.test(name)) return name
  const bytes = Uint8Array.from(name, (c) => c.charCodeAt(0))
  return new TextDecoder('gbk').decode(bytes)
}

function unzip(bytes: Uint8Array): Map<string, Uint8Array> {
  let entries: Record<string, Uint8Array>
  try {
    entries = unzipSync(bytes)
  } catch (e) {
    throw new ImportError('zip-broken', '压缩包已损坏，无法解压', '重新压缩或重新下载该文件（确认是 .zip 格式且下载完整）', { cause: e })
  }
  const files = new Map<string, Uint8Array>()
  for (const [name, data] of Object.entries(entries)) {
    if (name.endsWith('/') || name.startsWith('__MACOSX/') || /(^|\/)\._/.test(name)) continue
    files.set(entryName(name), data)
  }
  return files
}

/** A zipped shapefile: .shp + .dbf (+ .prj, .cpg), possibly inside a sub-folder. */
export async function readZippedShapefile(bytes: Uint8Array): Promise<ReadResult> {
  const files = unzip(bytes)
  const shps = [...files.keys()].filter((n) => /\.shp$/i.test(n))
  if (shps.length === 0) {
    throw new ImportError('shapefile-incomplete', '压缩包中没有 .shp 文件', '把图斑图层的 .shp、.dbf、.prj、.cpg 一起压缩后再导入')
  }
  if (shps.length > 1) {
    throw new ImportError('shapefile-incomplete', `压缩包中有多个 shapefile：${shps.join('、')}`, '每次只导入一个图斑图层：压缩包里只保留该图层的 .shp/.dbf/.prj/.cpg')
  }
  const base = shps[0].slice(0, -4)
  const sibling = (ext: string) => {
    for (const [name, data] of files) if (name.slice(0, -ext.length).toLowerCase() === base.toLowerCase() && name.toLowerCase().endsWith(ext)) return data
    return undefined
  }
  const shp = files.get(shps[0])!
  const dbf = sibling('.dbf')
  if (!dbf) throw new ImportError('shapefile-incomplete', `缺少属性表 ${base}.dbf`, '把同名的 .dbf 一起压缩进压缩包')
  const prj = sibling('.prj')
  const cpg = sibling('.cpg')

  const notes: string[] = []
  let encoding = 'gbk'
  if (cpg) {
    const declared = decodeText(cpg, 'utf-8').text
    const enc = encodingFromCpg(declared)
    if (enc) encoding = enc
    else notes.push(`.cpg 中的编码“${declared.trim()}”无法识别，按 GBK 读取`)
  } else {
    notes.push('没有 .cpg 文件，属性按 GBK 读取')
  }
  const crs = prj ? crsFromPrj(decodeText(prj).text) : null
  if (prj && !crs) notes.push('.prj 中的坐标系无法识别')

  checkShpLength(shp)
  const expected = dbf.length >= 8 ? new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength).getUint32(4, true) : 0

  const rows: RawRow[] = []
  try {
    // copies: the readers keep views into the buffer they get
    const source = await shapefile.open(shp.slice(), dbf.slice(), { encoding })
    for (;;) {
      const r = await source.read()
      if (r.done) break
      const g = r.value.geometry as Geometry | null
      const properties = normaliseValues(r.value.properties ?? {})
      const row = rows.length + 1
      if (g === null) rows.push({ row, properties, geometry: null, problem: { problem: '该要素没有几何（空图形）', fix: '在 GIS 软件中补绘该图斑的边界' } })
      else if (g.type === 'Polygon' || g.type === 'MultiPolygon') rows.push({ row, properties, geometry: g })
      else if (g.type === 'Point') rows.push({ row, properties, geometry: null, centroid: [g.coordinates[0], g.coordinates[1]] })
      else rows.push({ row, properties, geometry: null, problem: { problem: `几何类型为 ${g.type}，不是面`, fix: '图斑应为面图层，请导出面要素' } })
    }
  } catch (e) {
    if (e instanceof ImportError) throw e
    throw new ImportError('shapefile-broken', `shapefile 无法读取：${(e as Error).message}`, '用 GIS 软件打开检查后重新导出，或重新下载该文件', { cause: e })
  }
  if (rows.length !== expected) {
    throw new ImportError('shapefile-broken', `.shp 中有 ${rows.length} 个图形，.dbf 中有 ${expected} 条记录，二者不一致（文件可能被截断）`, '重新导出或重新下载完整的 shapefile（.shp 与 .dbf 必须来自同一次导出）')
  }
  return { format: 'shapefile', rows, crs, encoding, notes }
}

// The header states the file length; a copy cut short is caught here rather than half-read.
function checkShpLength(shp: Uint8Array): void {
  if (shp.length < 100) {
    throw new ImportError('shapefile-broken', '.shp 文件不完整（不足 100 字节的文件头）', '重新导出或重新下载完整的 shapefile')
  }
  const view = new DataView(shp.buffer, shp.byteOffset, shp.byteLength)
  if (view.getInt32(0, false) !== 9994) {
    throw new ImportError('shapefile-broken', '.shp 文件头无效，不是 shapefile', '确认压缩包中的 .shp 是 ESRI Shapefile')
  }
  const declared = view.getInt32(24, false) * 2
  if (declared > shp.length) {
    throw new ImportError('shapefile-broken', `.shp 文件被截断：文件头声明 ${declared} 字节，实际只有 ${shp.length} 字节`, '重新导出或重新下载完整的 shapefile')
  }
}

// DBF dates come back as local-midnight Dates; keep calendar dates as 'YYYY-MM-DD' strings.
function normaliseValues(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(props)) {
    if (v instanceof Date) {
      out[k] = Number.isNaN(v.getTime()) ? null : `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`
    } else out[k] = v
  }
  return out
}
