// The locator map's content: what the SVG holds before it is rasterised, and a few pixels of the PNG.
import { describe, expect, it } from 'vitest'
import { degreesMinutes, hatchData, frameAround } from '../../render/map-frame.js'
import { fontStatus } from '../../render/map-font.js'
import { mapFrameOf, patchMapSvg, renderPatchMap, svgToPng } from '../../render/patch-map.js'
import { pointInPolygon } from '../../core/geometry.js'
import { decodePng } from '../support/png.js'
import { scene } from '../support/map-scene.js'
import { square } from '../support/zi-yuan.js'

const labels = (svg: string) => [...svg.matchAll(/data-label="([^"]*)"/g)].map((m) => m[1])
const numbersIn = (d: string) => [...d.matchAll(/-?\d+(?:\.\d+)?/g)].map((m) => Number(m[0]))

describe('the locator map (SVG before rasterising)', () => {
  const svg = patchMapSvg(scene())

  it('draws the protection layers in view, hatched, and leaves out the one far off', () => {
    expect(svg).toMatch(/<g id="layer-farmland" data-layer="farmland" data-features="1">/)
    expect(svg).toMatch(/<g id="layer-basic_farmland" data-layer="basic_farmland" data-features="1">/)
    expect(svg).not.toContain('data-layer="red_line"')
    // the hatch is line segments (a path of M…L… pairs), not an empty path
    const hatch = /<g id="layer-farmland"[^>]*><path[^>]*\/><path d="([^"]+)"/.exec(svg)?.[1] ?? ''
    expect(hatch.match(/M/g)?.length).toBeGreaterThan(10)
  })

  it('puts the whole patch inside the map, around its centre', () => {
    const d = /<path id="patch" d="([^"]+)"/.exec(svg)![1]!
    const n = numbersIn(d)
    const xs = n.filter((_, i) => i % 2 === 0)
    const ys = n.filter((_, i) => i % 2 === 1)
    expect(Math.min(...xs)).toBeGreaterThan(0)
    expect(Math.max(...xs)).toBeLessThan(640)
    expect(Math.min(...ys)).toBeGreaterThan(0)
    expect(Math.max(...ys)).toBeLessThan(460)
    expect((Math.min(...xs) + Math.max(...xs)) / 2).toBeCloseTo(320, 0)
    expect((Math.min(...ys) + Math.max(...ys)) / 2).toBeCloseTo(230, 0)
  })

  it('shows the neighbour in view and the township line, not the patch far away', () => {
    expect(svg).toContain('data-number="JC2026450329002"')
    expect(svg).not.toContain('JC2026450329099')
    expect(svg).toMatch(/<path id="township" d="M[^"]+"/)
  })

  it('writes the number, the coordinates in degrees and minutes, the place and the legend with areas', () => {
    const l = labels(svg)
    expect(l).toContain('JC2026450329001')
    // centroid 110.6005°E 26.0005°N: 0.6005° = 36.030′, 0.0005° = 0.030′
    expect(l).toContain('中心点（CGCS2000）东经 110°36.030′ 北纬 26°00.030′')
    expect(l).toContain('位于资源镇，坐落：白竹村')
    expect(l).toContain('耕地 占16.65亩')
    expect(l).toContain('永久基本农田 占16.65亩')
    expect(l.some((t) => t?.startsWith('生态保护红线'))).toBe(false)
    expect(l).toEqual(expect.arrayContaining(['本图斑', '相邻图斑', '乡镇界', '…9002']))
  })

  it('draws labels as outlines of the bundled CJK font (no system font needed)', () => {
    expect(fontStatus()).toMatchObject({ ok: true, family: 'Noto Sans SC' })
    const group = /<g data-label="本图斑"[^>]*>(.*?)<\/g><\/g>/.exec(svg)![1]!
    expect(group.match(/<path /g)?.length).toBe(3) // one outline per glyph (no halo on legend labels)
    expect(svg).not.toContain('<text')
  })

  it('has a scale bar of a round length that fits a quarter of the width', () => {
    const [, metres, px] = /<g id="scale-bar" data-metres="(\d+)" data-px="([\d.]+)"/.exec(svg)!.map(Number)
    expect([1, 2, 5].some((k) => metres! / k === 10 ** Math.round(Math.log10(metres! / k)))).toBe(true)
    expect(px).toBeLessThanOrEqual(160)
    expect(px).toBeGreaterThan(60)
    expect(labels(svg)).toContain(`${metres} 米`)
  })

  it('keeps the bare two-argument form of the first map (patch and township line)', () => {
    const s = scene()
    const bare = patchMapSvg(s.patch.geometry, s.township!.boundary)
    expect(bare).toContain('<path id="township"')
    expect(bare).not.toContain('data-layer=')
    expect(labels(bare).some((t) => t?.startsWith('中心点（CGCS2000）'))).toBe(true)
  })
})

describe('the locator map (PNG pixels)', () => {
  const input = scene()
  const png = renderPatchMap(input)
  const px = decodePng(png)
  const frame = mapFrameOf(input)

  it('is a 640 × 560 picture', () => {
    expect([px.width, px.height]).toEqual([640, 560])
  })

  it('has the patch outline in red where the patch is', () => {
    const [x, y] = frame.project([110.6, 26.0005]) // the middle of the west side
    const [r, g, b] = px.at(x, y)
    expect(r).toBeGreaterThan(150)
    expect(g).toBeLessThan(100)
    expect(b).toBeLessThan(100)
  })

  it('has the 耕地 hatching (yellow-brown lines) where only 耕地 is', () => {
    const [cx, cy] = frame.project([110.59925, 26.0005]) // between the 耕地 and 永久基本农田 edges
    let yellow = 0
    for (let dx = -4; dx <= 4; dx++)
      for (let dy = -6; dy <= 6; dy++) {
        const [r, g, b] = px.at(cx + dx, cy + dy)
        if (r > 170 && g > 120 && b < 120 && r - b > 80) yellow++
      }
    expect(yellow).toBeGreaterThan(3)
  })

  it('leaves the empty corner plain and draws dark glyphs in the coordinates line', () => {
    expect(px.at(3, 3)).toEqual([244, 246, 241, 255])
    let dark = 0
    for (let x = 12; x < 300; x++) for (let y = 496; y < 511; y++) if (px.at(x, y).slice(0, 3).reduce((a, v) => a + v, 0) < 400) dark++
    expect(dark).toBeGreaterThan(150)
    let empty = 0
    for (let x = 600; x < 636; x++) for (let y = 540; y < 556; y++) if (px.at(x, y).slice(0, 3).reduce((a, v) => a + v, 0) < 600) empty++
    expect(empty).toBe(0)
  })
})

describe('map geometry helpers', () => {
  it.each([
    [110.5, '110°30.000′'],
    [26.0356, '26°02.136′'],
    [110.99999999, '111°00.000′'],
    [25.0, '25°00.000′'],
  ])('%s° in degrees and minutes is %s', (v, text) => {
    expect(degreesMinutes(v)).toBe(text)
  })

  it('hatches only inside the polygon (every segment midpoint is inside, holes excepted)', () => {
    const ring = square(110.6, 26.0, 0.002)
    const withHole = { type: 'Polygon' as const, coordinates: [ring.coordinates[0]!, square(110.6005, 26.0005, 0.001).coordinates[0]!.slice().reverse()] }
    const frame = frameAround([110.6, 26.0, 110.602, 26.002], 400, 400)
    const d = hatchData(withHole, frame, 45, 7)
    const segs = [...d.matchAll(/M(-?[\d.]+),(-?[\d.]+)L(-?[\d.]+),(-?[\d.]+)/g)].map((m) => m.slice(1).map(Number))
    expect(segs.length).toBeGreaterThan(20)
    for (const [x1, y1, x2, y2] of segs) {
      const mid = unproject(frame, [(x1! + x2!) / 2, (y1! + y2!) / 2])
      expect(pointInPolygon(mid, withHole)).toBe(true)
    }
  })

  it('renders an SVG without the bundled font path through svgToPng too (charts)', () => {
    expect(decodePng(svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="#f00"/></svg>')).at(1, 1)).toEqual([255, 0, 0, 255])
  })
})

function unproject(frame: ReturnType<typeof frameAround>, [x, y]: [number, number]): [number, number] {
  // invert by bisection-free linear interpolation: the frame is tiny, Mercator is linear enough at this scale
  const [x0, y0] = frame.project([frame.bbox[0], frame.bbox[3]])
  const [x1, y1] = frame.project([frame.bbox[2], frame.bbox[1]])
  return [frame.bbox[0] + ((x - x0) / (x1 - x0)) * (frame.bbox[2] - frame.bbox[0]), frame.bbox[3] + ((y - y0) / (y1 - y0)) * (frame.bbox[1] - frame.bbox[3])]
}
