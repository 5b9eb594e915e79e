import type { FieldAliases } from './fields.js'
import { readGeojson } from './read-geojson.js'
import { readZippedShapefile } from './read-shapefile.js'
import { readCsv, readXlsx } from './read-table.js'
import { ImportError, type ReadResult } from './types.js'

/** Bytes of an issued batch → rows, by content first (names lie), then by extension. */
export async function readBatchFile(fileName: string, bytes: Uint8Array, aliases: FieldAliases = {}): Promise<ReadResult> {
  if (bytes.length === 0) throw new ImportError('file-unreadable', '文件是空的', '重新下载或重新导出该文件')
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? ''
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw new ImportError('file-format-unknown', '旧版 Excel（.xls）格式不支持', '在 Excel 中另存为 .xlsx 后再导入')
  }
  if (ext === 'xlsx' || (isZip && looksLikeXlsx(bytes))) return readXlsx(bytes, aliases)
  if (isZip || ext === 'zip') return readZippedShapefile(bytes)
  if (ext === 'shp' || ext === 'dbf') {
    throw new ImportError('file-format-unknown', '只收到了单个 .shp/.dbf 文件', '把 .shp、.dbf、.prj、.cpg 一起压缩成 .zip 再导入')
  }
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 64)).replace(/^\uFEFF/, '').trimStart()
  if (ext === 'geojson' || ext === 'json' || head.startsWith('{')) return readGeojson(bytes)
  if (ext === 'csv' || ext === 'txt' || ext === '') return readCsv(bytes, aliases)
  throw new ImportError('file-format-unknown', `不支持的文件类型：.${ext}`, '支持 GeoJSON、压缩的 Shapefile（.zip）、CSV 和 Excel（.xlsx）')
}

// An .xlsx is a zip whose first entries include [Content_Types].xml / xl/
function looksLikeXlsx(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 4096)))
  return head.includes('[Content_Types].xml') || head.includes('xl/')
}
