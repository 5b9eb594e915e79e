import { describe, expect, test } from 'vitest'
import { escalationFor, photoFlagReasons, warningFor, yearSchedule } from '../../core/index.js'

describe('warningFor: lead times in working days, escalation township → office → leaders', () => {
  test.each<[string, string, string | null, string[], string]>([
    ['2026-11-26', '2026-11-23', 'due_soon', ['township'], '3 working days before'],
    ['2026-11-25', '2026-11-23', null, [], '2 working days before: no warning'],
    ['2026-11-24', '2026-11-23', 'due_soon', ['township'], '"明天"'],
    ['2026-11-23', '2026-11-20', 'due_soon', ['township'], 'Friday for a Monday deadline is 1 working day'],
    ['2026-11-23', '2026-11-23', 'due_today', ['township'], 'due today'],
    ['2026-11-20', '2026-11-23', 'overdue', ['township', 'office'], 'overdue 1 working day'],
    ['2026-11-22', '2026-11-23', 'overdue', ['township', 'office'], 'due on a Sunday, Monday is overdue'],
    ['2026-11-18', '2026-11-23', 'overdue', ['township', 'office', 'leaders'], '3 working days overdue → leaders (004:41)'],
    ['2026-09-30', '2026-10-08', 'overdue', ['township', 'office'], 'National Day does not count'],
  ])('due %s seen %s → %s %j (%s)', (due, today, level, recipients) => {
    const w = warningFor(due, today, '核查上报')
    expect(w?.level ?? null).toBe(level)
    if (w) expect(w.recipients).toEqual(recipients)
  })
  test('text', () => {
    expect(warningFor('2026-11-24', '2026-11-23', '核查上报')!.text).toBe('核查上报将于明天（下一个工作日）到期（2026-11-24）。')
    expect(warningFor('2026-11-18', '2026-11-23', '核查上报')!.text).toBe('核查上报已逾期3个工作日（应于2026-11-18前完成）。')
  })
  test('a step due on a weekend or holiday is warned on the last working day before it', () => {
    // 2026-11-22 is a Sunday: Friday 20th is the last working day (rollOverHolidays is off, so the
    // township finishes before the weekend); 2026-10-03 is in 国庆: 30 September is the last one
    for (const [due, today] of [['2026-11-22', '2026-11-20'], ['2026-10-03', '2026-09-30']] as const) {
      const w = warningFor(due, today, '核查上报')
      expect(w?.level, `${due} seen ${today}`).toBe('due_today')
      expect(w!.recipients).toEqual(['township'])
      expect(w!.text).toBe(`核查上报将于${due}（非工作日）到期，今天是到期前最后一个工作日。`)
    }
    // the day before that last working day is still "明天"
    expect(warningFor('2026-11-22', '2026-11-19', '核查上报')?.level).toBe('due_soon')
  })
  test('escalationFor', () => {
    expect(escalationFor(0)).toEqual(['township'])
    expect(escalationFor(1)).toEqual(['township', 'office'])
    expect(escalationFor(3)).toEqual(['township', 'office', 'leaders'])
  })
})

describe('photoFlagReasons (policy evidence)', () => {
  test.each([
    [{ distanceM: 120, takenOn: '2026-11-22', issuedOn: '2026-11-20' }, 0],
    [{ distanceM: 500, issuedOn: '2026-11-20' }, 0],
    [{ distanceM: 501, issuedOn: '2026-11-20' }, 1],
    [{ takenOn: '2026-10-21', issuedOn: '2026-11-20' }, 0],
    [{ takenOn: '2026-10-20', issuedOn: '2026-11-20' }, 1],
    [{ distanceM: 900, takenOn: '2025-01-01', issuedOn: '2026-11-20' }, 2],
    [{ issuedOn: '2026-11-20' }, 0],
  ])('%j → %i reasons', (photo, n) => {
    expect(photoFlagReasons(photo)).toHaveLength(n)
  })
})

describe('yearSchedule (001:53-61, 003:99, 004:47)', () => {
  const s = yearSchedule(2026)
  const on = (kind: string) => s.filter((x) => x.kind === kind).map((x) => x.date)
  test('quarterly, half-year, annual, military', () => {
    expect(on('quarterly')).toEqual(['2026-01-20', '2026-04-30', '2026-07-20', '2026-10-20'])
    expect(on('half_year')).toEqual(['2026-06-25'])
    expect(on('annual')).toEqual(['2026-01-20'])
    expect(s.find((x) => x.kind === 'annual')!.label).toContain('2025年度')
    expect(on('military')).toEqual(['2026-06-30', '2026-12-31'])
  })
  test('monthly corrections on the 10th and 20th and bulletins by the 5th', () => {
    expect(on('correction')).toHaveLength(24)
    expect(on('bulletin')).toHaveLength(12)
    expect(on('bulletin')).toContain('2026-10-08')
    expect(s.find((x) => x.date === '2026-10-08')!.label).toContain('2026年9月')
  })
})
