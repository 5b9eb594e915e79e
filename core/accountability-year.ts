// The one year rule of the 问责 figures (001_8c1f6dae78f37652.txt:79 "一个年度内"): 统计, the digest,
// letters and the bulletin all hold the patches issued in one year, and all agree which year is shown.
import { defaultPolicy } from './policy.js'
import type { Policy } from './policy.js'

const pad = (n: number): string => String(n).padStart(2, '0')

/**
 * The year whose figures are shown on `date`: its calendar year, except up to the policy's closing date
 * of the next year (001:59's 1月20日: the year's work is finished and reported then), when it is still
 * last year's — the figures a January digest or letter cites are the ones the annual report carries.
 */
export function accountabilityYearOn(date: string, policy: Policy = defaultPolicy): number {
  const year = Number(date.slice(0, 4))
  const c = policy.accountabilityYear.closesOn
  return date.slice(5) <= `${pad(c.month)}-${pad(c.day)}` ? year - 1 : year
}

/** The year a bulletin's figures hold: the year shown on the last day of the month reported on. */
export function accountabilityYearOfMonth(month: string, policy: Policy = defaultPolicy): number {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return accountabilityYearOn(`${month}-${pad(last)}`, policy)
}

/** Whether a patch issued on `issuedOn` is in `year`'s figures (the year it was issued in). */
export function inAccountabilityYear(issuedOn: string, year: number): boolean {
  return Number(issuedOn.slice(0, 4)) === year
}

export function yearLabel(year: number): string {
  return `${year}年度`
}
