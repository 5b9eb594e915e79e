import { describe, expect, test } from 'vitest'
import {
  CalendarRangeError,
  dueText,
  isEstimatedDate,
  InvalidDateError,
  addCalendarDays,
  addMonths,
  addPeriod,
  addWorkdays,
  chinaDate,
  isWorkday,
  lastCoveredYear,
  workdaysBetween,
} from '../../core/index.js'

// Working days follow the State Council notices (DESIGN "Working days"; 004_cc43135be01a58c0.txt:41
// and 003_2681e0387a043106.txt:103 count in 工作日).
describe('isWorkday: holidays and 调休 make-up days', () => {
  test.each([
    ['2026-02-14', true, 'Saturday make-up day before 2026 春节 (国办发明电〔2025〕7号)'],
    ['2026-02-28', true, 'Saturday make-up day after 2026 春节'],
    ['2026-02-15', false, '2026 春节 first day (Sunday)'],
    ['2026-02-16', false, '2026 春节 Monday'],
    ['2026-02-23', false, '2026 春节 last day (Monday)'],
    ['2026-02-24', true, 'first working day after 2026 春节'],
    ['2026-02-21', false, 'ordinary Saturday inside 春节'],
    ['2019-09-29', true, 'Sunday make-up day before 2019 国庆'],
    ['2019-10-12', true, 'Saturday make-up day after 2019 国庆'],
    ['2019-10-07', false, '2019 国庆 last day (Monday)'],
    ['2019-10-08', true, 'first working day after 2019 国庆'],
    ['2024-02-04', true, 'Sunday make-up day before 2024 春节'],
    ['2024-02-18', true, 'Sunday make-up day after 2024 春节'],
    ['2024-02-10', false, '2024 春节 (Saturday)'],
    ['2026-09-20', true, 'Sunday make-up day before 2026 国庆'],
    ['2026-10-10', true, 'Saturday make-up day after 2026 国庆'],
    ['2026-10-07', false, '2026 国庆 (Wednesday)'],
    ['2026-10-08', true, 'Thursday after 2026 国庆'],
    ['2023-12-31', false, 'Sunday, year end'],
    ['2024-01-01', false, '元旦 2024'],
    ['2018-01-01', false, '元旦 2018, first covered year'],
    ['2026-01-04', true, 'Sunday make-up day after 2026 元旦'],
    ['2026-11-23', true, 'ordinary Monday'],
    ['2026-11-22', false, 'ordinary Sunday'],
  ])('%s → %s (%s)', (date, expected) => {
    expect(isWorkday(date)).toBe(expected)
  })

  test('does not depend on the server time zone', () => {
    const saved = process.env.TZ
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Shanghai', 'UTC']) {
        process.env.TZ = tz
        expect(isWorkday('2026-02-14'), tz).toBe(true)
        expect(isWorkday('2026-02-16'), tz).toBe(false)
        expect(isWorkday('2024-02-04'), tz).toBe(true)
      }
    } finally {
      if (saved === undefined) delete process.env.TZ
      else process.env.TZ = saved
    }
  })
})

describe('addWorkdays: the n-th working day after date, date not counted', () => {
  test.each([
    ['2026-11-20', 1, '2026-11-23', 'Friday + 1 → Monday'],
    ['2026-11-23', 2, '2026-11-25', 'Monday + 2 (004:41 two working days)'],
    ['2026-11-22', 1, '2026-11-23', 'from a Sunday'],
    ['2026-02-13', 1, '2026-02-14', 'Friday + 1 → make-up Saturday'],
    ['2026-02-13', 2, '2026-02-24', 'across the Spring Festival week'],
    ['2026-02-14', 3, '2026-02-26', 'from the make-up Saturday'],
    ['2026-09-30', 1, '2026-10-08', 'across National Day'],
    ['2026-09-30', 3, '2026-10-10', 'National Day then the make-up Saturday'],
    ['2019-09-27', 1, '2019-09-29', 'Friday + 1 → make-up Sunday 2019-09-29'],
    ['2023-12-29', 1, '2024-01-02', 'year boundary with 元旦'],
    ['2024-02-02', 1, '2024-02-04', 'Friday + 1 → make-up Sunday 2024-02-04'],
    ['2026-11-25', 0, '2026-11-25', 'zero'],
    ['2026-11-23', -1, '2026-11-20', 'backwards'],
    ['2026-10-08', -1, '2026-09-30', 'backwards across National Day'],
  ])('%s + %i → %s (%s)', (date, n, expected) => {
    expect(addWorkdays(date, n)).toBe(expected)
  })

  test('workdaysBetween is its inverse', () => {
    for (const [date, n] of [
      ['2026-02-13', 2],
      ['2026-09-30', 3],
      ['2023-12-29', 5],
      ['2026-11-23', -4],
      ['2026-10-08', -2],
    ] as const) {
      expect(workdaysBetween(date, addWorkdays(date, n))).toBe(n)
    }
    expect(workdaysBetween('2026-02-13', '2026-02-24')).toBe(2)
    expect(workdaysBetween('2026-11-23', '2026-11-23')).toBe(0)
  })
})

describe('calendar days and months', () => {
  test.each([
    ['2026-11-23', 10, '2026-12-03', '001:53 10日内'],
    ['2023-12-25', 10, '2024-01-04', 'year boundary'],
    ['2024-02-25', 5, '2024-03-01', 'leap year February'],
  ])('addCalendarDays %s + %i → %s (%s)', (d, n, e) => expect(addCalendarDays(d, n)).toBe(e))

  test.each([
    ['2026-03-15', 1, '2026-04-15', '001:43 一个月内'],
    ['2026-01-31', 1, '2026-02-28', 'clamped to the end of February'],
    ['2024-01-31', 1, '2024-02-29', 'leap year'],
    ['2026-11-30', 3, '2027-02-28', '001:43 三个月内, across a year'],
    ['2026-03-31', -1, '2026-02-28', 'backwards'],
  ])('addMonths %s + %i → %s (%s)', (d, n, e) => expect(addMonths(d, n)).toBe(e))

  test('addPeriod follows the unit', () => {
    expect(addPeriod('2026-02-13', { days: 2, unit: 'workdays' })).toBe('2026-02-24')
    expect(addPeriod('2026-02-13', { days: 2, unit: 'calendar' })).toBe('2026-02-15')
    expect(addPeriod('2026-02-13', { months: 1, unit: 'months' })).toBe('2026-03-13')
  })
})

describe('chinaDate: YYYY-MM-DD in Asia/Shanghai', () => {
  test.each([
    ['2026-11-22T15:59:59Z', '2026-11-22'],
    ['2026-11-22T16:00:00Z', '2026-11-23'],
    ['2026-12-31T16:30:00Z', '2027-01-01'],
    ['2026-11-23T08:00:00+08:00', '2026-11-23'],
  ])('%s → %s', (iso, expected) => expect(chinaDate(new Date(iso))).toBe(expected))

  test('rejects an invalid Date', () => {
    expect(() => chinaDate(new Date('nope'))).toThrow(InvalidDateError)
  })
})

describe('range: before the data the calendar refuses; after it, it estimates and says so', () => {
  test('covers 2018 to 2026', () => {
    expect(lastCoveredYear()).toBeGreaterThanOrEqual(2026)
  })
  test.each(['2017-12-29', '1999-01-01'])('%s throws CalendarRangeError', (d) => {
    expect(() => isWorkday(d)).toThrow(CalendarRangeError)
    expect(() => isWorkday(d)).toThrow(/节假日数据只覆盖2018年/)
  })
  test.skipIf(lastCoveredYear() > 2026).each([
    ['2027-01-01', false, '元旦 never moves'],
    ['2027-01-04', true, 'a Monday'],
    ['2027-01-09', false, 'a Saturday'],
    ['2027-10-02', false, '国庆 1–3日 never move'],
  ])('%s past the data: workday %s (%s), marked as an estimate', (d, workday) => {
    expect(isWorkday(d)).toBe(workday)
    expect(isEstimatedDate(d)).toBe(true)
    expect(dueText(d)).toMatch(/预估，2027年节假日安排尚未发布/)
  })
  test.skipIf(lastCoveredYear() > 2026)('addWorkdays running past the data estimates (004:41 3 working days on Dec 29)', () => {
    expect(addWorkdays('2026-12-30', 5)).toBe('2027-01-07')
    expect(addWorkdays('2026-12-29', 3)).toBe('2027-01-04')
    expect(isEstimatedDate('2026-12-31')).toBe(false)
    expect(dueText('2026-12-31')).toBe('2026-12-31')
  })
  test.each(['2026-02-30', '2026-2-3', '20260203', ''])('invalid date %j throws InvalidDateError', (d) => {
    expect(() => isWorkday(d)).toThrow(InvalidDateError)
  })
})
