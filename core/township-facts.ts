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
}

export interface TownshipFacts {
  township: TownshipRef
  accountability: AccountabilityResult
  overdue: OverdueItem[]
  warningTalk: WarningTalkResult
}

/** The 问责 ratio is a year's figure (001:79 "一个年度内"): patches issued in `today`'s year. */
export function townshipFacts(township: TownshipRef, patches: FactsPatch[], today: string, policy: Policy): TownshipFacts {
  const year = today.slice(0, 4)
  const items: AccountabilityItem[] = []
  let basic = 0
  let general = 0
  const overdue: OverdueItem[] = []
  for (const p of patches) {
    // what is not the township's to hear (military land, 001:61) is never cited in a letter to it
    const audience = patchAudience({ military: p.row.military, townshipId: p.township?.id ?? null })
    if (audience.kind !== 'township' || audience.townshipId !== township.id) continue
    const s = p.snapshot
    if (s.issuedOn.slice(0, 4) === year) {
      const item = accountabilityItemOf(s)
      if (item) items.push(item)
      if (item && item.judgment === 'illegal' && item.landUse === 'new_construction' && item.remedy === 'none') {
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
    warningTalk: assessWarningTalk({ basicFarmlandMu: basic, generalFarmlandMu: general }, policy),
  }
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
