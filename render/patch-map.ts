import { Resvg } from '@resvg/resvg-js'
import { centroidOf } from '../core/geometry.js'
import { bboxesMeet, coordinateText, extent, frameAround, hatchData, hatchRings, pathData, rings, scaleBar, type Frame, type Geom } from './map-frame.js'
import { contactSheetBody, contactSheetSize, type SheetPhoto } from './contact-sheet.js'
import { fontStatus, label, labelWidth } from './map-font.js'

export type { Geom } from './map-frame.js'
export type ProtectionLayerKind = 'farmland' | 'basic_farmland' | 'red_line'

/** A basemap tile already placed in the frame (render/basemap.ts fetches them). */
export interface PlacedTile {
  left: number
  top: number
  size: number
  bytes: Uint8Array
  mime: string
}

/** Everything a locator map shows; only the patch's geometry is required. */
export interface PatchMapInput {
  patch: { number?: string; geometry: Geom; areaMu?: number }
  township?: { name?: string | null; boundary: Geom | null } | null
  /** protection-layer polygons in and around the frame (db: protection_areas) */
  layers?: Array<{ kind: ProtectionLayerKind; geometry: Geom }>
  /** the patch's own overlay areas (亩), as imported: the legend's figures */
  areas?: Partial<Record<ProtectionLayerKind, number>>
  neighbours?: Array<{ number: string; geometry: Geom }>
  /** the nearest named place, when the data has one (e.g. "坐落：白竹村") */
  place?: string | null
  basemap?: { tiles: PlacedTile[]; attribution: string } | null
  width?: number
  height?: number
}

const WIDTH = 640
const MAP_H = 460
const STRIP_H = 100
const LAYER_STYLE: Record<ProtectionLayerKind, { name: string; colour: string; angles: number[]; spacing: number }> = {
  farmland: { name: '耕地', colour: '#c99a06', angles: [45], spacing: 9 },
  basic_farmland: { name: '永久基本农田', colour: '#2e7d32', angles: [-45], spacing: 6 },
  red_line: { name: '生态保护红线', colour: '#00838f', angles: [45, -45], spacing: 10 },
}
const KINDS = Object.keys(LAYER_STYLE) as ProtectionLayerKind[]

const mu = (n: number) => `${Math.round(n * 100) / 100}亩`

/** The frame a map of this input shows (the basemap's tiles are fetched for it). */
export function mapFrameOf(input: PatchMapInput): Frame {
  const width = input.width ?? WIDTH
  return frameAround(extent(input.patch.geometry), width, (input.height ?? MAP_H + STRIP_H) - STRIP_H)
}

/**
 * A locator map of a patch as PNG: the patch over the protection layers it touches (hatched, their
 * areas in the legend), its neighbours and the township line, over a basemap when one is configured;
 * the centroid's coordinates, the nearest named place, a scale bar and a north arrow. Rendered on the
 * server so every messenger, the dossier and the dashboard show the same picture.
 * The two-argument form (patch, township boundary) is the bare map.
 */
export function renderPatchMap(input: PatchMapInput | Geom, township?: Geom | null): Uint8Array {
  return svgToPng(patchMapSvg(input, township))
}

export function svgToPng(svg: string): Uint8Array {
  // labels are outlines (render/map-font.ts); only without the bundled font does resvg need the system's
  const font = fontStatus().ok ? { loadSystemFonts: false } : { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }
  return new Resvg(svg, { background: '#ffffff', font }).render().asPng()
}

export function patchMapSvg(given: PatchMapInput | Geom, township?: Geom | null): string {
  const input: PatchMapInput = 'type' in given ? { patch: { geometry: given }, township: township ? { boundary: township } : null } : given
  const map = patchMapBody(input)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${map.width}" height="${map.height}" viewBox="0 0 ${map.width} ${map.height}">\n${map.body}\n</svg>`
}

/** The map's elements without the <svg> around them, to place in a larger picture (the review card's). */
export function patchMapBody(input: PatchMapInput): { body: string; width: number; height: number } {
  const frame = mapFrameOf(input)
  const W = frame.width
  const H = frame.height + STRIP_H
  const inFrame = (g: Geom) => bboxesMeet(extent(g), frame.bbox)
  const out: string[] = []
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`)
  // no clip-path (resvg renders a clip as a mask: slow): the info strip is drawn over the map's overflow
  out.push(`<g id="map">`)
  out.push(`<rect width="${W}" height="${frame.height}" fill="#f4f6f1"/>`)
  if (input.basemap?.tiles.length) {
    out.push('<g id="basemap">')
    for (const t of input.basemap.tiles) {
      const href = `data:${t.mime};base64,${Buffer.from(t.bytes).toString('base64')}`
      out.push(`<image x="${t.left.toFixed(2)}" y="${t.top.toFixed(2)}" width="${t.size.toFixed(2)}" height="${t.size.toFixed(2)}" preserveAspectRatio="none" href="${href}"/>`)
    }
    out.push('</g>')
  }
  const shown = new Set<ProtectionLayerKind>()
  for (const k of KINDS) {
    const features = (input.layers ?? []).filter((l) => l.kind === k && inFrame(l.geometry))
    const d = features.map((l) => pathData(l.geometry, frame)).join('')
    if (!d) continue
    shown.add(k)
    const s = LAYER_STYLE[k]
    const hatch = features.flatMap((l) => s.angles.map((a) => hatchData(l.geometry, frame, a, s.spacing))).join('')
    out.push(`<g id="layer-${k}" data-layer="${k}" data-features="${features.length}"><path d="${d}" fill="${s.colour}" fill-opacity="0.10" fill-rule="evenodd" stroke="${s.colour}" stroke-width="1.2"/><path d="${hatch}" fill="none" stroke="${s.colour}" stroke-width="1.3"/></g>`)
  }
  const tb = input.township?.boundary
  const tbd = tb ? pathData(tb, frame) : ''
  const townshipShown = tb ? crossesView(tb, frame) : false
  if (tb) out.push(`<path id="township" d="${tbd}" fill="none" stroke="#6d4c41" stroke-width="2.2" stroke-dasharray="10 4 2 4"/>`)
  const neighbours = (input.neighbours ?? []).filter((n) => inFrame(n.geometry))
  if (neighbours.length) {
    out.push('<g id="neighbours">')
    for (const n of neighbours) out.push(`<path data-number="${esc(n.number)}" d="${pathData(n.geometry, frame)}" fill="#757575" fill-opacity="0.18" stroke="#424242" stroke-width="1.5" fill-rule="evenodd"/>`)
    for (const n of neighbours) {
      const [x, y] = frame.project(centroidOf(n.geometry))
      if (x > 20 && x < W - 20 && y > 16 && y < frame.height - 8) out.push(label(shortNumber(n.number), x, y + 4, { size: 11, anchor: 'middle', fill: '#333', halo: true }))
    }
    out.push('</g>')
  }
  const pd = pathData(input.patch.geometry, frame)
  out.push(`<path id="patch" d="${pd}" fill="#e53935" fill-opacity="0.35" stroke="#c62828" stroke-width="3" fill-rule="evenodd" stroke-linejoin="round"/>`)
  const [px0, , px1] = extent(input.patch.geometry)
  const top = Math.min(...extentScreen(input.patch.geometry, frame).map(([, y]) => y))
  const [cx] = frame.project([(px0 + px1) / 2, 0])
  if (input.patch.number) out.push(label(input.patch.number, cx, Math.max(18, top - 8), { size: 14, anchor: 'middle', fill: '#b71c1c', halo: true, weight: 'bold' }))
  out.push(northArrow(W - 34, 40))
  out.push(scaleBarSvg(frame))
  if (input.basemap?.tiles.length) out.push(label(input.basemap.attribution, W - 6, frame.height - 6, { size: 10, anchor: 'end', fill: '#555', halo: true }))
  out.push('</g>')
  out.push(`<rect y="${frame.height}" width="${W}" height="${STRIP_H}" fill="#ffffff"/>`)
  out.push(`<line x1="0" y1="${frame.height + 0.5}" x2="${W}" y2="${frame.height + 0.5}" stroke="#bbb"/>`)
  out.push(infoStrip(input, frame, shown, townshipShown, neighbours.length > 0))
  return { body: out.join('\n'), width: W, height: H }
}

/** Some vertex of the line inside the view (a township's line far off shows nothing). */
function crossesView(g: Geom, frame: Frame): boolean {
  return rings(g).some((ring) => ring.some((p) => {
    const [x, y] = frame.project(p)
    return x >= 0 && x <= frame.width && y >= 0 && y <= frame.height
  }))
}

function extentScreen(g: Geom, frame: Frame): Array<[number, number]> {
  const [a, b, c, d] = extent(g)
  return [frame.project([a, b]), frame.project([c, d])]
}

/** JC2026450329012 → …9012: the neighbours' labels stay short; the full number is in data-number. */
const shortNumber = (n: string) => (n.length > 6 ? `…${n.slice(-4)}` : n)

function northArrow(x: number, y: number): string {
  return `<g id="north" transform="translate(${x},${y})"><circle r="22" fill="#fff" fill-opacity="0.85" stroke="#999"/><path d="M0,-17 L8,9 L0,3 L-8,9 Z" fill="#333"/></g>` +
    label('北', x, y + 20, { size: 10, anchor: 'middle', fill: '#333' })
}

function scaleBarSvg(frame: Frame): string {
  const bar = scaleBar(frame)
  const x = 14
  const y = frame.height - 22
  const w = bar.px + labelWidth(bar.label, 12) + 26
  return `<g id="scale-bar" data-metres="${bar.metres}" data-px="${bar.px.toFixed(1)}"><rect x="${x - 6}" y="${y - 14}" width="${w.toFixed(1)}" height="28" rx="3" fill="#fff" fill-opacity="0.85"/>` +
    `<rect x="${x}" y="${y}" width="${(bar.px / 2).toFixed(1)}" height="6" fill="#222"/><rect x="${(x + bar.px / 2).toFixed(1)}" y="${y}" width="${(bar.px / 2).toFixed(1)}" height="6" fill="#fff" stroke="#222"/></g>` +
    label(bar.label, x + bar.px + 8, y + 7, { size: 12, fill: '#222' })
}

function infoStrip(input: PatchMapInput, frame: Frame, shown: Set<ProtectionLayerKind>, township: boolean, neighbours: boolean): string {
  const y0 = frame.height
  const lines: string[] = []
  const centroid = centroidOf(input.patch.geometry)
  const head = [input.patch.number ? `图斑 ${input.patch.number}` : '图斑', input.patch.areaMu !== undefined ? `面积 ${mu(input.patch.areaMu)}` : '']
  lines.push(label(head.filter(Boolean).join('  '), 12, y0 + 24, { size: 15, weight: 'bold' }))
  lines.push(label(`中心点（CGCS2000）${coordinateText(centroid)}`, 12, y0 + 48, { size: 13, fill: '#333' }))
  const where = [input.township?.name ? `位于${input.township.name}` : '', input.place ?? ''].filter(Boolean).join('，')
  if (where) lines.push(label(where, 12, y0 + 70, { size: 13, fill: '#333' }))
  lines.push(`<g id="coordinates" data-lon="${centroid[0].toFixed(6)}" data-lat="${centroid[1].toFixed(6)}"/>`)
  // the legend: the protection layers the patch touches or the map shows, with the patch's area in each
  const legend: string[] = []
  let row = 0
  const at = () => [336, y0 + 16 + row++ * 21] as const
  for (const k of KINDS) {
    const area = input.areas?.[k] ?? 0
    if (!shown.has(k) && area <= 0) continue
    const [x, y] = at()
    const s = LAYER_STYLE[k]
    const box: Array<[number, number]> = [[x, y], [x + 22, y], [x + 22, y + 14], [x, y + 14], [x, y]]
    const hatch = s.angles.map((a) => hatchRings([box], a, s.spacing / 2, frame.width, y0 + STRIP_H)).join('')
    legend.push(`<g data-legend="${k}"><rect x="${x}" y="${y}" width="22" height="14" fill="${s.colour}" fill-opacity="0.10" stroke="${s.colour}"/><path d="${hatch}" stroke="${s.colour}" stroke-width="1"/></g>`)
    legend.push(label(`${s.name} ${area > 0 ? `占${mu(area)}` : '未占'}`, x + 28, y + 12, { size: 12 }))
  }
  const col2: string[] = []
  let row2 = 0
  const at2 = () => [546, y0 + 16 + row2++ * 21] as const
  {
    const [x, y] = at2()
    col2.push(`<rect x="${x}" y="${y}" width="22" height="14" fill="#e53935" fill-opacity="0.35" stroke="#c62828" stroke-width="2"/>` + label('本图斑', x + 28, y + 12, { size: 12 }))
  }
  if (neighbours) {
    const [x, y] = at2()
    col2.push(`<rect x="${x}" y="${y}" width="22" height="14" fill="#757575" fill-opacity="0.18" stroke="#424242"/>` + label('相邻图斑', x + 28, y + 12, { size: 12 }))
  }
  if (township) {
    const [x, y] = at2()
    col2.push(`<path d="M${x},${y + 7}L${x + 22},${y + 7}" stroke="#6d4c41" stroke-width="2.2" stroke-dasharray="6 2 2 2"/>` + label('乡镇界', x + 28, y + 12, { size: 12 }))
  }
  return `<g id="info">${lines.join('')}<g id="legend">${legend.join('')}${col2.join('')}</g></g>`
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The review card's picture: the locator map with the contact sheet of the photos under it. */
export function reviewPictureSvg(input: PatchMapInput, photos: SheetPhoto[], total = photos.length): string {
  const map = patchMapBody(input)
  const sheet = contactSheetSize(photos.length, map.width)
  const H = map.height + sheet.height
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${map.width}" height="${H}" viewBox="0 0 ${map.width} ${H}">\n${map.body}\n<line x1="0" y1="${map.height + 0.5}" x2="${map.width}" y2="${map.height + 0.5}" stroke="#bbb"/>${contactSheetBody(photos, map.height, map.width, total)}\n</svg>`
}
