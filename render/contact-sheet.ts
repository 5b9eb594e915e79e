// The photos of a patch in one picture, for the reviewer: a thumbnail each, labelled with how far
// from the patch and when it was taken; a doubtful photo (flagged: too far, too old) framed red and
// marked 存疑 with why. Under the locator map, it is the review card's one picture.

import { label } from './map-font.js'

export interface SheetPhoto {
  bytes: Uint8Array
  mime: string
  /** metres from the patch polygon; null: the photo had no GPS */
  distanceM: number | null
  takenAt: Date | null
  flags: string[]
}

const COLS = 4
const CELL_W = 160
const THUMB_H = 112
const CELL_H = THUMB_H + 44
const HEAD = 30
// policy choice: at most 12 thumbnails in the picture (three rows); the rest are counted
export const MAX_SHEET_PHOTOS = 12

const pad = (n: number) => String(n).padStart(2, '0')

/** 2026-11-05 14:32 (China time), or what is missing. */
function takenText(at: Date | null): string {
  if (!at || !Number.isFinite(at.getTime())) return '无拍摄时间'
  const china = new Date(at.getTime() + 8 * 3600_000) // China time, no summer time
  return `${china.toISOString().slice(0, 10)} ${pad(china.getUTCHours())}:${pad(china.getUTCMinutes())}`
}

function distanceText(m: number | null): string {
  if (m === null) return '无定位'
  if (m < 1) return '在图斑内'
  return m >= 1000 ? `距图斑${(m / 1000).toFixed(1)}公里` : `距图斑${Math.round(m)}米`
}

const isImage = (mime: string) => mime === 'image/jpeg' || mime === 'image/png'

/** The sheet's size for n photos. */
export function contactSheetSize(n: number, width = COLS * CELL_W): { width: number; height: number } {
  const rows = Math.max(1, Math.ceil(Math.min(n, MAX_SHEET_PHOTOS) / COLS))
  return { width, height: HEAD + rows * CELL_H + 8 }
}

/** The sheet as an SVG fragment at (0, top); `total`: how many photos there are in all. */
export function contactSheetBody(photos: SheetPhoto[], top: number, width = COLS * CELL_W, total = photos.length): string {
  const shown = photos.slice(0, MAX_SHEET_PHOTOS)
  const flagged = photos.filter((p) => p.flags.length > 0).length
  const out: string[] = [`<g id="contact-sheet" data-photos="${shown.length}" transform="translate(0 ${top})">`]
  out.push(`<rect width="${width}" height="${contactSheetSize(shown.length, width).height}" fill="#fafafa"/>`)
  const head = total === 0 ? '现场照片：尚未收到' : `现场照片 ${total} 张${flagged ? `（其中存疑 ${flagged} 张，不计入举证）` : ''}${total > shown.length ? `，图中为前 ${shown.length} 张` : ''}`
  out.push(label(head, 12, 21, { size: 14, weight: 'bold' }))
  const cellW = width / COLS
  shown.forEach((p, i) => {
    const x = (i % COLS) * cellW + 6
    const y = HEAD + Math.floor(i / COLS) * CELL_H
    const w = cellW - 12
    const bad = p.flags.length > 0
    out.push(`<g data-photo="${i + 1}"${bad ? ' data-flagged="true"' : ''}>`)
    out.push(`<rect x="${x}" y="${y}" width="${w}" height="${THUMB_H}" fill="#ddd"/>`)
    if (isImage(p.mime)) {
      const href = `data:${p.mime};base64,${Buffer.from(p.bytes).toString('base64')}`
      out.push(`<image x="${x}" y="${y}" width="${w}" height="${THUMB_H}" preserveAspectRatio="xMidYMid slice" href="${href}"/>`)
    } else {
      out.push(label('无法预览', x + w / 2, y + THUMB_H / 2 + 5, { size: 12, anchor: 'middle', fill: '#666' }))
    }
    out.push(`<rect x="${x}" y="${y}" width="${w}" height="${THUMB_H}" fill="none" stroke="${bad ? '#d32f2f' : '#9e9e9e'}" stroke-width="${bad ? 4 : 1}"/>`)
    out.push(label(String(i + 1), x + 6, y + 16, { size: 12, fill: '#fff', halo: false, weight: 'bold' }))
    if (bad) {
      out.push(`<rect x="${x + w - 44}" y="${y + 4}" width="40" height="20" rx="3" fill="#d32f2f"/>`)
      out.push(label('存疑', x + w - 24, y + 19, { size: 12, anchor: 'middle', fill: '#fff' }))
    }
    out.push(label(distanceText(p.distanceM), x, y + THUMB_H + 17, { size: 12, fill: bad && p.distanceM !== null ? '#c62828' : '#333' }))
    out.push(label(takenText(p.takenAt), x, y + THUMB_H + 34, { size: 11, fill: '#555' }))
    out.push('</g>')
  })
  out.push('</g>')
  return out.join('')
}

/** The sheet alone (a patch without a geometry has no map to put it under). */
export function contactSheetSvg(photos: SheetPhoto[], total = photos.length): string {
  const { width, height } = contactSheetSize(photos.length)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${contactSheetBody(photos, 0, width, total)}</svg>`
}
