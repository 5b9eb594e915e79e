import { describe, expect, test } from 'vitest'
import {
  accountabilityItemOf,
  accountabilityYearOfMonth,
  accountabilityYearOn,
  assessAccountability,
  assessWarningTalk,
  countyAccountability,
  defaultPolicy,
  needsWarningTalk,
  remainingAreas,
  remediedAreas,
  resolvePolicy,
  townshipFacts,
  yiyuanOverrides,
} from '../../core/index.js'
import type { AccountabilityItem, PatchSnapshot } from '../../core/index.js'
import { patchSnapshot } from '../support/patch-snapshot.js'

const legal = (mu: number): AccountabilityItem => ({ farmlandMu: mu, judgment: 'legal', landUse: 'new_construction', remedy: 'none' })
const illegal = (mu: number, remedy: AccountabilityItem['remedy'] = 'none', extra: Partial<AccountabilityItem> = {}): AccountabilityItem => ({
  farmlandMu: mu,
  judgment: 'illegal',
  landUse: 'new_construction',
  remedy,
  ...extra,
})

describe('assessAccountability: numerator and denominator (001:65-79)', () => {
  test.each<[string, AccountabilityItem[], number, number]>([
    ['001:69 illegal new construction counts in both', [illegal(10)], 10, 10],
    ['legal new construction counts in the denominator only', [legal(90), illegal(10)], 10, 100],
    ['001:71 已补办完善用地手续: numerator only is deducted', [legal(90), illegal(10, 'permits_completed')], 0, 100],
    ['001:73 已拆除复耕到位: deducted from both', [legal(90), illegal(10, 'demolished_restored')], 0, 90],
    ['001:77 存量建设用地违法 counts in neither', [legal(90), illegal(10), { ...illegal(50), landUse: 'stock_construction' }], 10, 100],
    ['001:77 农业项目破坏耕地 counts in neither', [legal(90), illegal(10), { ...illegal(50), landUse: 'agricultural' }], 10, 100],
    ['001:37 其他用地 counts in neither', [legal(90), illegal(10), { ...legal(40), judgment: 'other' }], 10, 100],
    ['legal stock construction is not new construction', [legal(90), illegal(10), { ...legal(30), landUse: 'stock_construction' }], 10, 100],
    ['001:67 major infrastructure: no deduction of its own', [legal(90), illegal(10, 'none', { majorInfrastructure: true })], 10, 100],
    ['001:67 major infrastructure with permits completed deducts like any other', [legal(90), illegal(10, 'permits_completed', { majorInfrastructure: true })], 0, 100],
    ['empty', [], 0, 0],
  ])('%s', (_name, items, illegalMu, totalMu) => {
    const r = assessAccountability(items, 'township')
    expect(r.illegalMu).toBeCloseTo(illegalMu, 9)
    expect(r.totalMu).toBeCloseTo(totalMu, 9)
    expect(r.ratio).toBeCloseTo(totalMu === 0 ? 0 : illegalMu / totalMu, 9)
  })
})

describe('assessAccountability: thresholds, "以上" includes the number (001:79)', () => {
  test.each<[string, AccountabilityItem[], 'county' | 'township', boolean]>([
    ['county 100亩 at 14.99999% (just under the ratio line)', [illegal(100), legal(566.6667)], 'county', false],
    ['county 100亩 of 600亩 (16.7%)', [illegal(100), legal(500)], 'county', true],
    ['county 15亩 + 85亩 sums to 100 at 20%', [illegal(33.3), illegal(33.3), illegal(33.4), legal(400)], 'county', true],
    ['county 99.9亩 at 50% is below the area line', [illegal(99.9), legal(99.9)], 'county', false],
    ['county 150亩 at 14.9% is below the ratio line', [illegal(149), legal(851)], 'county', false],
    ['county exactly 15% (150 of 1000)', [illegal(150), legal(850)], 'county', true],
    ['township exactly 5亩 and 15% (5 of 33.3333)', [illegal(3), illegal(2), legal(28.3333)], 'township', true],
    ['township 5亩 of 20 (25%)', [illegal(5), legal(15)], 'township', true],
    ['township 4.9亩 at 100%', [illegal(4.9)], 'township', false],
    ['township 6亩 at 14%', [illegal(6), legal(36.86)], 'township', false],
    ['township: demolition brings it under', [illegal(5, 'demolished_restored'), illegal(4), legal(10)], 'township', false],
    ['township: permits bring it under', [illegal(5, 'permits_completed'), illegal(4), legal(10)], 'township', false],
    ['township 5亩 on a small denominator of 5 (100%)', [illegal(5)], 'township', true],
  ])('%s → %s', (_name, items, scope, triggered) => {
    expect(assessAccountability(items, scope).triggered).toBe(triggered)
  })

  test('the policy sets the lines', () => {
    const p = resolvePolicy({ accountability: { township: { minMu: 3 } } })
    expect(assessAccountability([illegal(3), legal(3)], 'township', p).triggered).toBe(true)
    expect(assessAccountability([illegal(3), legal(3)], 'township').triggered).toBe(false)
  })

  test('rejects negative or non-numeric areas', () => {
    expect(() => assessAccountability([illegal(-1)], 'county')).toThrow(RangeError)
    expect(() => assessAccountability([illegal(Number.NaN)], 'county')).toThrow(RangeError)
  })
})

describe('needsWarningTalk (000:41: 永久基本农田、自然保护地5亩以上，或一般耕地10亩以上)', () => {
  test.each([
    ['永久基本农田 5亩 exactly', { basicFarmlandMu: 5, generalFarmlandMu: 0 }, true],
    ['永久基本农田 4.9亩', { basicFarmlandMu: 4.9, generalFarmlandMu: 0 }, false],
    ['自然保护地 5亩', { basicFarmlandMu: 0, natureReserveMu: 5, generalFarmlandMu: 0 }, true],
    ['永久基本农田 3 + 自然保护地 2 share one line', { basicFarmlandMu: 3, natureReserveMu: 2, generalFarmlandMu: 0 }, true],
    ['一般耕地 10亩 exactly', { basicFarmlandMu: 0, generalFarmlandMu: 10 }, true],
    ['一般耕地 9.99亩', { basicFarmlandMu: 0, generalFarmlandMu: 9.99 }, false],
    ['一般耕地 9 + 永久基本农田 4: neither line', { basicFarmlandMu: 4, generalFarmlandMu: 9 }, false],
  ])('%s → %s', (_name, input, expected) => {
    expect(needsWarningTalk(input)).toBe(expected)
  })
  test('gives its reasons in Chinese', () => {
    expect(assessWarningTalk({ basicFarmlandMu: 6, generalFarmlandMu: 12 }).reasons).toEqual([
      '违法占用永久基本农田、自然保护地6亩，达到5亩',
      '违法占用一般耕地12亩，达到10亩',
    ])
  })
})

// ---- issue 12 point 10: one accountability year for 统计, digest, letters and bulletin ----
describe('the accountability year (001:79 一个年度内; 001:59 次年1月20日前 the year is finished)', () => {
  test.each([
    ['2026-11-30', 2026, 'inside the year'],
    ['2027-01-05', 2026, 'before 001:59 Jan 20: still last year (policy choice)'],
    ['2027-01-20', 2026, 'Jan 20 itself: the annual report is due that day'],
    ['2027-01-21', 2027, 'after Jan 20: the new year'],
    ['2026-12-31', 2026, 'the last day'],
  ])('%s → %i (%s)', (date, year) => {
    expect(accountabilityYearOn(date)).toBe(year)
  })
  test.each([
    ['2026-12', 2026, 'the December bulletin, published in January'],
    ['2027-01', 2027, 'January: its last day is past Jan 20'],
    ['2026-06', 2026, 'mid-year'],
  ])('bulletin month %s → %i (%s)', (month, year) => {
    expect(accountabilityYearOfMonth(month)).toBe(year)
  })
  test('a county may move the closing date', () => {
    expect(accountabilityYearOn('2027-01-25', resolvePolicy({ accountabilityYear: { closesOn: { month: 1, day: 31 } } }))).toBe(2026)
    expect(() => resolvePolicy({ accountabilityYear: { closesOn: { month: 2, day: 30 } } })).toThrow(/问责年度截止日期/)
  })
})

describe('townshipFacts and the county line hold the same year (001:79)', () => {
  const ziyuan = { id: 1, code: '450329100', name: '资源镇' }
  const zhongfeng = { id: 2, code: '450329101', name: '中峰镇' }
  const judged = (number: string, issuedOn: string, farmlandMu: number, kind: 'illegal' | 'legal', township = ziyuan, findings?: string[]) => ({
    row: { number, military: false },
    township,
    ...(findings ? { findings } : {}),
    snapshot: patchSnapshot({
      number, issuedOn, farmlandMu, basicFarmlandMu: 0, state: 'judged', judgedOn: issuedOn,
      judgment: kind === 'illegal' ? { kind, violationType: '新增建设用地违法', landUse: 'new_construction' } : { kind, approvalNo: '桂政土批〔2026〕1号' },
    }),
  })
  const patches = [
    judged('A', '2025-11-02', 50, 'illegal'), // last year's
    judged('B', '2026-03-02', 6, 'illegal'),
    judged('C', '2026-04-02', 24, 'legal'),
    judged('D', '2026-05-02', 120, 'illegal', zhongfeng),
    judged('E', '2026-05-03', 400, 'legal', zhongfeng),
  ]
  test.each([
    // 2026: 资源镇 6 of 30 = 20% ≥ 5亩 → 问责; county 126 of 550 = 22.9% ≥ 100亩 → 问责
    ['2026-11-30', 2026, 6, 0.2, true, 126, true],
    // 2026-01-10 shows 2025 (001:59): 资源镇 50 of 50; county 50亩 < 100亩 → not the county line
    ['2026-01-10', 2025, 50, 1, true, 50, false],
  ])('on %s: year %i, 资源镇 %f亩 (%f), county %f亩', (today, year, mu, ratio, triggered, countyMu, countyTriggered) => {
    const f = townshipFacts(ziyuan, patches, today, defaultPolicy)
    expect(f.year).toBe(year)
    expect(f.accountability).toMatchObject({ illegalMu: mu, ratio, triggered })
    const c = countyAccountability(patches, today, defaultPolicy)
    expect(c.year).toBe(year)
    expect(c.illegalMu).toBe(countyMu)
    expect(c.triggered).toBe(countyTriggered)
  })

  // ---- issue 12 point 16: 000:41's 警示约谈 areas, off in 资源县, on 弄虚作假/瞒案不报 findings in 沂源 ----
  const big = [judged('F', '2026-06-01', 12, 'illegal')]
  test.each([
    ['资源县 (001 has no 警示约谈 areas)', defaultPolicy, big, false],
    ['沂源, 12亩 unremedied but no finding: not 000:41', resolvePolicy(yiyuanOverrides), big, false],
    ['沂源, 12亩 一般耕地 with a 瞒案不报 finding (000:41)', resolvePolicy(yiyuanOverrides), [judged('F', '2026-06-01', 12, 'illegal', ziyuan, ['瞒案不报'])], true],
    ['沂源, 8亩 with a 弄虚作假 finding: under 10亩', resolvePolicy(yiyuanOverrides), [judged('F', '2026-06-01', 8, 'illegal', ziyuan, ['弄虚作假'])], false],
  ])('%s', (_name, policy, ps, required) => {
    expect(townshipFacts(ziyuan, ps, '2026-11-30', policy).warningTalk.required).toBe(required)
  })
})

// ── issue 12 point 5: only the accepted part of a partial rectification is deducted (001:71, 001:73) ──
describe('assessAccountability: partial rectification deducts only its areas', () => {
  const part = (mu: number, demolishedFarmlandMu: number, permittedFarmlandMu: number): AccountabilityItem =>
    illegal(mu, 'none', { remedied: { demolishedFarmlandMu, permittedFarmlandMu } })
  test.each<[string, AccountabilityItem[], number, number]>([
    ['001:73 拆除复耕 of 1.5 of 4亩: 1.5 out of both', [legal(6), part(4, 1.5, 0)], 2.5, 8.5],
    ['001:71 补办 of 2 of 4亩: 2 out of the numerator only', [legal(6), part(4, 0, 2)], 2, 10],
    ['001:71/73 both parts: 拆除 1.5 from both, 补办 2.5 from the numerator: nothing illegal left', [legal(6), part(4, 1.5, 2.5)], 0, 8.5],
    ['a remedy larger than the patch deducts no more than the patch', [legal(6), part(4, 9, 9)], 0, 6],
    ['001:73 nothing accepted yet: the whole patch counts', [legal(6), part(4, 0, 0)], 4, 10],
  ])('%s', (_name, items, illegalMu, totalMu) => {
    const r = assessAccountability(items, 'township')
    expect(r.illegalMu).toBeCloseTo(illegalMu, 9)
    expect(r.totalMu).toBeCloseTo(totalMu, 9)
  })
  test('001:79 a partial 拆除复耕 can bring a township under the line, a whole one further', () => {
    expect(assessAccountability([legal(20), illegal(6)], 'township').triggered).toBe(true)
    expect(assessAccountability([legal(20), part(6, 1.5, 0)], 'township').triggered).toBe(false) // 4.5亩 < 5亩
  })
})

describe('accountabilityItemOf and remainingAreas through 验收 (总 = 已整改 + 未整改)', () => {
  const judgment = { kind: 'illegal' as const, violationType: '新增建设用地违法' as const, landUse: 'new_construction' as const }
  test.each<[string, Partial<PatchSnapshot>, { demolishedFarmlandMu: number; permittedFarmlandMu: number } | undefined, { areaMu: number; farmlandMu: number }]>([
    ['nothing accepted', { state: 'rectifying' }, undefined, { areaMu: 5, farmlandMu: 4 }],
    ['001:73 a partial 拆除复耕 accepted, the rest in 整改中', { state: 'rectifying', remedied: { demolishedMu: 2, demolishedFarmlandMu: 1.5, permittedMu: 0, permittedFarmlandMu: 0 } }, { demolishedFarmlandMu: 1.5, permittedFarmlandMu: 0 }, { areaMu: 3, farmlandMu: 2.5 }],
    ['001:71 then the rest by 补办, closed', { state: 'closed', rectification: { measure: 'permits_completed', reportedOn: '2026-11-25', missing: [], docNo: 'x' }, remedied: { demolishedMu: 2, demolishedFarmlandMu: 1.5, permittedMu: 3, permittedFarmlandMu: 2.5 } }, { demolishedFarmlandMu: 1.5, permittedFarmlandMu: 2.5 }, { areaMu: 0, farmlandMu: 0 }],
    ['an older closed 拆除复耕 without areas: the whole patch', { state: 'closed', rectification: { measure: 'demolished_restored', reportedOn: '2026-11-25', missing: [] } }, undefined, { areaMu: 0, farmlandMu: 0 }],
  ])('%s', (_name, over, remedied, left) => {
    const s = patchSnapshot({ judgment, areaMu: 5, farmlandMu: 4, ...over })
    expect(accountabilityItemOf(s)!.remedied).toEqual(remedied)
    expect(remainingAreas(s)).toEqual(left)
    const done = remediedAreas(s)
    // 总 = 已整改 + 未整改
    expect(done.demolishedMu + done.permittedMu + left.areaMu).toBeCloseTo(5, 9)
    expect(done.demolishedFarmlandMu + done.permittedFarmlandMu + left.farmlandMu).toBeCloseTo(4, 9)
  })
})
