import { describe, expect, test } from 'vitest'
import { assessAccountability, assessWarningTalk, needsWarningTalk, resolvePolicy } from '../../core/index.js'
import type { AccountabilityItem } from '../../core/index.js'

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
