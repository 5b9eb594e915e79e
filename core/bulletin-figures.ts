// Last month's figures per township for the 每月5号通报 (004_cc43135be01a58c0.txt:47), read off the
// patches' snapshots: steps finished in the month on time or late, steps open past due at its end,
// new violations judged in it, and the year's 问责 ratio and rectification progress.
import {
  accountabilityItemOf,
  addCalendarDays,
  addMonths,
  assessAccountability,
  deadlinesFor,
  remedyStanding,
  type AccountabilityItem,
  type PatchSnapshot,
  type Policy,
  type TownshipMonthFigures,
} from './index.js'
import { accountabilityYearOfMonth, inAccountabilityYear } from './accountability-year.js'
import { counterAccountability, counterRectification, selectCounters, type CounterFacts } from './counter-figures.js'

export interface FigurePatch {
  snapshot: PatchSnapshot
  townshipCode: string
  military?: boolean
}

const BEFORE_REPORT = new Set(['issued', 'dispatched'])
const BEFORE_JUDGMENT = new Set(['issued', 'dispatched', 'reported'])
const RECTIFIED = new Set(['rectified', 'accepted', 'closed'])
const RECTIFY_STEP = { demolished_restored: 'rectify_demolish', permits_completed: 'rectify_permits', case_filed: 'rectify_case' } as const

/**
 * Whether the patch counts as 整改 in the bulletin: a remedy the county accepted (and the city verified
 * where 001_8c1f6dae78f37652.txt:41 requires it) that ends the violation — 拆除复耕 or 补办手续
 * (001_8c1f6dae78f37652.txt:71-73). A filed case (立案) is a step of the case procedure
 * (004_cc43135be01a58c0.txt:29), not a rectification.
 */
export function rectificationCounts(s: PatchSnapshot): boolean {
  const m = s.rectification?.measure
  return remedyStanding(s) === 'accepted' && (m === 'demolished_restored' || m === 'permits_completed')
}

/** When each finished step of a patch was finished, with its due date under the policy. */
function finishedSteps(s: PatchSnapshot, policy: Policy): Array<{ due: string; on: string }> {
  const out: Array<{ due: string; on: string }> = []
  // the steps open before the report, as core computes them for a freshly dispatched patch
  const before = deadlinesFor({ ...s, state: 'dispatched', proposal: undefined } as PatchSnapshot, policy)
  for (const d of before) {
    const on = d.step === 'verification'
      ? !BEFORE_REPORT.has(s.state) ? (s.proposal?.reportedOn ?? s.judgedOn) : undefined
      : !BEFORE_JUDGMENT.has(s.state) ? s.judgedOn : undefined
    if (on) out.push({ due: d.due, on })
  }
  const measure = s.rectification?.measure
  if (RECTIFIED.has(s.state) && measure && s.rectifiedOn && s.judgedOn) {
    const step = deadlinesFor({ ...s, state: 'rectifying' } as PatchSnapshot, policy).find((d) => d.step === RECTIFY_STEP[measure])
    if (step) out.push({ due: step.due, on: s.rectifiedOn })
  }
  return out
}

type NewViolationPatch = NonNullable<TownshipMonthFigures['newViolationPatches']>[number]

/** What one patch adds to its month's timing figures: steps finished on time / late, a new violation. */
function monthStepsOf(s: PatchSnapshot, policy: Policy, inMonth: (d: string | undefined) => boolean): { onTime: number; late: number; newViolation?: NewViolationPatch } {
  let onTime = 0
  let late = 0
  for (const f of finishedSteps(s, policy)) {
    if (!inMonth(f.on)) continue
    if (f.on <= f.due) onTime++
    else late++
  }
  const j = s.judgment
  if (j?.kind !== 'illegal' || j.landUse !== 'new_construction' || !inMonth(s.judgedOn)) return { onTime, late }
  // 004_cc43135be01a58c0.txt:47 "明确查处整改时限": each new violation's own open steps, as core
  // computes them for the patch today
  return { onTime, late, newViolation: { patchNo: s.number, deadlines: deadlinesFor(s, policy).map((d) => ({ label: d.label, due: d.due })) } }
}

export function monthFigures(
  townships: Array<{ code: string; name: string }>,
  patches: FigurePatch[],
  month: string,
  policy: Policy,
): TownshipMonthFigures[] {
  const first = `${month}-01`
  const last = addCalendarDays(addMonths(first, 1), -1)
  const inMonth = (d: string | undefined) => d !== undefined && d >= first && d <= last
  const year = accountabilityYearOfMonth(month, policy)
  return townships.map((t) => {
    const mine = patches.filter((p) => p.townshipCode === t.code && !p.military)
    let handledOnTime = 0
    let overdue = 0
    let newViolations = 0
    let rectDue = 0
    let rectDone = 0
    let issued = 0
    const newViolationPatches: NewViolationPatch[] = []
    const items: AccountabilityItem[] = []
    for (const { snapshot: s } of mine) {
      const m = monthStepsOf(s, policy, inMonth)
      handledOnTime += m.onTime
      overdue += m.late
      // still open and already past due when the month ended
      for (const d of deadlinesFor(s, policy)) if (d.due <= last && s.issuedOn <= last) overdue++
      if (s.issuedOn <= last) issued++
      const j = s.judgment
      if (m.newViolation) {
        newViolations++
        newViolationPatches.push(m.newViolation)
      }
      if (inAccountabilityYear(s.issuedOn, year) && s.issuedOn <= last) {
        const item = accountabilityItemOf(s)
        if (item) items.push(item)
        if (j?.kind === 'illegal') {
          rectDue++
          if (rectificationCounts(s)) rectDone++
        }
      }
    }
    const a = assessAccountability(items, 'township', policy)
    return {
      townshipCode: t.code,
      name: t.name,
      handledOnTime,
      overdue,
      newViolations,
      illegalFarmlandMu: a.illegalMu,
      ratio: a.ratio,
      rectification: { due: rectDue, done: rectDone },
      newViolationPatches,
      patches: issued,
    }
  })
}

/**
 * The same figures from what indexes give (province scale): `finished` holds only the patches with a
 * step reported, judged or rectified in the month (the others add nothing to the timing figures),
 * `openPastDue` the open steps due by the month's end per township code (civil patches issued by
 * then), and `counters` the township counters with their township codes for the year's ratio and 整改.
 */
export function monthFiguresFromIndexes(
  townships: Array<{ code: string; name: string }>,
  finished: FigurePatch[],
  openPastDue: ReadonlyMap<string, number>,
  counters: ReadonlyArray<CounterFacts & { townshipCode: string }>,
  month: string,
  policy: Policy,
): TownshipMonthFigures[] {
  const first = `${month}-01`
  const last = addCalendarDays(addMonths(first, 1), -1)
  const inMonth = (d: string | undefined) => d !== undefined && d >= first && d <= last
  const year = String(accountabilityYearOfMonth(month, policy))
  const ofYear = selectCounters(counters, { year, upToMonth: month, civilOnly: true }) as Array<CounterFacts & { townshipCode: string }>
  const issuedBy = selectCounters(counters, { upToMonth: month, civilOnly: true }) as Array<CounterFacts & { townshipCode: string }>
  return townships.map((t) => {
    let handledOnTime = 0
    let overdue = openPastDue.get(t.code) ?? 0
    let newViolations = 0
    const newViolationPatches: NewViolationPatch[] = []
    for (const { snapshot: s } of finished.filter((p) => p.townshipCode === t.code && !p.military)) {
      const m = monthStepsOf(s, policy, inMonth)
      handledOnTime += m.onTime
      overdue += m.late
      if (m.newViolation) {
        newViolations++
        newViolationPatches.push(m.newViolation)
      }
    }
    const mine = ofYear.filter((c) => c.townshipCode === t.code)
    const a = counterAccountability(mine, 'township', policy)
    return {
      townshipCode: t.code,
      name: t.name,
      handledOnTime,
      overdue,
      newViolations,
      illegalFarmlandMu: a.illegalMu,
      ratio: a.ratio,
      rectification: counterRectification(mine),
      newViolationPatches,
      patches: issuedBy.filter((c) => c.townshipCode === t.code).reduce((n, c) => n + c.n, 0),
    }
  })
}
