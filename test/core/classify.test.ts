import { describe, expect, test } from 'vitest'
import { classifyPatch, issueFacts, resolvePolicy, xingyangOverrides, zonesOf } from '../../core/index.js'
import type { Polygon } from 'geojson'
import { patchSnapshot } from '../support/patch-snapshot.js'
import type { PatchFacts } from '../../core/index.js'

const land = (f: Partial<PatchFacts> = {}): PatchFacts => ({
  kind: 'land',
  category: '新增非农建设类',
  areaMu: 0,
  farmlandMu: 0,
  basicFarmlandMu: 0,
  redLineMu: 0,
  ...f,
})

describe('key patches (001:35)', () => {
  test.each<[string, PatchFacts, boolean]>([
    ['suspected illegal 耕地 50亩 exactly', land({ farmlandMu: 50 }), true],
    ['耕地 49.9亩', land({ farmlandMu: 49.9 }), false],
    ['永久基本农田 25亩', land({ basicFarmlandMu: 25 }), true],
    ['生态保护红线 25亩', land({ redLineMu: 25 }), true],
    ['永久基本农田 24 + 红线 24 (either, not their sum)', land({ basicFarmlandMu: 24, redLineMu: 24 }), false],
    ['年度内持续变化类 耕地 60亩', land({ category: '年度内持续变化类', farmlandMu: 60 }), true],
    ['其他新增建设类 耕地 60亩: not one of the two categories', land({ category: '其他新增建设类', farmlandMu: 60 }), false],
    ['judged legal: no longer 疑似违法', land({ farmlandMu: 60, judgment: 'legal' }), false],
    ['mineral illegal mining 5亩', { ...land({ areaMu: 5 }), kind: 'mineral', category: '矿产' }, true],
    ['mineral 4.9亩', { ...land({ areaMu: 4.9 }), kind: 'mineral', category: '矿产' }, false],
    ['拆除复耕 永久基本农田 5亩', land({ category: '其他', basicFarmlandMu: 5, measure: 'demolished_restored' }), true],
    ['拆除复耕 耕地 25亩', land({ category: '其他', farmlandMu: 25, measure: 'demolished_restored' }), true],
    ['拆除复耕 耕地 24亩', land({ category: '其他', farmlandMu: 24, measure: 'demolished_restored' }), false],
    ['补办 耕地 30亩, other category', land({ category: '其他', farmlandMu: 30, measure: 'permits_completed' }), false],
  ])('%s → %s', (_name, facts, key) => {
    const c = classifyPatch(facts)
    expect(c.key).toBe(key)
    expect(c.keyReasons.length > 0).toBe(key)
  })

  test('reasons are Chinese and say the threshold', () => {
    expect(classifyPatch(land({ farmlandMu: 60.5 })).keyReasons).toEqual(['疑似违法占用耕地60.5亩，达到50亩'])
  })

  test.each<[string, PatchFacts, boolean]>([
    ['003:45 any 永久基本农田', land({ category: '其他', basicFarmlandMu: 0.5 }), true],
    ['003:45 耕地 5亩', land({ category: '其他', farmlandMu: 5 }), true],
    ['003:45 临时用地', land({ category: '其他', otherKind: '临时用地' }), true],
    ['003:45 设施农用地 (spelt the 003 way)', land({ category: '其他', otherKind: '设施农用地' }), true],
    ['003:45 报拆除', land({ category: '其他', measure: 'demolished_restored' }), true],
    ['003:45 every mineral patch', { ...land({ areaMu: 0.1 }), kind: 'mineral' }, true],
    ['003:45 耕地 4亩, nothing else', land({ category: '其他', farmlandMu: 4 }), false],
  ])('wider list when the policy enables it: %s → %s', (_name, facts, key) => {
    expect(classifyPatch(facts, resolvePolicy(xingyangOverrides)).key).toBe(key)
    if (key) expect(classifyPatch(facts).key).toBe(false)
  })
})

describe('city verification of 拆除复耕 (001:41)', () => {
  test.each<[string, Partial<PatchFacts>, boolean]>([
    ['永久基本农田 5亩', { basicFarmlandMu: 5, measure: 'demolished_restored' }, true],
    ['红线 5亩', { redLineMu: 5, measure: 'demolished_restored' }, true],
    ['耕地 10亩', { farmlandMu: 10, measure: 'demolished_restored' }, true],
    ['耕地 9.9亩', { farmlandMu: 9.9, measure: 'demolished_restored' }, false],
    ['耕地 20亩 but 补办', { farmlandMu: 20, measure: 'permits_completed' }, false],
  ])('%s → %s', (_name, f, expected) => {
    expect(classifyPatch(land({ category: '其他', ...f })).cityVerification).toBe(expected)
  })
})

describe('military land (001:61) and routing (002:46-60)', () => {
  test('military flag', () => {
    expect(classifyPatch(land({ military: true })).military).toBe(true)
    expect(classifyPatch(land()).military).toBe(false)
  })
  test.each<[string, Partial<PatchFacts>, string[]]>([
    ['002:46 农村乱占耕地建房 → 农业农村', { violationType: '农村乱占耕地建房' }, ['县自然资源局', '县农业农村局']],
    ['002:48 城镇规划区 → 住建 (资源县 has no 城市管理局)', { zones: ['urban_planning_area'] }, ['县自然资源局', '县住建局']],
    ['002:50 交通沿线 → 交通', { zones: ['transport_line'] }, ['县自然资源局', '县交通运输局']],
    ['002:52 生态红线 → 生态环境 (from the red-line area)', { redLineMu: 1 }, ['县自然资源局', '资源生态环境局']],
    ['002:54 河道 → 水利', { zones: ['river'] }, ['县自然资源局', '县水利局']],
    ['002:56 自然保护地及林地 → 林业', { zones: ['forest_or_reserve'] }, ['县自然资源局', '县林业局']],
    ['002:58 阻碍执法 → 公安', { zones: ['crime_or_obstruction'] }, ['县自然资源局', '县公安局']],
    ['002:60 断供', { zones: ['utility_cut'] }, ['县自然资源局', '县发改局']],
    ['several', { violationType: '农村乱占耕地建房', zones: ['river'] }, ['县自然资源局', '县农业农村局', '县水利局']],
  ])('%s', (_name, f, departments) => {
    expect(classifyPatch(land({ judgment: 'illegal', ...f })).departments).toEqual(departments)
  })
  test('only illegal patches are routed', () => {
    expect(classifyPatch(land({ zones: ['river'] })).departments).toEqual([])
    expect(classifyPatch(land({ judgment: 'legal', zones: ['river'] })).departments).toEqual([])
  })
})

// ---- issue 12 point 14: the zone layers make every zone route of 002 fire ----
describe('zonesOf: the zone layers a patch touches (002:46-60)', () => {
  const square = (x: number, y: number, d = 0.001): Polygon => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] })
  const patch = square(110.6, 26.0)
  test.each([
    ['城镇开发边界 → urban_planning_area (002:48)', 'urban_development', square(110.6005, 26.0005), ['urban_planning_area']],
    ['交通沿线 → transport_line (002:50)', 'transport', square(110.6005, 26.0005), ['transport_line']],
    ['河道管理范围 → river (002:54)', 'river', square(110.6005, 26.0005), ['river']],
    ['林地/自然保护地 → forest_or_reserve (002:56)', 'forest', square(110.6005, 26.0005), ['forest_or_reserve']],
    ['a zone nearby but not touching', 'river', square(110.61, 26.01), []],
    ['a protection layer is no zone', 'farmland', square(110.6005, 26.0005), []],
  ] as const)('%s', (_name, layer, geometry, zones) => {
    expect(zonesOf(patch, [{ layer, geometry }])).toEqual(zones)
  })
  test('a patch in several zones is routed to each department, after the lead office', () => {
    const zones = zonesOf(patch, [
      { layer: 'river', geometry: square(110.6005, 26.0005) },
      { layer: 'forest', geometry: square(110.6, 25.9995) },
    ])
    expect(zones).toEqual(['river', 'forest_or_reserve'])
    const s = patchSnapshot({ zones, judgment: { kind: 'illegal', violationType: '新增建设用地违法', landUse: 'new_construction' } })
    expect(classifyPatch({ ...issueFacts(s), judgment: 'illegal' }).departments).toEqual(['县自然资源局', '县水利局', '县林业局'])
  })
})
