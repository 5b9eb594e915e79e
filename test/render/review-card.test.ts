// The office's review card: the facts the reviewer decides on, the navigation link, and its picture
// (the locator map with the contact sheet of the photos under it).
import { describe, expect, it } from 'vitest'
import type { LoadedPatch } from '../../db/queries/patches.js'
import type { Patch } from '../../db/schema.js'
import { reviewCard, reviewCardPayload, patchCard } from '../../render/cards.js'
import { contactSheetSvg, type SheetPhoto } from '../../render/contact-sheet.js'
import { toGcj02 } from '../../render/navigation.js'
import { reviewPictureSvg, svgToPng } from '../../render/patch-map.js'
import { defaultPolicy } from '../../core/index.js'
import { scene } from '../support/map-scene.js'
import { patchSnapshot } from '../support/patch-snapshot.js'
import { decodePng } from '../support/png.js'

const GREEN = svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="#00c853"/></svg>')

function loaded(over: Parameters<typeof patchSnapshot>[0] = {}): LoadedPatch {
  const snapshot = patchSnapshot({
    id: '7', state: 'reported', areaMu: 16.65, farmlandMu: 12.5, basicFarmlandMu: 4.25,
    proposal: { judgment: { kind: 'illegal', violationType: '农村乱占耕地建房' }, reportedOn: '2026-11-22', by: '9', missing: [] },
    evidence: { photos: 2, flaggedPhotos: 1, locations: 0, documents: 0, fieldCheck: false },
    ...over,
  } as Parameters<typeof patchSnapshot>[0])
  const row = { id: 7, number: snapshot.number, township_id: 1, centroid_lon: 110.6005, centroid_lat: 26.0005 } as Patch
  return { row, townshipCode: '450329100', snapshot }
}

describe('the review card', () => {
  it('carries the proposed judgment, type, area with 耕地 and 永久基本农田, photos, state and coordinates', () => {
    const card = reviewCard(loaded(), '资源镇上报：违法', 'reported')
    const f = Object.fromEntries(card.fields)
    expect(card.title).toBe('待审核：图斑 JC2026450329001')
    expect(f['上报判定']).toContain('农村乱占耕地建房')
    expect(f['类型']).toBe('新增非农建设类（土地）')
    expect(f['面积']).toBe('16.65亩，其中耕地12.5亩、永久基本农田4.25亩')
    expect(f['照片']).toBe('2张（另有1张存疑）')
    expect(f['坐标']).toBe('东经 110°36.030′ 北纬 26°00.030′（CGCS2000，110.600500, 26.000500）')
    // the first six rows (what WeCom shows as rows) hold the decision's facts
    expect(card.fields.slice(0, 6).map(([k]) => k)).toEqual(['上报判定', '类型', '面积', '照片', '状态', '坐标'])
    expect(card.buttons!.map((b) => b.label)).toEqual(['确认', '退回'])
  })

  it('links to 高德 and 百度 at the centroid converted to GCJ-02', () => {
    const card = reviewCard(loaded(), '', 'reported')
    const [glon, glat] = toGcj02(110.6005, 26.0005)
    // GCJ-02 is hundreds of metres off CGCS2000 here: the link must not carry the raw point
    expect(Math.abs(glon - 110.6005) + Math.abs(glat - 26.0005)).toBeGreaterThan(0.002)
    expect(card.links).toEqual([
      { label: '高德地图导航', url: expect.stringContaining(`position=${glon.toFixed(6)},${glat.toFixed(6)}`) },
      { label: '百度地图导航', url: expect.stringContaining(`location=${glat.toFixed(6)},${glon.toFixed(6)}&title=`) },
    ])
    expect(card.links![1]!.url).toContain('coord_type=gcj02')
  })

  it('asks for the picture with the photos counted so far (flagged ones too)', () => {
    expect(reviewCardPayload(loaded(), '', 'reported')).toMatchObject({ mapOfPatch: 7, photoSheet: 3 })
  })

  it('the township card has the coordinates and the navigation links too', () => {
    const card = patchCard(loaded({ state: 'dispatched' }), '资源镇', defaultPolicy, new Date('2026-11-22T02:00:00Z'))
    expect(Object.fromEntries(card.fields)['坐标']).toContain('东经 110°36.030′')
    expect(card.links?.map((l) => l.label)).toEqual(['高德地图导航', '百度地图导航'])
  })
})

describe('the review picture: map and contact sheet', () => {
  const photos: SheetPhoto[] = [
    { bytes: GREEN, mime: 'image/png', distanceM: 12.4, takenAt: new Date('2026-11-05T06:32:00Z'), flags: [] },
    { bytes: GREEN, mime: 'image/png', distanceM: 850, takenAt: new Date('2026-11-05T06:40:00Z'), flags: ['拍摄位置距图斑约850米，超过200米'] },
    { bytes: new Uint8Array(), mime: 'none', distanceM: null, takenAt: null, flags: [] },
  ]
  const svg = reviewPictureSvg(scene(), photos)

  it('puts the map on top and one labelled thumbnail per photo under it, the doubtful one marked', () => {
    expect(svg.indexOf('<path id="patch"')).toBeLessThan(svg.indexOf('<g id="contact-sheet"'))
    expect(svg).toContain('<g id="contact-sheet" data-photos="3" transform="translate(0 560)">')
    const labels = [...svg.matchAll(/data-label="([^"]*)"/g)].map((m) => m[1])
    expect(labels).toEqual(expect.arrayContaining([
      '现场照片 3 张（其中存疑 1 张，不计入举证）',
      '距图斑12米', '2026-11-05 14:32', // China time
      '距图斑850米', '2026-11-05 14:40', '存疑',
      '无定位', '无拍摄时间', '无法预览',
    ]))
    expect(svg.match(/data-flagged="true"/g)).toHaveLength(1)
    expect(/<g data-photo="2" data-flagged="true">/.test(svg)).toBe(true)
  })

  it('shows the thumbnails and the red frame in the pixels', () => {
    const px = decodePng(svgToPng(svg))
    expect(px.height).toBe(560 + 30 + 156 + 8)
    // the first thumbnail's middle is the photo (green); the second one's frame is red
    const [r, g, b] = px.at(6 + 74, 560 + 30 + 56)
    expect(g).toBeGreaterThan(150)
    expect(r).toBeLessThan(60)
    expect(b).toBeLessThan(120)
    const [r2, g2, b2] = px.at(160 + 6 + 1, 560 + 30 + 60)
    expect(r2).toBeGreaterThan(180)
    expect(g2).toBeLessThan(80)
    expect(b2).toBeLessThan(80)
  })

  it('says when no photo came yet, and counts those beyond the picture', () => {
    expect(contactSheetSvg([])).toContain('data-label="现场照片：尚未收到"')
    const many = Array.from({ length: 14 }, () => photos[0]!)
    const sheet = contactSheetSvg(many, 14)
    expect(sheet).toContain('data-photos="12"')
    expect(sheet).toContain('现场照片 14 张，图中为前 12 张')
  })
})
