import { Resvg } from '@resvg/resvg-js'
import type { MultiPolygon, Polygon } from 'geojson'

type Geom = Polygon | MultiPolygon
const SIZE = 480
const PAD = 40

/**
 * A small locator map of a patch as PNG: the patch filled red, its township's boundary grey,
 * a scale bar and a north arrow. Rendered on the server so every messenger can show it.
 */
export function renderPatchMap(patch: Geom, township?: Geom | null): Uint8Array {
  return svgToPng(patchMapSvg(patch, township))
}

export function svgToPng(svg: string): Uint8Array {
  return new Resvg(svg, { background: '#ffffff', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng()
}

function patchMapSvg(patch: Geom, township?: Geom | null): string {
  const bounds = extent(patch)
  // frame the patch with room around it so its surroundings read; at least ~300 m across
  const [cx, cy] = [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2]
  const mPerDegLat = 111_320
  const mPerDegLon = mPerDegLat * Math.cos((cy * Math.PI) / 180)
  const spanM = Math.max((bounds[2] - bounds[0]) * mPerDegLon, (bounds[3] - bounds[1]) * mPerDegLat, 150) * 2.2
  const scale = (SIZE - 2 * PAD) / spanM // px per metre
  const project = ([lon, lat]: number[]): [number, number] => [
    SIZE / 2 + (lon - cx) * mPerDegLon * scale,
    SIZE / 2 - (lat - cy) * mPerDegLat * scale,
  ]
  const path = (g: Geom) =>
    rings(g)
      .map((ring) => 'M' + ring.map((p) => project(p).map((v) => v.toFixed(1)).join(',')).join('L') + 'Z')
      .join('')
  const bar = niceLength(spanM / 4)
  const barPx = bar * scale
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">
<rect width="${SIZE}" height="${SIZE}" fill="#ffffff"/>
${township ? `<path d="${path(township)}" fill="#e8efe0" stroke="#7a7a7a" stroke-width="2" stroke-dasharray="8 4"/>` : ''}
<path d="${path(patch)}" fill="#e03c31" fill-opacity="0.45" stroke="#b0171f" stroke-width="3" fill-rule="evenodd"/>
<g transform="translate(${SIZE - 36},46)"><path d="M0,-26 L9,6 L0,0 L-9,6 Z" fill="#333"/><text y="22" font-size="14" text-anchor="middle" fill="#333">N</text></g>
<g transform="translate(20,${SIZE - 24})"><rect width="${barPx.toFixed(1)}" height="6" fill="#333"/><text x="${(barPx + 8).toFixed(1)}" y="7" font-size="14" fill="#333">${bar >= 1000 ? `${bar / 1000} km` : `${bar} m`}</text></g>
</svg>`
}

function rings(g: Geom): number[][][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat()
}

function extent(g: Geom): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const ring of rings(g))
    for (const [x, y] of ring) {
      b[0] = Math.min(b[0], x); b[1] = Math.min(b[1], y)
      b[2] = Math.max(b[2], x); b[3] = Math.max(b[3], y)
    }
  return b
}

function niceLength(m: number): number {
  const p = 10 ** Math.floor(Math.log10(m))
  return [1, 2, 5, 10].map((k) => k * p).filter((v) => v <= m).pop() ?? p
}
