// Where a map looks and how lon/lat become pixels: Web Mercator, so XYZ basemap tiles (天地图 _w)
// line up with the vector layers; the frame centred on the patch with room around it.
import type { MultiPolygon, Polygon } from 'geojson'

export type Geom = Polygon | MultiPolygon
export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number]

const TILE = 256
const EARTH_CIRCUMFERENCE_M = 40_075_016.686

/** Web Mercator "world pixels" at zoom 0 (0…256 across the world). */
export function mercator([lon, lat]: number[]): [number, number] {
  const s = Math.sin((Math.max(-85, Math.min(85, lat!)) * Math.PI) / 180)
  return [((lon! + 180) / 360) * TILE, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * TILE]
}

export function unmercator([x, y]: [number, number]): [number, number] {
  const lon = (x / TILE) * 360 - 180
  const n = Math.PI - (2 * Math.PI * y) / TILE
  return [lon, (180 / Math.PI) * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)))]
}

export interface Frame {
  width: number
  height: number
  /** the centre in world pixels (zoom 0) */
  centre: [number, number]
  /** screen px per world pixel: 2^zoom */
  scale: number
  /** metres on the ground per screen px, at the centre */
  metresPerPx: number
  /** lon/lat bounds of what the frame shows */
  bbox: BBox
  project(p: number[]): [number, number]
}

export function rings(g: Geom): number[][][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat()
}

export function extent(g: Geom): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity]
  for (const ring of rings(g))
    for (const [x, y] of ring) {
      if (x! < b[0]) b[0] = x!
      if (y! < b[1]) b[1] = y!
      if (x! > b[2]) b[2] = x!
      if (y! > b[3]) b[3] = y!
    }
  return b
}

/**
 * The frame around a patch: the patch takes about 45% of the shorter side, and the view is at
 * least ~330 m across so a small patch still shows its surroundings.
 */
export function frameAround(bounds: BBox, width: number, height: number): Frame {
  const [x0, y1] = mercator([bounds[0], bounds[1]])
  const [x1, y0] = mercator([bounds[2], bounds[3]])
  const centre: [number, number] = [(x0 + x1) / 2, (y0 + y1) / 2]
  const lat = unmercator(centre)[1]
  const mPerWorldPx = (EARTH_CIRCUMFERENCE_M * Math.cos((lat * Math.PI) / 180)) / TILE
  // policy choice: the patch at ~45% of the view (×2.2), never less than 150 m × 2.2 across
  const minWorld = 150 / mPerWorldPx
  const span = Math.max(x1 - x0, y1 - y0, minWorld) * 2.2
  const scale = Math.min(width, height) / span
  return makeFrame(centre, scale, width, height, mPerWorldPx)
}

function makeFrame(centre: [number, number], scale: number, width: number, height: number, mPerWorldPx: number): Frame {
  const project = (p: number[]): [number, number] => {
    const [x, y] = mercator(p)
    return [width / 2 + (x - centre[0]) * scale, height / 2 + (y - centre[1]) * scale]
  }
  const [w, n] = unmercator([centre[0] - width / 2 / scale, centre[1] - height / 2 / scale])
  const [e, s] = unmercator([centre[0] + width / 2 / scale, centre[1] + height / 2 / scale])
  return { width, height, centre, scale, metresPerPx: mPerWorldPx / scale, bbox: [w, s, e, n], project }
}

export const bboxesMeet = (a: BBox, b: BBox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]

/**
 * SVG path data of a polygon in the frame, rounded to 0.1 px, points closer than half a pixel to
 * the last one dropped (a county-wide layer has thousands of vertices the picture cannot show).
 */
export function pathData(g: Geom, frame: Frame): string {
  let d = ''
  for (const ring of rings(g)) {
    let last: [number, number] | null = null
    let part = ''
    let n = 0
    for (const p of ring) {
      const q = frame.project(p)
      if (last && Math.abs(q[0] - last[0]) < 0.5 && Math.abs(q[1] - last[1]) < 0.5) continue
      part += (n === 0 ? 'M' : 'L') + q[0].toFixed(1) + ',' + q[1].toFixed(1)
      last = q
      n++
    }
    if (n >= 3) d += part + 'Z'
  }
  return d
}

/** A round length (1, 2, 5 × 10ⁿ m) no longer than `m`. */
export function niceLength(m: number): number {
  const p = 10 ** Math.floor(Math.log10(m))
  return [1, 2, 5, 10].map((k) => k * p).filter((v) => v <= m).pop() ?? p
}

/** The scale bar: a round length taking at most a quarter of the width. */
export function scaleBar(frame: Frame): { metres: number; px: number; label: string } {
  const metres = niceLength((frame.width / 4) * frame.metresPerPx)
  return { metres, px: metres / frame.metresPerPx, label: metres >= 1000 ? `${metres / 1000} 公里` : `${metres} 米` }
}

/** 110.6375 → 110°38.250′ (degrees and minutes, 3 decimals: ~2 m). */
export function degreesMinutes(value: number): string {
  const sign = value < 0 ? '-' : ''
  const v = Math.abs(value)
  let d = Math.floor(v)
  let m = Math.round((v - d) * 60 * 1000) / 1000
  if (m >= 60) {
    d += 1
    m = 0
  }
  return `${sign}${d}°${m.toFixed(3).padStart(6, '0')}′`
}

/** 东经 110°38.250′ 北纬 26°02.140′: the way the coordinates read on the map and the card. */
export function coordinateText([lon, lat]: [number, number]): string {
  return `${lon >= 0 ? '东经' : '西经'} ${degreesMinutes(Math.abs(lon))} ${lat >= 0 ? '北纬' : '南纬'} ${degreesMinutes(Math.abs(lat))}`
}

/** The XYZ tiles covering a frame at the integer zoom at or above its scale. */
export function tilesFor(frame: Frame): { z: number; tiles: Array<{ x: number; y: number; left: number; top: number; size: number }> } {
  const z = Math.max(0, Math.min(19, Math.ceil(Math.log2(frame.scale) - 1e-9)))
  const size = (frame.scale / 2 ** z) * TILE // screen px of one tile at zoom z
  const worldLeft = frame.centre[0] - frame.width / 2 / frame.scale
  const worldTop = frame.centre[1] - frame.height / 2 / frame.scale
  const n = 2 ** z
  const tx0 = Math.floor((worldLeft * n) / TILE)
  const ty0 = Math.floor((worldTop * n) / TILE)
  const tx1 = Math.floor(((worldLeft + frame.width / frame.scale) * n) / TILE)
  const ty1 = Math.floor(((worldTop + frame.height / frame.scale) * n) / TILE)
  const tiles = []
  for (let x = tx0; x <= tx1; x++)
    for (let y = ty0; y <= ty1; y++) {
      if (y < 0 || y >= n) continue
      tiles.push({ x: ((x % n) + n) % n, y, left: ((x * TILE) / n - worldLeft) * frame.scale, top: ((y * TILE) / n - worldTop) * frame.scale, size })
    }
  return { z, tiles }
}

/**
 * Hatching as line segments: parallel lines `spacing` px apart at `angle`°, cut to the inside of
 * the polygon (even-odd) and to the view. Drawn as one stroked path — resvg fills an SVG <pattern>
 * several times slower.
 */
export function hatchData(g: Geom, frame: Frame, angle: number, spacing: number): string {
  return hatchRings(rings(g).map((ring) => ring.map((p) => frame.project(p))), angle, spacing, frame.width, frame.height)
}

/** The same for rings already in screen px, cut to [0,w]×[0,h]. */
export function hatchRings(ringsPx: Array<Array<[number, number]>>, angle: number, spacing: number, width: number, height: number): string {
  const a = (angle * Math.PI) / 180
  const cos = Math.cos(a)
  const sin = Math.sin(a)
  // rotate screen points by -angle: hatch lines become horizontal (v = const)
  const toUV = ([x, y]: [number, number]): [number, number] => [x * cos + y * sin, -x * sin + y * cos]
  const edges: Array<[number, number, number, number]> = []
  let vMin = Infinity
  let vMax = -Infinity
  for (const ring of ringsPx) {
    let prev: [number, number] | null = null
    for (const p of ring) {
      const q = toUV(p)
      if (prev) edges.push([prev[0], prev[1], q[0], q[1]])
      prev = q
    }
  }
  // only the lines that cross the view
  for (const c of [[0, 0], [width, 0], [0, height], [width, height]] as Array<[number, number]>) {
    const v = toUV(c)[1]
    vMin = Math.min(vMin, v)
    vMax = Math.max(vMax, v)
  }
  let d = ''
  for (let v = Math.ceil(vMin / spacing) * spacing; v <= vMax; v += spacing) {
    const xs: number[] = []
    for (const [u1, v1, u2, v2] of edges) {
      if (v1 > v === v2 > v) continue
      xs.push(u1 + ((v - v1) * (u2 - u1)) / (v2 - v1))
    }
    if (xs.length < 2) continue
    xs.sort((p, q) => p - q)
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const [x1, y1] = [xs[i]! * cos - v * sin, xs[i]! * sin + v * cos]
      const [x2, y2] = [xs[i + 1]! * cos - v * sin, xs[i + 1]! * sin + v * cos]
      const cut = clipSegment(x1, y1, x2, y2, width, height)
      if (cut) d += `M${cut[0].toFixed(1)},${cut[1].toFixed(1)}L${cut[2].toFixed(1)},${cut[3].toFixed(1)}`
    }
  }
  return d
}

/** Liang–Barsky: the part of a segment inside [0,w]×[0,h], or null. */
function clipSegment(x1: number, y1: number, x2: number, y2: number, w: number, h: number): [number, number, number, number] | null {
  let t0 = 0
  let t1 = 1
  const dx = x2 - x1
  const dy = y2 - y1
  for (const [p, q] of [[-dx, x1], [dx, w - x1], [-dy, y1], [dy, h - y1]] as Array<[number, number]>) {
    if (p === 0) {
      if (q < 0) return null
      continue
    }
    const r = q / p
    if (p < 0) t0 = Math.max(t0, r)
    else t1 = Math.min(t1, r)
    if (t0 > t1) return null
  }
  return [x1 + t0 * dx, y1 + t0 * dy, x1 + t1 * dx, y1 + t1 * dy]
}
