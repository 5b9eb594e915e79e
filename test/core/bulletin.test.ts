import { describe, expect, test } from 'vitest'
import { bulletinPublishDate, buildBulletin, markLateReport, rankTownships, resolvePolicy, zichuanOverrides } from '../../core/index.js'
import type { TownshipMonthFigures } from '../../core/index.js'

const t = (code: string, name: string, f: Partial<TownshipMonthFigures> = {}): TownshipMonthFigures => ({
  townshipCode: code,
  name,
  handledOnTime: 5,
  overdue: 0,
  newViolations: 0,
  illegalFarmlandMu: 0,
  ratio: 0,
  rectification: { due: 0, done: 0 },
  ...f,
})

describe('publish date: the 5th or the last working day before it (004:47 每月5号前)', () => {
  test.each([
    ['2026-02', '2026-02-05', false, 'Thursday the 5th'],
    ['2026-04', '2026-04-03', false, 'the 5th is 清明, the 4th a Saturday → Friday the 3rd'],
    ['2026-07', '2026-07-03', false, 'the 5th is a Sunday → Friday the 3rd'],
    ['2026-10', '2026-10-08', true, '1st-5th are 国庆: first working day after (policy choice)'],
    ['2026-05', '2026-05-06', true, '1st-5th are 劳动节'],
    ['2024-02', '2024-02-05', false, 'Monday'],
  ])('%s → %s (late %s): %s', (month, date, late) => {
    expect(bulletinPublishDate(month)).toEqual({ date, late })
  })
})

describe('ranking (policy bulletin.ranking)', () => {
  test('fewest overdue first, then fewest new violations, then rectification rate; ties share a rank', () => {
    const r = rankTownships([
      t('450329100', '资源镇', { overdue: 2 }),
      t('450329101', '中峰镇', { newViolations: 1 }),
      t('450329102', '梅溪镇'),
      t('450329202', '瓜里乡'),
      t('450329203', '车田苗族乡', { newViolations: 1, rectification: { due: 2, done: 2 } }),
      t('450329204', '两水苗族乡', { newViolations: 1, rectification: { due: 2, done: 1 } }),
    ])
    expect(r.map((x) => [x.rank, x.name])).toEqual([
      [1, '梅溪镇'],
      [1, '瓜里乡'],
      [3, '中峰镇'],
      [3, '车田苗族乡'],
      [5, '两水苗族乡'],
      [6, '资源镇'],
    ])
  })
  test('a county can rank by ratio first', () => {
    const p = resolvePolicy({ bulletin: { ranking: ['ratio:asc'] } })
    const r = rankTownships([t('1', '甲镇', { ratio: 0.2 }), t('2', '乙镇', { ratio: 0.05 })], p)
    expect(r.map((x) => x.name)).toEqual(['乙镇', '甲镇'])
  })
})

describe('buildBulletin', () => {
  const b = buildBulletin({
    county: '资源县',
    period: '2026-09',
    townships: [
      t('450329100', '资源镇', {
        newViolations: 2, illegalFarmlandMu: 3.5, ratio: 0.12, rectification: { due: 3, done: 1 },
        newViolationPatches: [
          { patchNo: 'JC001', deadlines: [{ label: '拆除复耕（一个月内）', due: '2026-10-28' }] },
          { patchNo: 'JC002', deadlines: [{ label: '补办用地手续（3个月内）', due: '2026-12-20' }, { label: '整改到位（整改措施未确定）（3个月内）', due: '2026-10-07' }] },
        ],
      }),
      t('450329101', '中峰镇'),
    ],
  })
  test('title, publish date and approval (001:161 the office director by default; 004:47 局分管负责人 in 淄川)', () => {
    expect(b.title).toBe('资源县2026年9月自然资源卫片执法工作排名通报')
    expect(b.publishOn).toBe('2026-10-08')
    expect(b.late).toBe(true)
    expect(b.approvedBy).toBe('县卫片办主任')
    expect(b.rule).toBe('004_cc43135be01a58c0.txt:47')
    const z = buildBulletin({ county: '淄川区', period: '2026-09', townships: [t('1', '甲镇')] }, resolvePolicy(zichuanOverrides))
    expect(z.approvedBy).toBe('局分管负责人')
  })
  test('004:47 明确查处整改时限: each new violation with its own due dates, a run-out clock is no demand', () => {
    expect(b.requirements).toHaveLength(1)
    expect(b.requirements[0]).toMatchObject({ name: '资源镇', newViolations: 2 })
    expect(b.requirements[0]!.patches).toEqual([
      { patchNo: 'JC001', demands: [{ label: '拆除复耕（一个月内）', due: '2026-10-28' }], lapsed: [] },
      { patchNo: 'JC002', demands: [{ label: '补办用地手续（3个月内）', due: '2026-12-20' }], lapsed: [{ label: '整改到位（整改措施未确定）（3个月内）', due: '2026-10-07' }] },
    ])
    const text = b.requirements[0]!.text
    expect(text).toContain('JC001：须于2026年10月28日前完成拆除复耕（一个月内）')
    expect(text).toContain('JC002：须于2026年12月20日前完成补办用地手续（3个月内）')
    // published 2026-10-08: the clock that ran out on 10-07 is reported as overdue, not demanded
    expect(text).toContain('整改到位（整改措施未确定）（3个月内）已于2026年10月7日到期未完成，已逾期')
    expect(text).not.toContain('须于2026年10月7日')
    // no single publish+1-month date any more
    expect(text).not.toContain('2026年11月8日')
  })
  test.each([
    ['every township has no patch yet (a first bulletin)', [t('1', '甲镇', { patches: 0 }), t('2', '乙镇', { patches: 0 })], true],
    ['one township has a patch', [t('1', '甲镇', { patches: 0 }), t('2', '乙镇', { patches: 1 })], false],
    ['figures from an older caller without the count', [t('1', '甲镇'), t('2', '乙镇')], false],
  ])('004:47 排名通报 with no data says so: %s', (_name, townships, empty) => {
    const nb = buildBulletin({ county: '资源县', period: '2026-09', townships })
    expect(nb.noData === true).toBe(empty)
    expect(nb.text.includes('第1名')).toBe(!empty)
    expect(nb.text.includes('本期无排名数据，不作排名')).toBe(empty)
  })
  test('text carries the ranking and totals', () => {
    expect(b.text).toContain('第1名 中峰镇')
    expect(b.text).toContain('第2名 资源镇')
    expect(b.text).toContain('违法占用耕地3.5亩（比例12.0%）')
    expect(b.text).toContain('新增违法用地2宗')
  })
  test('no new violations: no requirements', () => {
    const quiet = buildBulletin({ county: '资源县', period: '2026-10', townships: [t('1', '中峰镇')] })
    expect(quiet.requirements).toEqual([])
    expect(quiet.publishOn).toBe('2026-11-05')
  })
})

describe('迟报: a bulletin drafted after its publish date (004:47 每月5号前) says so, with the reason', () => {
  const b = buildBulletin({ county: '资源县', period: '2026-02', townships: [t('A', '甲镇')] })
  test.each<[string, string | undefined, string | undefined, string]>([
    ['2026-03-02', undefined, undefined, 'drafted on its day'],
    ['2026-03-05', '2026-02-27', undefined, 'on the publish date itself: on time'],
    ['2026-03-06', '2026-02-27', '本通报应于2026年3月5日前发布，因系统自2026年2月27日起未运行未能按期起草，于2026年3月6日补报', 'a day after'],
    ['2026-04-02', undefined, '本通报应于2026年3月5日前发布，因系统未运行未能按期起草，于2026年4月2日补报', 'last run unknown'],
  ])('drafted %s (last running %s) → %s (%s)', (draftedOn, downSince, reason) => {
    const m = markLateReport(b, draftedOn, downSince)
    expect(m.lateReport?.reason).toBe(reason)
    if (reason) expect(m.text.endsWith(`迟报说明：${reason}。`)).toBe(true)
    else expect(m).toBe(b)
  })
})
