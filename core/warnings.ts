// Deadline warnings and who hears about an overdue step: township → 卫片办 → leaders.
import { addWorkdays, workdaysBetween } from './calendar.js'
import { defaultPolicy } from './policy.js'
import type { EscalationLevel, Policy } from './policy.js'

export type WarningLevel = 'due_soon' | 'due_today' | 'overdue'

export interface Warning {
  level: WarningLevel
  /** working days left (≥ 0) or overdue (> 0) */
  workdays: number
  recipients: EscalationLevel[]
  text: string
}

/**
 * The warning for a step due on `due`, as seen on `today`, or null when none is due today.
 * Warns exactly on the lead days of the policy (3 working days, 1 = "明天到期"), on the due day (or,
 * for a step due on a weekend or holiday, on the last working day before it), and every working day
 * once overdue, escalating along the chain.
 */
export function warningFor(due: string, today: string, label: string, policy: Policy = defaultPolicy): Warning | null {
  if (today > due) {
    // counted from the due day, so a step due on a Sunday is overdue by 1 on Monday
    const overdue = Math.max(workdaysBetween(due, today), 1)
    return {
      level: 'overdue',
      workdays: overdue,
      recipients: escalationFor(overdue, policy),
      text: `${label}已逾期${overdue}个工作日（应于${due}前完成）。`,
    }
  }
  if (today === due) return { level: 'due_today', workdays: 0, recipients: ['township'], text: `${label}今天到期（${due}）。` }
  const left = workdaysBetween(today, due)
  if (left === 0) {
    // due on a weekend or holiday with no working day before it: today is the last working day
    // (calendar deadlines are not moved off holidays unless the policy's rollOverHolidays says so)
    return { level: 'due_today', workdays: 0, recipients: ['township'], text: `${label}将于${due}（非工作日）到期，今天是到期前最后一个工作日。` }
  }
  if (!policy.warnings.leadWorkdays.includes(left)) return null
  const when = left === 1 ? '明天（下一个工作日）' : `${left}个工作日后`
  return { level: 'due_soon', workdays: left, recipients: ['township'], text: `${label}将于${when}到期（${due}）。` }
}

/** Who is told about a step overdue by this many working days. */
export function escalationFor(overdueWorkdays: number, policy: Policy = defaultPolicy): EscalationLevel[] {
  const e = policy.escalation
  const out: EscalationLevel[] = []
  for (const level of e.chain) {
    if (level === 'township') out.push(level)
    else if (level === 'office' && overdueWorkdays >= e.officeAfterOverdueWorkdays) out.push(level)
    else if (level === 'leaders' && overdueWorkdays >= e.leadersAfterOverdueWorkdays) out.push(level)
  }
  return out
}

/**
 * Steps due on or after this date get no warning today (due soon means within the policy's
 * leadWorkdays): the warnings job reads only the steps before it. undefined past the calendar's data.
 */
export function warningHorizon(today: string, policy: Policy = defaultPolicy): string | undefined {
  try {
    return addWorkdays(today, Math.max(0, ...policy.warnings.leadWorkdays) + 1)
  } catch {
    return undefined
  }
}
