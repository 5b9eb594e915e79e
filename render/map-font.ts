// The font of every label the server draws (maps, contact sheets, charts). Labels are turned into
// glyph outlines here, so the PNG never depends on the fonts a machine happens to have: the font
// ships with the app as an npm package (@expo-google-fonts/noto-sans-sc, Noto Sans SC, OFL). Outlines
// also keep resvg fast: shaping a CJK font's tables costs ~14 ms a <text> element, an outline nothing.
import { createRequire } from 'node:module'
import * as fontkit from 'fontkit'

const PACKAGE_FILE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'
export const FONT_FAMILY = 'Noto Sans SC'
/** resvg's own text, when the bundled font is missing: what a machine might have, last the Latin default */
export const FALLBACK_FAMILIES = 'Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, WenQuanYi Micro Hei, DejaVu Sans, sans-serif'

export type FontStatus = { ok: true; family: string; file: string } | { ok: false; reason: string }

interface Loaded {
  font: fontkit.Font
  file: string
  /** glyph outline in font units (y up), by glyph id */
  outlines: Map<number, string>
}

let loaded: Loaded | null | undefined
let chosenFile: string | undefined

/** Another TrueType/OpenType file for the labels (undefined: the bundled Noto Sans SC); read at next use. */
export function useFontFile(file: string | undefined): void {
  chosenFile = file
  loaded = undefined
}

function load(): Loaded | null {
  if (loaded !== undefined) return loaded
  try {
    const file = chosenFile ?? createRequire(import.meta.url).resolve(PACKAGE_FILE)
    const font = fontkit.openSync(file)
    if (!('glyphsForString' in font)) throw new Error('font collection, not a font')
    loaded = { font, file, outlines: new Map() }
  } catch (error) {
    loaded = null
    loadError = error instanceof Error ? error.message : String(error)
  }
  return loaded
}
let loadError = ''

/** For the start-up line: whether labels get the bundled CJK font, and if not, why. */
export function fontStatus(): FontStatus {
  const f = load()
  return f ? { ok: true, family: f.font.familyName, file: f.file } : { ok: false, reason: loadError }
}

/** The start-up line saying which font the server's pictures use. */
export function fontStatusLine(): string {
  const s = fontStatus()
  return s.ok
    ? `地图与图表字体：${s.family}（${chosenFile ? s.file : `随程序安装，${PACKAGE_FILE.split('/').slice(0, 2).join('/')}`}）`
    : `警告：未找到随程序安装的中文字体（${s.reason}）。地图与图表上的中文可能显示为方框：请运行 npm ci 安装依赖，或安装 fonts-noto-cjk。`
}

export interface LabelOptions {
  size: number
  anchor?: 'start' | 'middle' | 'end'
  fill?: string
  /** a white outline under the letters, so a label reads over the map */
  halo?: boolean
  weight?: 'normal' | 'bold'
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** How wide a label is, in px, at `size` (for boxes and legends). */
export function labelWidth(text: string, size: number): number {
  const f = load()
  if (!f) return text.length * size * 0.9 // policy choice: a CJK-wide guess when the font is missing
  return f.font.glyphsForString(text).reduce((w, g) => w + g.advanceWidth, 0) * (size / f.font.unitsPerEm)
}

/**
 * A label as SVG: glyph outlines in a group that names its text (`data-label`, so a test or a reader
 * of the SVG can find it), or resvg's <text> when the bundled font is missing. `y` is the baseline.
 */
export function label(text: string, x: number, y: number, o: LabelOptions): string {
  const fill = o.fill ?? '#222'
  const anchor = o.anchor ?? 'start'
  const f = load()
  if (!f) {
    const halo = o.halo ? ` stroke="#fff" stroke-width="3" paint-order="stroke"` : ''
    return `<text data-label="${esc(text)}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${o.size}" text-anchor="${anchor}" fill="${fill}"${halo} font-family="${FALLBACK_FAMILIES}"${o.weight === 'bold' ? ' font-weight="bold"' : ''}>${esc(text)}</text>`
  }
  const k = o.size / f.font.unitsPerEm
  const glyphs = f.font.glyphsForString(text)
  const width = glyphs.reduce((w, g) => w + g.advanceWidth, 0)
  let pen = anchor === 'start' ? 0 : anchor === 'middle' ? -width / 2 : -width
  const parts: string[] = []
  for (const g of glyphs) {
    let d = f.outlines.get(g.id)
    if (d === undefined) {
      d = g.path.toSVG()
      f.outlines.set(g.id, d)
    }
    if (d) parts.push(`<path transform="translate(${Math.round(pen)} 0)" d="${d}"/>`)
    pen += g.advanceWidth
  }
  const body = parts.join('')
  const at = `translate(${x.toFixed(1)} ${y.toFixed(1)}) scale(${k.toFixed(5)} ${(-k).toFixed(5)})`
  // bold: the outline stroked in its own colour, ~6% of the em
  const bold = o.weight === 'bold' ? ` stroke="${fill}" stroke-width="${Math.round(f.font.unitsPerEm * 0.045)}"` : ''
  const halo = o.halo ? `<g fill="#fff" stroke="#fff" stroke-width="${Math.round(2.6 / k)}" stroke-linejoin="round">${body}</g>` : ''
  return `<g data-label="${esc(text)}" transform="${at}">${halo}<g fill="${fill}"${bold}>${body}</g></g>`
}
