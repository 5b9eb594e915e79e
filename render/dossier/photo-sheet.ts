// The sheet beside a 卷宗's photos: each photo as received (its file name, sha256) with what its EXIF
// says (exifr: time, GPS, camera) and what the system made of it (distance to the patch, flags).
import ExcelJS from 'exceljs'
import exifr from 'exifr'
import type { Evidence } from '../../db/schema.js'
import { chinaTime } from './situation-docx.js'

export interface PhotoSheetRow {
  file: string
  sha256: string
  receivedAt: string
  from: string
  takenAt: string
  lon: number | null
  lat: number | null
  camera: string
  size: string
  distanceM: number | null
  flags: string
}

/** The EXIF facts of one photo; a photo without EXIF gives empty cells, never an error. */
export async function photoFacts(e: Evidence & { personName: string | null }, file: string): Promise<PhotoSheetRow> {
  let tags: Record<string, unknown> | undefined
  try {
    tags = e.bytes ? ((await exifr.parse(Buffer.from(e.bytes), { gps: true, reviveValues: false, ifd0: {}, exif: {} } as never)) as Record<string, unknown> | undefined) : undefined
  } catch {
    tags = undefined
  }
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
  const w = num(tags?.ExifImageWidth ?? tags?.ImageWidth)
  const h = num(tags?.ExifImageHeight ?? tags?.ImageHeight)
  return {
    file,
    sha256: e.sha256,
    receivedAt: chinaTime(new Date(e.created_at)),
    from: e.personName ?? '未登记人员',
    takenAt: str(tags?.DateTimeOriginal ?? tags?.CreateDate),
    lon: num(tags?.longitude),
    lat: num(tags?.latitude),
    camera: [str(tags?.Make), str(tags?.Model)].filter(Boolean).join(' '),
    size: w && h ? `${w}×${h}` : '',
    distanceM: e.distance_m === null ? null : Math.round(e.distance_m),
    flags: e.flags.join('；'), // core's reasons, in Chinese already
  }
}

const COLUMNS: Array<[keyof PhotoSheetRow, string, number]> = [
  ['file', '文件', 22], ['sha256', 'SHA-256', 30], ['receivedAt', '收到时间', 18], ['from', '发送人', 16],
  ['takenAt', 'EXIF拍摄时间', 20], ['lon', 'EXIF经度', 12], ['lat', 'EXIF纬度', 12], ['camera', '相机/手机', 18],
  ['size', '像素', 12], ['distanceM', '距图斑（米）', 12], ['flags', '存疑原因', 18],
]

export async function photoSheetXlsx(facts: PhotoSheetRow[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook()
  wb.creator = '卫片执法助手'
  const ws = wb.addWorksheet('照片信息')
  ws.columns = COLUMNS.map(([key, header, width]) => ({ key, header, width }))
  ws.getRow(1).font = { bold: true }
  for (const f of facts) ws.addRow(f)
  return new Uint8Array(await wb.xlsx.writeBuffer())
}
