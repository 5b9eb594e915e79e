// The demo county 资源县 as plain data, generated from a fixed seed: the same county on every run.
import type { Feature, FeatureCollection, Polygon, Position } from 'geojson'
import { booleanWithin, centroid } from '@turf/turf'
import { areaMu } from '../../core/geometry.js'
import type { ProtectionArea, ProtectionLayer } from '../../core/overlay.js'
import { seededRandom, type Random } from './seeded-random.js'

export const DEMO_SEED = 450329
export const DEMO_TENANT = { code: '450329', name: '资源县' } as const

// Seed 001 / DESIGN.md: the 2023 statistical division codes.
export const DEMO_TOWNSHIPS = [
  { code: '450329100', name: '资源镇' },
  { code: '450329101', name: '中峰镇' },
  { code: '450329102', name: '梅溪镇' },
  { code: '450329202', name: '瓜里乡' },
  { code: '450329203', name: '车田苗族乡' },
  { code: '450329204', name: '两水苗族乡' },
  { code: '450329205', name: '河口瑶族乡' },
] as const

export interface DemoTownship {
  code: string
  name: string
  boundary: Polygon
}

export interface DemoProtectionArea extends ProtectionArea {
  geometry: Polygon
  townshipCode: string
  attributes: Record<string, unknown>
}

export interface DemoPatchProperties {
  监测编号: string
  行政区代码: string
  行政区名称: string
  图斑类型: string
  监测类别: '土地' | '矿产'
  监测面积: number // 亩, as declared by the issuing system (slightly off the geometry, as real ones are)
  前时相: string
  后时相: string
  中心点经度: number
  中心点纬度: number
  年份: number
  季度: number
  监测批次: string
  下发时间: string
  军用土地: '是' | '否'
  矿种?: string
  疑似问题?: string
  备注?: string
}

export interface DemoCounty {
  tenant: { code: string; name: string }
  townships: DemoTownship[]
  protection: DemoProtectionArea[]
  batch: {
    label: string
    period: string
    issuedOn: string // YYYY-MM-DD
    sourceFile: string
    features: FeatureCollection<Polygon, DemoPatchProperties>
  }
}

// ── local metric frame: x east, y north in metres from the county's south-west corner ──

const LON0 = 110.35
const LAT0 = 25.84
const M_PER_DEG = (6371008.8 * Math.PI) / 180
const COS_LAT = Math.cos((26.03 * Math.PI) / 180)
const round6 = (v: number) => Math.round(v * 1e6) / 1e6

type XY = [number, number]
const toLonLat = ([x, y]: XY): Position => [round6(LON0 + x / (M_PER_DEG * COS_LAT)), round6(LAT0 + y / M_PER_DEG)]
const ringToLonLat = (ring: XY[]): Position[] => {
  const out = ring.map(toLonLat)
  out.push(out[0]!)
  return out
}

// ── townships: 3 rows of cells between jittered east-west lines, split by jittered dividers ──

const WIDTH = 48_000
const ROW_HEIGHT = 14_000
const STATIONS = 16 // east-west lines are sampled every WIDTH / STATIONS metres
const STATION_GAP = WIDTH / STATIONS
// south to north; numbers are the stations where a row's dividers stand
const LAYOUT: { dividers: number[]; codes: string[] }[] = [
  { dividers: [0, 7, 16], codes: ['450329203', '450329204'] },
  { dividers: [0, 5, 11, 16], codes: ['450329202', '450329100', '450329205'] },
  { dividers: [0, 9, 16], codes: ['450329101', '450329102'] },
]

function buildTownships(rnd: Random): { township: DemoTownship; ring: XY[] }[] {
  const rows = LAYOUT.length
  // line j separates row j-1 and row j; interior lines wander more than the county's outline
  const lines: number[][] = []
  for (let j = 0; j <= rows; j++) {
    const amp = j === 0 || j === rows ? 1000 : 2000
    lines.push(Array.from({ length: STATIONS + 1 }, () => j * ROW_HEIGHT + rnd.range(-amp, amp)))
  }
  const point = (line: number, station: number): XY => [station * STATION_GAP, lines[line]![station]!]
  // divider interior points: 4 between the two lines, wandering ≤ 800 m east-west
  const dividerCache = new Map<string, XY[]>()
  const divider = (row: number, station: number): XY[] => {
    const key = `${row}:${station}`
    let pts = dividerCache.get(key)
    if (!pts) {
      const [x0, y0] = point(row, station)
      const y1 = point(row + 1, station)[1]
      pts = [1, 2, 3, 4].map((k): XY => [x0 + rnd.range(-800, 800), y0 + ((y1 - y0) * k) / 5])
      dividerCache.set(key, pts)
    }
    return pts
  }

  const names = new Map<string, string>(DEMO_TOWNSHIPS.map((t) => [t.code, t.name]))
  const out: { township: DemoTownship; ring: XY[] }[] = []
  LAYOUT.forEach((row, r) => {
    row.codes.forEach((code, c) => {
      const west = row.dividers[c]!
      const east = row.dividers[c + 1]!
      // counter-clockwise: east along the south line, north up the east divider, west, south
      const ring: XY[] = []
      for (let s = west; s <= east; s++) ring.push(point(r, s))
      ring.push(...divider(r, east))
      for (let s = east; s >= west; s--) ring.push(point(r + 1, s))
      ring.push(...divider(r, west).slice().reverse())
      out.push({ township: { code, name: names.get(code)!, boundary: { type: 'Polygon', coordinates: [ringToLonLat(ring)] } }, ring })
    })
  })
  return out
}

// ── shapes ──

type Box = [number, number, number, number]
const boxOf = (ring: XY[]): Box => {
  const xs = ring.map((p) => p[0])
  const ys = ring.map((p) => p[1])
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]
}
const boxesMeet = (a: Box, b: Box, margin = 0) =>
  a[0] - margin <= b[2] && b[0] - margin <= a[2] && a[1] - margin <= b[3] && b[1] - margin <= a[3]

/** A field: a rotated rectangle with each corner nudged (it stays in its quadrant, so the ring is simple). */
function field(rnd: Random, cx: number, cy: number, halfW: number, halfH: number): XY[] {
  const angle = rnd.range(-0.5, 0.5)
  const cos = Math.cos(angle)
  const sin = Math.sin(angle)
  return ([[-1, -1], [1, -1], [1, 1], [-1, 1]] as const).map(([sx, sy]): XY => {
    const dx = sx * halfW * rnd.range(0.85, 1.15)
    const dy = sy * halfH * rnd.range(0.85, 1.15)
    return [cx + dx * cos - dy * sin, cy + dx * sin + dy * cos]
  })
}

/** A blob: n vertices at increasing angles around a centre (star-shaped, so simple). */
function blob(rnd: Random, cx: number, cy: number, radius: number, n: number): XY[] {
  const start = rnd.range(0, Math.PI * 2)
  return Array.from({ length: n }, (_, i): XY => {
    const a = start + ((i + rnd.range(-0.25, 0.25)) * 2 * Math.PI) / n
    const r = radius * rnd.range(0.8, 1.2)
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)]
  })
}

/** The same ring shrunk towards its vertex mean: 永久基本农田 lies inside 耕地. */
function inset(ring: XY[], k: number): XY[] {
  const cx = ring.reduce((s, p) => s + p[0], 0) / ring.length
  const cy = ring.reduce((s, p) => s + p[1], 0) / ring.length
  return ring.map(([x, y]): XY => [cx + (x - cx) * k, cy + (y - cy) * k])
}

const polygonOf = (ring: XY[]): Polygon => ({ type: 'Polygon', coordinates: [ringToLonLat(ring)] })

// ── protection layer ──

interface Placed {
  ring: XY[]
  box: Box
  inset?: XY[] // the 永久基本农田 part of a field
  big?: boolean
  used?: boolean
}

interface TownshipWork {
  township: DemoTownship
  ring: XY[]
  box: Box
  red: Placed[]
  fields: Placed[]
  patches: Box[]
}

function placeInside(rnd: Random, t: TownshipWork, make: (cx: number, cy: number) => XY[], avoid: Box[], margin: number): XY[] {
  for (let attempt = 0; attempt < 500; attempt++) {
    const cx = rnd.range(t.box[0], t.box[2])
    const cy = rnd.range(t.box[1], t.box[3])
    const ring = make(cx, cy)
    const box = boxOf(ring)
    if (avoid.some((b) => boxesMeet(box, b, margin))) continue
    if (!booleanWithin(polygonOf(ring), t.township.boundary)) continue
    return ring
  }
  throw new Error(`演示县生成失败：${t.township.name} 内放不下新的多边形`)
}

function buildProtection(rnd: Random, t: TownshipWork): void {
  const taken = () => [...t.red, ...t.fields].map((p) => p.box)
  for (let i = 0; i < 2; i++) {
    const ring = placeInside(rnd, t, (cx, cy) => blob(rnd, cx, cy, rnd.range(1200, 1800), 9), taken(), 300)
    t.red.push({ ring, box: boxOf(ring) })
  }
  // three big fields per township carry the key patches (there are 3, so any township can take them all)
  for (let i = 0; i < 15; i++) {
    const big = i < 3
    const ring = placeInside(
      rnd, t,
      (cx, cy) => (big ? field(rnd, cx, cy, 350, 250) : field(rnd, cx, cy, rnd.range(80, 220), rnd.range(60, 160))),
      taken(), 60,
    )
    const withInset = big || rnd.next() < 0.45
    t.fields.push({ ring, box: boxOf(ring), big, inset: withInset ? inset(ring, 0.8) : undefined })
  }
}

// ── the batch ──

type Target = 'big' | 'big-basic' | 'field' | 'basic' | 'red' | 'none'
interface PatchSpec {
  category: string
  kind: 'land' | 'mineral'
  target: Target
  mu: [number, number]
  military?: boolean
  mineral?: { ore: string; suspicion: string }
  note?: string
}

const specs = (n: number, spec: PatchSpec): PatchSpec[] => Array.from({ length: n }, () => spec)
const NONAG = '新增非农建设类'
const CONTINUING = '年度内持续变化类'
const OTHER_BUILD = '其他新增建设类'
const OTHER_CHANGE = '其他变化类'
const MINERAL = '矿产图斑'

// 60 patches: every category and kind, four key patches, a military one, several small ones
const PATCH_SPECS: PatchSpec[] = [
  ...specs(2, { category: NONAG, kind: 'land', target: 'big', mu: [60, 85], note: '疑似占用耕地50亩以上' }),
  { category: CONTINUING, kind: 'land', target: 'big-basic', mu: [32, 40], note: '疑似占用永久基本农田25亩以上' },
  { category: NONAG, kind: 'land', target: 'red', mu: [30, 38], note: '疑似占用生态保护红线25亩以上' },
  ...specs(14, { category: NONAG, kind: 'land', target: 'field', mu: [1, 12] }),
  ...specs(4, { category: CONTINUING, kind: 'land', target: 'field', mu: [2, 15] }),
  ...specs(3, { category: CONTINUING, kind: 'land', target: 'basic', mu: [1.5, 6] }),
  ...specs(5, { category: OTHER_BUILD, kind: 'land', target: 'field', mu: [0.5, 8] }),
  ...specs(5, { category: OTHER_BUILD, kind: 'land', target: 'none', mu: [0.5, 8] }),
  ...specs(6, { category: OTHER_CHANGE, kind: 'land', target: 'field', mu: [0.5, 6] }),
  ...specs(6, { category: OTHER_CHANGE, kind: 'land', target: 'none', mu: [0.5, 6] }),
  ...specs(2, { category: MINERAL, kind: 'mineral', target: 'red', mu: [5, 20], mineral: { ore: '建筑石料用灰岩', suspicion: '疑似无证开采' } }),
  ...specs(2, { category: MINERAL, kind: 'mineral', target: 'none', mu: [6, 15], mineral: { ore: '建筑用砂', suspicion: '疑似越界开采' } }),
  ...specs(2, { category: MINERAL, kind: 'mineral', target: 'none', mu: [1, 4], mineral: { ore: '砖瓦用页岩', suspicion: '疑似无证开采' } }),
  { category: NONAG, kind: 'land', target: 'none', mu: [6, 10], military: true, note: '涉军用土地' },
  ...specs(3, { category: NONAG, kind: 'land', target: 'field', mu: [0.2, 0.9] }),
  ...specs(3, { category: OTHER_CHANGE, kind: 'land', target: 'none', mu: [0.2, 0.9] }),
]

/** Radius of a regular n-gon of the given area in 亩. */
const radiusFor = (mu: number, n: number) => Math.sqrt((mu * (10000 / 15)) / ((n / 2) * Math.sin((2 * Math.PI) / n)))
const centreOf = (ring: XY[]): XY => [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length]

function placePatch(rnd: Random, t: TownshipWork, spec: PatchSpec): XY[] {
  const n = rnd.int(5, 8)
  const radius = radiusFor(rnd.range(spec.mu[0], spec.mu[1]), n)
  const protectionBoxes = [...t.red, ...t.fields].map((p) => p.box)
  for (let attempt = 0; attempt < 500; attempt++) {
    let cx: number
    let cy: number
    if (spec.target === 'big' || spec.target === 'big-basic') {
      const f = t.fields.find((p) => p.big && !p.used)!
      ;[cx, cy] = centreOf(f.ring)
      cx += rnd.range(-40, 40)
      cy += rnd.range(-40, 40)
    } else if (spec.target === 'field' || spec.target === 'basic') {
      const pool = spec.target === 'basic' ? t.fields.filter((p) => !p.big && p.inset) : t.fields.filter((p) => !p.big)
      const f = rnd.pick(pool)
      const [fx, fy] = centreOf(f.inset ?? f.ring)
      const spread = spec.target === 'basic' ? 0.3 : 0.9
      cx = fx + rnd.range(-1, 1) * spread * (f.box[2] - f.box[0]) / 2
      cy = fy + rnd.range(-1, 1) * spread * (f.box[3] - f.box[1]) / 2
    } else if (spec.target === 'red') {
      const red = rnd.pick(t.red)
      const [rx, ry] = centreOf(red.ring)
      cx = rx + rnd.range(-400, 400)
      cy = ry + rnd.range(-400, 400)
    } else {
      cx = rnd.range(t.box[0], t.box[2])
      cy = rnd.range(t.box[1], t.box[3])
    }
    const ring = blob(rnd, cx, cy, radius, n)
    const box = boxOf(ring)
    if (t.patches.some((b) => boxesMeet(box, b, 30))) continue
    if (spec.target === 'none' && protectionBoxes.some((b) => boxesMeet(box, b, 30))) continue
    if (!booleanWithin(polygonOf(ring), t.township.boundary)) continue
    if (spec.target === 'big' || spec.target === 'big-basic') t.fields.find((p) => p.big && !p.used)!.used = true
    t.patches.push(box)
    return ring
  }
  throw new Error(`演示县生成失败：${t.township.name} 内放不下图斑`)
}

const MONTHS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二']

/** China time (UTC+8, no daylight saving) calendar parts of an instant. */
function chinaDate(now: Date): { year: number; month: number; day: number } {
  const d = new Date(now.getTime() + 8 * 3600_000)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/** The demo batch arrived two days ago, so a newcomer sees patches with their deadlines still ahead. */
const ISSUED_DAYS_AGO = 2

/** The whole demo county. Pure apart from `now`, which only sets the batch's dates and numbers. */
export function buildDemoCounty(now: Date, issuedAt: Date = new Date(now.getTime() - ISSUED_DAYS_AGO * 86_400_000)): DemoCounty {
  const rnd = seededRandom(DEMO_SEED)
  const work: TownshipWork[] = buildTownships(rnd).map(({ township, ring }) => ({
    township, ring, box: boxOf(ring), red: [], fields: [], patches: [],
  }))
  for (const t of work) buildProtection(rnd, t)

  const protection: DemoProtectionArea[] = []
  const add = (layer: ProtectionLayer, ring: XY[], t: TownshipWork, i: number) =>
    protection.push({
      layer, geometry: polygonOf(ring), townshipCode: t.township.code,
      attributes: { 图层: LAYER_NAMES[layer], 编号: `${t.township.code}-${layer}-${i + 1}`, 来源: '演示数据（合成）' },
    })
  for (const t of work) {
    t.fields.forEach((f, i) => add('farmland', f.ring, t, i))
    t.fields.forEach((f, i) => f.inset && add('basic_farmland', f.inset, t, i))
    t.red.forEach((r, i) => add('red_line', r.ring, t, i))
  }

  const { year, month, day } = chinaDate(issuedAt)
  const issuedOn = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
  const label = `${year}年${MONTHS[month - 1]}月一批`
  const before = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`
  // spread the patches over the townships in a shuffled but fixed order
  const order = PATCH_SPECS.map((spec, i) => ({ spec, key: rnd.next(), i })).sort((a, b) => a.key - b.key)
  const features: Feature<Polygon, DemoPatchProperties>[] = order.map(({ spec }, i) => {
    const t = work[i % work.length]!
    const ring = placePatch(rnd, t, spec)
    const geometry = polygonOf(ring)
    const [clon, clat] = centroid(geometry).geometry.coordinates as [number, number]
    const declared = Math.round(areaMu(geometry) * rnd.range(0.97, 1.03) * 100) / 100
    const number = `JC${year}${DEMO_TENANT.code}${String(i + 1).padStart(3, '0')}`
    const properties: DemoPatchProperties = {
      监测编号: number,
      行政区代码: t.township.code,
      行政区名称: t.township.name,
      图斑类型: spec.category,
      监测类别: spec.kind === 'mineral' ? '矿产' : '土地',
      监测面积: declared,
      前时相: before,
      后时相: `${year}-${String(month).padStart(2, '0')}`,
      中心点经度: round6(clon),
      中心点纬度: round6(clat),
      年份: year,
      季度: Math.ceil(month / 3),
      监测批次: label,
      下发时间: issuedOn,
      军用土地: spec.military ? '是' : '否',
      ...(spec.mineral ? { 矿种: spec.mineral.ore, 疑似问题: spec.mineral.suspicion } : {}),
      ...(spec.note ? { 备注: spec.note } : {}),
    }
    return { type: 'Feature', geometry, properties }
  })

  return {
    tenant: { ...DEMO_TENANT },
    townships: work.map((t) => t.township),
    protection,
    batch: {
      label,
      period: `${year}-Q${Math.ceil(month / 3)}`,
      issuedOn,
      sourceFile: `演示数据-${label}.geojson`,
      features: { type: 'FeatureCollection', features },
    },
  }
}

export const LAYER_NAMES: Record<ProtectionLayer, string> = {
  farmland: '耕地',
  basic_farmland: '永久基本农田',
  red_line: '生态保护红线',
}
