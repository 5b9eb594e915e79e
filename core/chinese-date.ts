// Dates in official-document style: 二〇二六年十一月二十三日 (成文日期).
import { dayNumber } from './calendar.js'

const DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九']

/** 1..31 → 一 … 三十一 */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new RangeError(`只支持0至99（收到：${n}）`)
  if (n < 10) return DIGITS[n]!
  const tens = Math.floor(n / 10)
  const ones = n % 10
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`
}

export function chineseDocDate(date: string): string {
  dayNumber(date)
  const year = date.slice(0, 4).split('').map((d) => DIGITS[Number(d)]).join('')
  return `${year}年${chineseNumber(Number(date.slice(5, 7)))}月${chineseNumber(Number(date.slice(8, 10)))}日`
}

/** 2026-11-23 → 2026年11月23日 (body text) */
export function arabicDocDate(date: string): string {
  dayNumber(date)
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`
}
