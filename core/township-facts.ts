// Where each township stands today: illegal 耕地 and ratio (001 §四), overdue work, the 警示约谈 areas.
// Letters and the digest read the same facts, so what a leader sees is what a letter cites.
import {
  CalendarRangeError,
  accountabilityItemOf,
  assessAccountability,
  assessWarningTalk,
  deadlinesFor,
  warningFor,
  type AccountabilityItem,
  type AccountabilityResult,
  type OverdueItem,
  type Policy,
  type WarningTalkResult,
} from './index.js'
import type { PatchSnapshot } from './lifecycle/index.js'
import { patchAudience } from './patch-audience.js'
import { accountabilityYearOn, inAccountabilityYear } from './accountability-year.js'

export interface TownshipRef {
  id: number
  code: string
  name: string
}

/** What the facts read of a patch: its snapshot, its township, and two columns of its row. */
export interface FactsPatch {
  row: { number: string; military: boolean }
  snapshot: PatchSnapshot
  township: TownshipRef | undefined
  /** findings recorded on the patch (弄虚作假, 瞒案不报 …: 000_7f891be42bc71ff5.txt:41) */
  findings?: readonly string[]
}

export interface TownshipFacts {
  township: TownshipRef
  accountability: AccountabilityResult
  overdue: OverdueItem[]
  warningTalk: WarningTalkResult
  /** the accountability year the figures hold (accountabilityYearOn) */
  year: number
}

/** The 问责 ratio is a year's figure (001:79 "一个年度内"): patches of the year shown on `today`. */
export function townshipFacts(township: TownshipRef, patches: FactsPatch[], today: string, policy: Policy): TownshipFacts {
  const year = accountabilityYearOn(today, policy)
  const items: AccountabilityItem[] = []
  let basic = 0
  let general = 0
  const overdue: OverdueItem[] = []
  for (const p of patches) {
    // what is not the township's to hear (military land, 001:61) is never cited in a letter to it
    const audience = patchAudience({ military: p.row.military, townshipId: p.township?.id ?? null })
    if (audience.kind !== 'township' || audience.townshipId !== township.id) continue
    const s = p.snapshot
    if (inAccountabilityYear(s.issuedOn, year)) {
      const item = accountabilityItemOf(s)
      if (item) items.push(item)
      // 000_7f891be42bc71ff5.txt:41: the areas measure a 弄虚作假/瞒案不报/压案不查 finding, not all
      // unremedied land; policy choice: the areas are those of the patches the finding was made on
      const w = policy.warningTalk
      if (w.enabled && (p.findings ?? []).some((f) => w.findings.includes(f))) {
        basic += s.basicFarmlandMu
        general += Math.max(0, s.farmlandMu - s.basicFarmlandMu)
      }
    }
    for (const o of overdueSteps(p, today, policy)) overdue.push(o)
  }
  return {
    township,
    accountability: assessAccountability(items, 'township', policy),
    overdue: overdue.sort((a, b) => b.overdueWorkdays - a.overdueWorkdays || a.patchNo.localeCompare(b.patchNo)),
    warningTalk: policy.warningTalk.enabled ? assessWarningTalk({ basicFarmlandMu: basic, generalFarmlandMu: general }, policy) : { required: false, reasons: [] },
    year,
  }
}

/**
 * The county's figure against its own line (001_8c1f6dae78f37652.txt:79 "县级……100亩以上，且……15%"):
 * every land patch of the year in the county. policy choice: military land is left out, as in the
 * township figures — it is reported separately by 机要件 (001_8c1f6dae78f37652.txt:61), and a county
 * total shown in a township chat must not let its area be worked out.
 */
export function countyAccountability(patches: Array<Pick<FactsPatch, 'snapshot' | 'row'>>, today: string, policy: Policy): AccountabilityResult & { year: number } {
  const year = accountabilityYearOn(today, policy)
  const items: AccountabilityItem[] = []
  for (const p of patches) {
    if (p.row.military || !inAccountabilityYear(p.snapshot.issuedOn, year)) continue
    const item = accountabilityItemOf(p.snapshot)
    if (item) items.push(item)
  }
  return { ...assessAccountability(items, 'county', policy), year }
}

/** A patch's open steps past due today, with core's count of overdue working days. */
export function overdueSteps(p: FactsPatch, today: string, policy: Policy): OverdueItem[] {
  const out: OverdueItem[] = []
  for (const d of deadlinesFor(p.snapshot, policy)) {
    if (d.due >= today) continue
    const w = safeWarning(d.due, today, d.label, policy)
    if (w?.level === 'overdue') out.push({ patchNo: p.row.number, label: d.label, due: d.due, overdueWorkdays: w.workdays })
  }
  return out
}

/** warningFor, or null when a date is past the holiday data (the caller reports that once). */
export function safeWarning(due: string, today: string, label: string, policy: Policy, gaps?: Set<string>) {
  try {
    return warningFor(due, today, label, policy)
  } catch (error) {
    if (error instanceof CalendarRangeError) {
      gaps?.add(error.message)
      return null
    }
    throw error
  }
}
