// The county's fixed dates of a year: monthly corrections, quarterly self-checks, half-year and annual
// reports, military-land reports and the monthly bulletin. Jobs ask this instead of knowing the dates.
import { addMonths, dayNumber, lastWorkdayOnOrBefore, nextWorkdayOnOrAfter } from './calendar.js'
import { defaultPolicy } from './policy.js'
import type { Policy } from './policy.js'

export interface ScheduledDate {
  date: string
  kind: 'correction' | 'progress' | 'quarterly' | 'half_year' | 'annual' | 'military' | 'bulletin'
  label: string
  rule: string
}

const pad = (n: number): string => String(n).padStart(2, '0')
const ymd = (y: number, m: number, d: number): string => `${y}-${pad(m)}-${pad(d)}`
const lastDay = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate()

/**
 * The bulletin's publish date for a month (`YYYY-MM`): the policy day (5th, 004_cc43135be01a58c0.txt:47)
 * or the last working day before it in that month. policy choice: when the 1st to the 5th are all
 * holidays (国庆, sometimes 春节), publish on the first working day after — never in the previous
 * month, before the month being reported on has ended. `late` says so.
 */
export function bulletinPublishDate(month: string, policy: Policy = defaultPolicy): { date: string; late: boolean } {
  const target = `${month}-${pad(policy.bulletin.day)}`
  dayNumber(target)
  const before = lastWorkdayOnOrBefore(target)
  if (before.slice(0, 7) === month) return { date: before, late: false }
  return { date: nextWorkdayOnOrAfter(target), late: true }
}

/** Every fixed date falling in `year`, sorted. Uses the calendar only for the bulletin dates. */
export function yearSchedule(year: number, policy: Policy = defaultPolicy): ScheduledDate[] {
  const p = policy.periodic
  const out: ScheduledDate[] = []
  for (let m = 1; m <= 12; m++) {
    for (const c of p.correctionDays) out.push({ date: ymd(year, m, c.day), kind: 'correction', label: `每月${c.day}日前${c.label}`, rule: c.rule })
    if (p.progressDay) {
      out.push({ date: ymd(year, m, p.progressDay.day), kind: 'progress', label: '报送卫片执法工作进展和整改成效', rule: p.progressDay.rule })
    }
    const month = `${year}-${pad(m)}`
    const previous = addMonths(`${month}-01`, -1).slice(0, 7)
    out.push({
      date: bulletinPublishDate(month, policy).date,
      kind: 'bulletin',
      label: `${Number(previous.slice(0, 4))}年${Number(previous.slice(5, 7))}月巡查和监管情况排名通报（经${policy.bulletin.approvedBy}同意）`,
      rule: policy.bulletin.rule,
    })
  }
  // dates of last year's work that fall in January of this year carry nextYear
  for (const q of p.quarterlySelfCheck) out.push({ date: ymd(year, q.month, q.day), kind: 'quarterly', label: q.label, rule: q.rule })
  out.push({ date: ymd(year, p.halfYear.month, p.halfYear.day), kind: 'half_year', label: p.halfYear.label, rule: p.halfYear.rule })
  out.push({ date: ymd(year, p.annual.month, p.annual.day), kind: 'annual', label: `${year - (p.annual.nextYear ? 1 : 0)}年度${p.annual.label}`, rule: p.annual.rule })
  for (const m of p.militaryReportMonths.months) {
    out.push({ date: ymd(year, m, lastDay(year, m)), kind: 'military', label: '军用土地图斑以机要件单独上报', rule: p.militaryReportMonths.rule })
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
}
