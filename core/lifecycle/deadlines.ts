// The open steps of a patch and when each is due, from the policy. Recomputed on every transition.
import { addMonths, addPeriod, calendarDaysBetween, dueText, nextWorkdayOnOrAfter } from '../calendar.js'
import type { DeadlineRule, Period, Policy } from '../policy.js'
import type { Deadline, PatchSnapshot, PatchState } from './types.js'

const BEFORE_REPORT: readonly PatchState[] = ['issued', 'dispatched']
const BEFORE_JUDGMENT: readonly PatchState[] = ['issued', 'dispatched', 'reported']

export function periodText(p: Period): string {
  switch (p.unit) {
    case 'calendar':
      return `${p.days}日`
    case 'workdays':
      return `${p.days}个工作日`
    case 'months':
      return p.months === 1 ? '一个月' : `${p.months}个月`
  }
}

function due(from: string, r: DeadlineRule, policy: Policy): string {
  const d = addPeriod(from, r.period)
  return policy.deadlines.rollOverHolidays && r.period.unit !== 'workdays' ? nextWorkdayOnOrAfter(d) : d
}

function make(step: string, from: string, r: DeadlineRule, label: string, policy: Policy): Deadline {
  return { step, due: due(from, r, policy), unit: r.period.unit, rule: r.rule, label: `${label}（${periodText(r.period)}内）` }
}

/** 001_8c1f6dae78f37652.txt:53: issued on or before the 20th → by the 20th of next month, else the month after. */
export function monthlyReportDue(issuedOn: string, day: number): string {
  const firstOfMonth = `${issuedOn.slice(0, 8)}01`
  const months = Number(issuedOn.slice(8, 10)) <= day ? 1 : 2
  return `${addMonths(firstOfMonth, months).slice(0, 8)}${String(day).padStart(2, '0')}`
}

export function deadlinesFor(patch: PatchSnapshot, policy: Policy): Deadline[] {
  const d = policy.deadlines
  const out: Deadline[] = []
  // policy choice: 军用土地 goes its own way, by 机要件 at the dates of 001_8c1f6dae78f37652.txt:61
  // (core/schedule.ts's tenant-wide military date); no chat step of it runs, so none is warned about
  if (patch.military) return out
  const pendingProposal = patch.proposal !== undefined && patch.proposal.missing.length > 0

  if (d.verification.enabled && BEFORE_REPORT.includes(patch.state)) {
    out.push(make('verification', patch.issuedOn, d.verification, pendingProposal ? '补齐材料并核查上报' : '核查上报', policy))
  }
  if (d.judgment.enabled && BEFORE_JUDGMENT.includes(patch.state)) {
    // policy choice: when the receipt date is unknown, count from the issue date (never later than the truth)
    out.push(make('judgment', patch.receivedOn ?? patch.issuedOn, d.judgment, '完成合法性判定', policy))
  }
  const m = d.monthlyReport
  if (m.enabled && BEFORE_JUDGMENT.includes(patch.state)) {
    const applies = patch.kind === 'mineral' ? m.allMineral : m.categories.includes(patch.category)
    if (applies) {
      out.push({
        step: 'monthly_report',
        due: monthlyReportDue(patch.issuedOn, m.day),
        unit: 'fixed',
        rule: m.rule,
        label: `每月${m.day}日前上报自治区（上月${m.day}日前下发的图斑）`,
      })
    }
  }

  if (patch.state === 'rectifying' && patch.judgedOn) {
    const from = patch.judgedOn
    const measure = patch.rectification?.measure ?? patch.plannedMeasure
    const r = d.rectification
    // only the chosen measure's clock applies (001:43); until 集体会审 chooses one (or the township
    // reports one) the policy's unplanned clock runs, labelled as not chosen
    if (measure === undefined) {
      out.push(make('rectify_unplanned', from, r[r.unplanned], '整改到位（整改措施未确定）', policy))
    }
    if (measure === 'demolished_restored') {
      out.push(make('rectify_demolish', from, r.demolished_restored, '拆除复耕', policy))
    }
    if (measure === 'permits_completed') {
      out.push(make('rectify_permits', from, r.permits_completed, '补办用地手续', policy))
    }
    if (measure === 'case_filed') out.push(make('rectify_case', from, r.case_filed, '立案查处', policy))

    // 004_cc43135be01a58c0.txt:41 — for a new violation (illegal new construction)
    const j = patch.judgment
    if (d.newViolation.enabled && j?.kind === 'illegal' && j.landUse === 'new_construction') {
      if (patch.rectification === undefined) {
        out.push(make('new_violation_report', from, d.newViolation.report, '新增违法：书面报告制止、整改情况', policy))
      }
      // the case record answers "立案查处"; an older record kept the number on the rectification
      if (patch.caseRecord === undefined && patch.rectification?.caseNo === undefined) {
        out.push(make('new_violation_escalate', from, d.newViolation.escalate, '新增违法：未整改到位的报分管领导并立案查处', policy))
      }
    }
  }
  return out.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0))
}

export function dueMap(deadlines: Deadline[]): Record<string, string> {
  return Object.fromEntries(deadlines.map((x) => [x.step, x.due]))
}

/**
 * One line per open step, soonest first: the township's message after 确认 and the patch card's 期限
 * both read this, so they never disagree (a 2-working-day 报告 step is in both or in neither).
 */
export function deadlineLines(patch: PatchSnapshot, policy: Policy, today: string): string[] {
  return deadlinesFor(patch, policy).map((d) => {
    const left = calendarDaysBetween(today, d.due)
    const when = left > 0 ? `剩${left}天` : left === 0 ? '今天到期' : `已逾期${-left}天`
    return `${dueText(d.due)}前${d.label}（${when}）`
  })
}
