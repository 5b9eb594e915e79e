import { describe, expect, test } from 'vitest'
import { deadlinesFor, defaultPolicy, monthlyReportDue, resolvePolicy, wulongOverrides, zichuanOverrides } from '../../core/index.js'
import { patchSnapshot } from '../support/patch-snapshot.js'
import type { PatchSnapshot } from '../../core/index.js'

const patch = (over: Partial<PatchSnapshot> = {}): PatchSnapshot => patchSnapshot({ issuedOn: '2026-09-25', ...over })

describe('deadlinesFor', () => {
  test('001:53 verification: 10 calendar days after issue, not moved off a holiday (2026-10-05 is in 国庆)', () => {
    const v = deadlinesFor(patch(), defaultPolicy).find((d) => d.step === 'verification')!
    expect(v).toEqual({
      step: 'verification',
      due: '2026-10-05',
      unit: 'calendar',
      rule: '001_8c1f6dae78f37652.txt:53',
      label: '核查上报（10日内）',
    })
  })
  test('policy rollOverHolidays moves a calendar deadline to the next working day', () => {
    const p = resolvePolicy({ deadlines: { rollOverHolidays: true } })
    expect(deadlinesFor(patch(), p).find((d) => d.step === 'verification')!.due).toBe('2026-10-08')
  })
  test('001:53 monthly report: issued on/before the 20th → 20th of next month; after → the month after', () => {
    expect(monthlyReportDue('2026-09-20', 20)).toBe('2026-10-20')
    expect(monthlyReportDue('2026-09-21', 20)).toBe('2026-11-20')
    expect(monthlyReportDue('2026-12-05', 20)).toBe('2027-01-20')
    expect(monthlyReportDue('2026-11-25', 20)).toBe('2027-01-20')
    expect(deadlinesFor(patch(), defaultPolicy).find((d) => d.step === 'monthly_report')!.due).toBe('2026-11-20')
  })
  test('001:53 monthly report applies to the two land categories and every mineral patch only', () => {
    expect(deadlinesFor(patch({ category: '其他新增建设类' }), defaultPolicy).some((d) => d.step === 'monthly_report')).toBe(false)
    expect(deadlinesFor(patch({ kind: 'mineral', category: '矿产' }), defaultPolicy).some((d) => d.step === 'monthly_report')).toBe(true)
  })
  test('002:33 judgment is off in 001 and on for 武隆; counted from receipt, or from issue when unknown', () => {
    expect(deadlinesFor(patch(), defaultPolicy).some((d) => d.step === 'judgment')).toBe(false)
    const w = resolvePolicy(wulongOverrides)
    expect(deadlinesFor(patch({ receivedOn: '2026-09-28' }), w).find((d) => d.step === 'judgment')!.due).toBe('2026-10-13')
    expect(deadlinesFor(patch(), w).find((d) => d.step === 'judgment')!.due).toBe('2026-10-10')
    expect(deadlinesFor(patch({ state: 'reported' }), w).some((d) => d.step === 'judgment')).toBe(true)
    expect(deadlinesFor(patch({ state: 'reported' }), w).some((d) => d.step === 'verification')).toBe(false)
  })
  test('001:43 rectification and 004:41 working days, across National Day', () => {
    const p = patch({
      state: 'rectifying',
      judgedOn: '2026-09-30',
      judgment: { kind: 'illegal', violationType: '非农化', landUse: 'new_construction' },
    })
    // issue 12 point 16: 资源县 (001) has no 004:41 steps
    expect(deadlinesFor(p, defaultPolicy).map((d) => d.step)).toEqual(['rectify_unplanned'])
    const due = Object.fromEntries(deadlinesFor(p, resolvePolicy(zichuanOverrides)).map((d) => [d.step, [d.due, d.unit, d.rule]]))
    // issue 12 changes this: until 集体会审 chooses a measure, one clock (the longer) runs, labelled so
    expect(due).toEqual({
      rectify_unplanned: ['2026-12-30', 'months', '001_8c1f6dae78f37652.txt:43'],
      new_violation_report: ['2026-10-09', 'workdays', '004_cc43135be01a58c0.txt:41'],
      new_violation_escalate: ['2026-10-10', 'workdays', '004_cc43135be01a58c0.txt:41'],
    })
  })
  test('004:41 does not apply to stock construction or agricultural violations', () => {
    const p = patch({ state: 'rectifying', judgedOn: '2026-09-30', judgment: { kind: 'illegal', violationType: '存量建设用地违法', landUse: 'stock_construction' } })
    expect(deadlinesFor(p, defaultPolicy).map((d) => d.step).sort()).toEqual(['rectify_unplanned'])
  })
  test('sorted by due date; closed patches have no open step', () => {
    const list = deadlinesFor(patch(), defaultPolicy)
    expect(list.map((d) => d.due)).toEqual([...list.map((d) => d.due)].sort())
    expect(deadlinesFor(patch({ state: 'closed' }), defaultPolicy)).toEqual([])
  })
})

describe('001:43 only the chosen measure\'s clock applies (issue 12 point 4)', () => {
  const judgment = { kind: 'illegal' as const, violationType: '新增建设用地违法' as const, landUse: 'new_construction' as const }
  test.each<[string, Partial<PatchSnapshot>, string, string, string]>([
    ['not chosen: the longer period, said to be unchosen', {}, 'rectify_unplanned', '2026-12-30', '整改到位（整改措施未确定）（3个月内）'],
    ['集体会审 拟拆除复耕: one month', { plannedMeasure: 'demolished_restored' }, 'rectify_demolish', '2026-10-30', '拆除复耕（一个月内）'],
    ['集体会审 拟补办: three months', { plannedMeasure: 'permits_completed' }, 'rectify_permits', '2026-12-30', '补办用地手续（3个月内）'],
  ])('%s', (_name, over, step, due, label) => {
    const p = patch({ state: 'rectifying', judgedOn: '2026-09-30', judgment, ...over })
    const rect = deadlinesFor(p, defaultPolicy).filter((d) => d.step.startsWith('rectify_'))
    expect(rect).toEqual([{ step, due, unit: 'months', rule: '001_8c1f6dae78f37652.txt:43', label }])
  })
})
