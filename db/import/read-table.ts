// Attribute tables (CSV, XLSX) with a centroid column pair and no polygon.
import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import { decodeText } from './decode-text.js'
import { mapColumns, num, type FieldAliases } from './fields.js'
import { ImportError, type RawRow, type ReadResult } from './types.js'

export function readCsv(bytes: Uint8Array, aliases: FieldAliases = {}): ReadResult {
  const { text, encoding } = decodeText(bytes)
  let records: string[][]
  try {
    records = parse(text, { skip_empty_lines: true, relax_column_count: true, trim: true, bom: true })
  } catch (e) {
    throw new ImportError('table-broken', `CSV 无法解析：${(e as Error).message}`, '用 Excel 打开检查后另存为 CSV（逗号分隔）', { cause: e })
  }
  return tableRows('csv', records, aliases, encoding)
}

export async function readXlsx(bytes: Uint8Array, aliases: FieldAliases = {}): Promise<ReadResult> {
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
  } catch (e) {
    throw new ImportError('table-broken', 'Excel 文件无法读取', '确认是 .xlsx 格式（旧的 .xls 请在 Excel 中另存为 .xlsx）', { cause: e })
  }
  // the first sheet that has rows: exports often put the table on sheet 1 and notes elsewhere
  const sheet = wb.worksheets.find((s) => s.actualRowCount > 0)
  if (!sheet) throw new ImportError('table-broken', 'Excel 文件中没有数据', '把图斑表放在第一个工作表中')
  const records: string[][] = []
  const lineOf: number[] = []
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values: string[] = []
    for (let c = 1; c <= row.cellCount; c++) values.push(cellText(row.getCell(c).value))
    if (values.some((v) => v !== '')) {
      records.push(values)
      lineOf.push(rowNumber)
    }
  })
  return tableRows('xlsx', records, aliases, undefined, lineOf)
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return ''
  if (v instanceof Date) return v.toISOString().slice(0, 10) // Excel dates are UTC midnights
  if (typeof v === 'object') {
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue)
    if ('richText' in v) return v.richText.map((t) => t.text).join('').trim()
    if ('text' in v) return String(v.text).trim()
    if ('error' in v) return ''
  }
  return String(v).trim()
}

function tableRows(format: 'csv' | 'xlsx', records: string[][], aliases: FieldAliases, encoding?: string, lineOf?: number[]): ReadResult {
  if (records.length === 0) throw new ImportError('table-broken', '表格是空的', '第一行为列名，其后每行一个图斑')
  const header = records[0].map((h, i) => (h === '' ? `列${i + 1}` : h))
  const mapping = mapColumns(header, aliases)
  const xCol = mapping.columns.centroidX
  const yCol = mapping.columns.centroidY
  const notes: string[] = []
  if (!xCol || !yCol) notes.push('表格没有中心点坐标列（LZB/BZB、X/Y、中心点经度/纬度），图斑将没有位置')
  let swapped = 0
  const rows: RawRow[] = records.slice(1).map((values, i) => {
    const properties: Record<string, unknown> = {}
    header.forEach((h, j) => {
      const v = values[j] ?? ''
      properties[h] = v === '' ? null : v
    })
    // as a person sees it in Excel: the header is line 1
    const row = lineOf ? lineOf[i + 1] : i + 2
    const x = xCol ? num(properties[xCol]) : null
    const y = yCol ? num(properties[yCol]) : null
    if (x === null || y === null) return { row, properties, geometry: null }
    const ordered = orderXY(x, y)
    if (ordered[0] !== x) swapped++
    return { row, properties, geometry: null, centroid: ordered }
  })
  if (swapped) notes.push(`${swapped} 行的中心点坐标 X/Y 为“北向/东向”顺序（测量习惯），已按经度/东坐标在前处理`)
  return { format, rows, crs: null, encoding, notes }
}

/**
 * Easting/longitude first. Chinese surveying calls the northing X; in China a longitude (73–136) is
 * always larger than a latitude (3–54), and a GK easting with zone (≥25,000,000) larger than any northing.
 */
export function orderXY(x: number, y: number): [number, number] {
  const geographic = Math.abs(x) <= 180 && Math.abs(y) <= 180
  if (geographic) return x < y && y > 60 ? [y, x] : [x, y]
  if (y >= 25_000_000 && x < 10_000_000) return [y, x]
  if (x > 1_000_000 && x < 10_000_000 && y < 1_000_000) return [y, x]
  return [x, y]
}
