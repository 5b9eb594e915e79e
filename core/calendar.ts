// Working days on the Chinese calendar (statutory holidays and 调休 make-up working days) from the
// `chinese-days` package, which carries the State Council notices. All dates are `YYYY-MM-DD` strings
// in China time; arithmetic is done on UTC day numbers so the server's time zone never matters.
import { AppError } from './errors.js'
import chineseDays from 'chinese-days'
import type { Period } from './policy.js'

/** The first year whose working days we know (the earliest seed deadlines fall in 2018). */
export const FIRST_CALENDAR_YEAR = 2018

export class CalendarRangeError extends AppError<'calendar-range'> {
  constructor(readonly date: string) {
    super(
      'calendar-range',
      `节假日数据只覆盖${FIRST_CALENDAR_YEAR}年至${lastCoveredYear()}年，无法判断${date}是否为工作日；` +
        '请更新节假日数据（chinese-days）后再计算。',
    )
  }
}

export class InvalidDateError extends AppError<'invalid-date'> {
  constructor(readonly input: unknown) {
    super('invalid-date', `日期格式应为 YYYY-MM-DD（收到：${String(input)}）`)
  }
}

const DAY_MS = 86_400_000
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Days since 1970-01-01 for a valid `YYYY-MM-DD`; throws InvalidDateError otherwise. */
export function dayNumber(date: string): number {
  const m = typeof date === 'string' ? DATE_RE.exec(date) : null
  if (!m) throw new InvalidDateError(date)
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  const ms = Date.UTC(y, mo - 1, d)
  const back = new Date(ms)
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new InvalidDateError(date)
  }
  return ms / DAY_MS
}

export function fromDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10)
}

export function isValidDate(date: string): boolean {
  try {
    dayNumber(date)
    return true
  } catch {
    return false
  }
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7 // 1970-01-01 was a Thursday
}

/** Today's date in China (UTC+8, no daylight saving) for an instant. */
export function chinaDate(now: Date): string {
  const t = now.getTime()
  if (!Number.isFinite(t)) throw new InvalidDateError(now)
  return new Date(t + 8 * 3_600_000).toISOString().slice(0, 10)
}

// The package formats dates with local-time getters; a Date built at local noon of the wanted day
// reads back as that day in every time zone.
function localNoon(date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, d, 12)
}

const coverage = new Map<number, boolean>()

/** A year is covered when the package knows its New Year's Day holiday (every notice has one). */
function yearCovered(year: number): boolean {
  let known = coverage.get(year)
  if (known === undefined) {
    const detail = chineseDays.getDayDetail(localNoon(`${String(year).padStart(4, '0')}-01-01`))
    known = detail.work === false && detail.name.includes('元旦')
    coverage.set(year, known)
  }
  return known
}

/** The last year the installed holiday data covers (2026 for chinese-days 1.5.7). */
export function lastCoveredYear(): number {
  let y = FIRST_CALENDAR_YEAR
  while (yearCovered(y + 1)) y++
  return y
}

function assertCovered(date: string): void {
  const year = Number(date.slice(0, 4))
  if (year < FIRST_CALENDAR_YEAR || !yearCovered(year)) throw new CalendarRangeError(date)
}

/**
 * Whether `date` lies past the installed holiday data (the State Council publishes next year's
 * notice late in the year): its working days are estimated, and whoever shows such a date says so.
 */
export function isEstimatedDate(date: string): boolean {
  dayNumber(date)
  return Number(date.slice(0, 4)) > lastCoveredYear()
}

// policy choice: past the latest notice, deadlines are estimated rather than refused — a township
// confirmed on Dec 29 must still get its 3 working days. Monday–Friday count, less the holidays whose
// dates never move (元旦, 劳动节, 国庆 1–3日). Lunar holidays and 调休 make-up working days are unknown,
// so such a date is estimated, no more: it may be early or late; every such date is shown as an
// estimate (`isEstimatedDate`).
const FIXED_HOLIDAYS = new Set(['01-01', '05-01', '10-01', '10-02', '10-03'])

/** Whether `date` is a working day in mainland China (调休 Saturdays/Sundays count as working days). */
export function isWorkday(date: string): boolean {
  dayNumber(date)
  if (Number(date.slice(0, 4)) >= FIRST_CALENDAR_YEAR && isEstimatedDate(date)) {
    const wd = weekday(date)
    return wd !== 0 && wd !== 6 && !FIXED_HOLIDAYS.has(date.slice(5))
  }
  assertCovered(date)
  return chineseDays.isWorkday(localNoon(date))
}

/** A due date as people should read it: marked when it rests on estimated working days. */
export function dueText(date: string): string {
  return isEstimatedDate(date) ? `${date}（预估，${date.slice(0, 4)}年节假日安排尚未发布）` : date
}

/** Name of the holiday or make-up working day, when there is one (e.g. 春节, 国庆节). */
export function dayName(date: string): string | undefined {
  dayNumber(date)
  if (isEstimatedDate(date)) return undefined
  assertCovered(date)
  const detail = chineseDays.getDayDetail(localNoon(date))
  const parts = detail.name.split(',')
  return parts.length >= 2 ? parts[1] : undefined
}

export function addCalendarDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`天数应为整数（收到：${n}）`)
  return fromDayNumber(dayNumber(date) + n)
}

/**
 * The n-th working day after `date` (date itself not counted); n < 0 counts backwards,
 * n = 0 returns `date` unchanged.
 */
export function addWorkdays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`工作日数应为整数（收到：${n}）`)
  let day = dayNumber(date)
  const step = n >= 0 ? 1 : -1
  let left = Math.abs(n)
  while (left > 0) {
    day += step
    if (isWorkday(fromDayNumber(day))) left--
  }
  return fromDayNumber(day)
}

/**
 * "一个月内": the same day n months later, or the month's last day when it has no such day
 * (01-31 + 1 month = 02-28/29).
 */
export function addMonths(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`月数应为整数（收到：${n}）`)
  dayNumber(date)
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const total = y * 12 + (m - 1) + n
  const ny = Math.floor(total / 12)
  const nm = total - ny * 12
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate()
  return fromDayNumber(Date.UTC(ny, nm, Math.min(d, last)) / DAY_MS)
}

/**
 * Working days after `from` up to and including `to`: addWorkdays(a, n) = b ⇒ workdaysBetween(a, b) = n.
 * Negative when `to` is before `from`.
 */
export function workdaysBetween(from: string, to: string): number {
  const a = dayNumber(from)
  const b = dayNumber(to)
  if (a === b) return 0
  // forward: workdays in (from, to]; backward: workdays in [to, from) — the days addWorkdays steps on
  const [lo, hi, sign] = a < b ? [a + 1, b, 1] : [b, a - 1, -1]
  coverSpan(lo, hi)
  return sign * (totals[hi - spanStart]! - (lo > spanStart ? totals[lo - 1 - spanStart]! : 0))
}

// Working days counted once per day and kept as running totals over the span asked so far: a
// warnings run asks for thousands of spans ending today (province scale), each is now two lookups.
let spanStart = 0
let totals: number[] = [] // totals[i] = working days in [spanStart, spanStart + i]

function coverSpan(lo: number, hi: number) {
  const end = spanStart + totals.length - 1
  if (totals.length > 0 && lo >= spanStart && hi <= end) return
  const from = totals.length === 0 ? lo : Math.min(lo, spanStart)
  const to = totals.length === 0 ? hi : Math.max(hi, end)
  const next: number[] = []
  let n = 0
  // isWorkday throws past the holiday data, as the day-by-day count did
  for (let x = from; x <= to; x++) next.push((n += isWorkday(fromDayNumber(x)) ? 1 : 0))
  spanStart = from
  totals = next
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from)
}

/** The date a period ends, counted from `date` (the start day itself not counted). */
export function addPeriod(date: string, period: Period): string {
  switch (period.unit) {
    case 'calendar':
      return addCalendarDays(date, period.days)
    case 'workdays':
      return addWorkdays(date, period.days)
    case 'months':
      return addMonths(date, period.months)
  }
}

/** The first working day on or after `date`. */
export function nextWorkdayOnOrAfter(date: string): string {
  return isWorkday(date) ? date : addWorkdays(date, 1)
}

/** The last working day on or before `date`. */
export function lastWorkdayOnOrBefore(date: string): string {
  return isWorkday(date) ? date : addWorkdays(date, -1)
}
