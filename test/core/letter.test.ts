import { describe, expect, test } from 'vitest'
import { assessAccountability, buildLetter, chineseDocDate, chineseNumber, letterDue } from '../../core/index.js'
import type { AccountabilityItem } from '../../core/index.js'

const items = (illegalMu: number, legalMu: number): AccountabilityItem[] => [
  { farmlandMu: illegalMu, judgment: 'illegal', landUse: 'new_construction', remedy: 'none' },
  { farmlandMu: legalMu, judgment: 'legal', landUse: 'new_construction', remedy: 'none' },
]

describe('letterDue (001:51; policy letters)', () => {
  test.each([
    ['at the township line 5亩/15% (001:79) → 执法监督建议函', 5, 20, 'supervision_advice'],
    ['near the line: 4亩 at 13.3% (≥80% of both) → 警示提醒函', 4, 26, 'warning_reminder'],
    ['3.9亩: not near', 3.9, 10, null],
    ['6亩 at 11%: ratio not near', 6, 48.5, null],
  ])('%s', (_name, illegalMu, legalMu, kind) => {
    const accountability = assessAccountability(items(illegalMu, legalMu), 'township')
    expect(letterDue({ townshipCode: '1', name: '资源镇', accountability })?.kind ?? null).toBe(kind)
  })
  test.each([
    [2, null],
    [3, 'warning_reminder'],
    [9, 'warning_reminder'],
    [10, 'supervision_advice'],
  ])('overdue %i working days → %s (001:91 超过规定时限)', (overdueWorkdays, kind) => {
    const d = letterDue({ townshipCode: '1', name: '资源镇', overdue: [{ patchNo: 'JC2026450329001', label: '核查上报', due: '2026-11-10', overdueWorkdays }] })
    expect(d?.kind ?? null).toBe(kind)
  })
  test('000:41 警示约谈 areas → 执法监督建议函 with the reasons', () => {
    const d = letterDue({ townshipCode: '1', name: '瓜里乡', warningTalk: { required: true, reasons: ['违法占用一般耕地12亩，达到10亩'] } })
    expect(d).toEqual({ kind: 'supervision_advice', reasons: ['违法占用一般耕地12亩，达到10亩'] })
  })
})

describe('buildLetter', () => {
  test('structure and 成文日期 in Chinese style', () => {
    const l = buildLetter({ kind: 'warning_reminder', county: '资源县', township: '瓜里乡', reasons: ['2项工作逾期3个工作日以上'], date: '2026-11-23' })
    expect(l.title).toBe('关于瓜里乡自然资源卫片执法工作的警示提醒函')
    expect(l.to).toBe('瓜里乡人民政府')
    expect(l.signature).toBe('资源县土地矿产卫片执法监督检查工作领导小组办公室')
    expect(l.dateText).toBe('二〇二六年十一月二十三日')
    expect(l.paragraphs[0]).toContain('你乡')
    expect(l.paragraphs[1]).toBe('1. 2项工作逾期3个工作日以上。')
    expect(l.rule).toBe('001_8c1f6dae78f37652.txt:51')
  })
  test('the supervision letter names the next steps of 001:91 and 001:95', () => {
    const l = buildLetter({ kind: 'supervision_advice', county: '资源县', township: '资源镇', reasons: ['x'], date: '2026-01-01', docNo: '资卫片办函〔2026〕1号' })
    expect(l.title).toBe('关于资源镇自然资源卫片执法工作的自然资源执法监督建议函')
    expect(l.to).toBe('资源镇人民政府')
    expect(l.docNo).toBe('资卫片办函〔2026〕1号')
    expect(l.paragraphs.join('')).toContain('约谈')
    expect(l.paragraphs.join('')).toContain('移交纪检监察机关')
    expect(l.dateText).toBe('二〇二六年一月一日')
  })
  test.each([
    [1, '一'],
    [10, '十'],
    [11, '十一'],
    [20, '二十'],
    [23, '二十三'],
    [31, '三十一'],
  ])('chineseNumber(%i) = %s', (n, s) => expect(chineseNumber(n)).toBe(s))
  test('chineseDocDate', () => {
    expect(chineseDocDate('2020-10-30')).toBe('二〇二〇年十月三十日')
    expect(chineseDocDate('2023-09-24')).toBe('二〇二三年九月二十四日') // 001:16 2023年9月24日
  })
})
