// Figures from counters: the database keeps, per township and issue month, how many patches share
// each combination of the facts a figure reads (state, kind, judgment, remedy) and their 耕地 sums
// in 1/10000 亩 (db/migrations/0014). The rules stay here: each group of facts becomes the same
// accountability item a single patch would (accountabilityItemOf), so a figure from counters equals
// the figure from every patch's snapshot.
import { assessAccountability, nearAccountability, type AccountabilityItem, type AccountabilityResult } from './accountability.js'
import { accountabilityItemOf } from './accountability-item.js'
import { remedyStanding } from './lifecycle/remedy.js'
import type { PatchSnapshot, PatchState, RectificationRecord } from './lifecycle/types.js'
import { defaultPolicy, type Policy } from './policy.js'
import { assessWarningTalk, type WarningTalkResult } from './warning-talk.js'

export const AREA_SCALE = 10_000

/** One counter row: a group of patches with the same facts. */
export interface CounterFacts {
  /** 0: no township */
  townshipId: number
  /** YYYY-MM of issuedOn */
  issuedMonth: string
  state: PatchState
  kind: 'land' | 'mineral'
  military: boolean
  /** '' while unjudged */
  judgmentKind: '' | 'legal' | 'illegal' | 'other'
  landUse: string
  /** the rectification's measure, '' without one */
  measure: string
  /** a rectification recorded with nothing missing */
  rectComplete: boolean
  /** the record's cityVerificationRequired: '' when the record does not say */
  cityRequired: '' | 'true' | 'false'
  /** the patch's `city_verification` flag (older records) */
  cityFlag: boolean
  cityPassed: boolean
  /** a partial rectification's accepted areas are recorded (lifecycle.remedied) */
  hasRemedied: boolean
  n: number
  farmlandUnits: number
  basicUnits: number
  generalUnits: number
  areaUnits: number
  /** of a partial rectification: the 耕地 deducted, clipped per patch as assessAccountability clips it */
  deductDemolishedUnits: number
  deductPermittedUnits: number
  /** of a partial rectification: the accepted areas and what is left (remainingAreas), per patch */
  demolishedAreaUnits: number
  permittedAreaUnits: number
  leftAreaUnits: number
}

/** The snapshot fields a group of facts stands for (what accountabilityItemOf and remedyStanding read). */
function pseudoSnapshot(c: CounterFacts) {
  const rectification: RectificationRecord | undefined = c.measure
    ? ({
        measure: c.measure as RectificationRecord['measure'],
        missing: c.rectComplete ? [] : ['?'],
        ...(c.cityRequired ? { cityVerificationRequired: c.cityRequired === 'true' } : {}),
        ...(c.cityPassed ? { cityVerification: { result: 'passed' } } : {}),
      } as RectificationRecord)
    : undefined
  const judgment = c.judgmentKind ? ({ kind: c.judgmentKind, landUse: c.landUse } as PatchSnapshot['judgment']) : undefined
  return {
    state: c.state,
    kind: c.kind,
    flags: c.cityFlag ? ['city_verification'] : [],
    farmlandMu: c.farmlandUnits / AREA_SCALE,
    areaMu: c.areaUnits / AREA_SCALE,
    ...(c.hasRemedied
      ? { remedied: { demolishedMu: c.demolishedAreaUnits / AREA_SCALE, permittedMu: c.permittedAreaUnits / AREA_SCALE, demolishedFarmlandMu: c.deductDemolishedUnits / AREA_SCALE, permittedFarmlandMu: c.deductPermittedUnits / AREA_SCALE } }
      : {}),
    ...(judgment ? { judgment } : {}),
    ...(rectification ? { rectification } : {}),
  }
}

/** A group's accountability item (its 耕地 the group's sum), or undefined when it takes no part. */
export function counterItem(c: CounterFacts): AccountabilityItem | undefined {
  return accountabilityItemOf(pseudoSnapshot(c))
}

export interface CounterFilter {
  townshipId?: number
  /** issued in this year (001:79 "一个年度内") */
  year?: string
  /** issued on or before the end of this month */
  upToMonth?: string
  /** leave military land out (001:61: never cited to a township) */
  civilOnly?: boolean
}

export function selectCounters(rows: readonly CounterFacts[], f: CounterFilter = {}): CounterFacts[] {
  return rows.filter(
    (c) =>
      c.n !== 0 &&
      (f.townshipId === undefined || c.townshipId === f.townshipId) &&
      (f.year === undefined || c.issuedMonth.startsWith(f.year)) &&
      (f.upToMonth === undefined || c.issuedMonth <= f.upToMonth) &&
      (!f.civilOnly || !c.military),
  )
}

/** Patches by state, the states in first-seen order. */
export function stateTotals(rows: readonly CounterFacts[]): Array<{ state: PatchState; n: number }> {
  const byState = new Map<PatchState, number>()
  for (const c of rows) byState.set(c.state, (byState.get(c.state) ?? 0) + c.n)
  return [...byState].filter(([, n]) => n > 0).map(([state, n]) => ({ state, n }))
}

export function counterAccountability(rows: readonly CounterFacts[], scope: 'county' | 'township', policy: Policy = defaultPolicy): AccountabilityResult {
  const items: AccountabilityItem[] = []
  for (const c of rows) {
    if (c.n <= 0) continue
    const item = counterItem(c)
    if (item) items.push(item)
  }
  return assessAccountability(items, scope, policy)
}

/** 警示约谈 (000:41) from the illegal new-construction 耕地 not remedied, as townshipFacts reads it. */
export function counterWarningTalk(rows: readonly CounterFacts[], policy: Policy = defaultPolicy): WarningTalkResult {
  let basic = 0
  let general = 0
  for (const c of rows) {
    const item = counterItem(c)
    if (item && item.judgment === 'illegal' && item.landUse === 'new_construction' && item.remedy === 'none') {
      basic += c.basicUnits
      general += c.generalUnits
    }
  }
  return assessWarningTalk({ basicFarmlandMu: basic / AREA_SCALE, generalFarmlandMu: general / AREA_SCALE }, policy)
}

/** The bulletin's 整改 progress: illegal patches, and those whose accepted remedy ends the violation (rectificationCounts). */
export function counterRectification(rows: readonly CounterFacts[]): { due: number; done: number } {
  let due = 0
  let done = 0
  for (const c of rows) {
    if (c.judgmentKind !== 'illegal') continue
    due += c.n
    const s = pseudoSnapshot(c)
    if (remedyStanding(s) === 'accepted' && (c.measure === 'demolished_restored' || c.measure === 'permits_completed')) done += c.n
  }
  return { due, done }
}

/**
 * 违法图斑整改 (issue 12 point 5): total area of the illegal patches = 已整改 (accepted: 拆除复耕 +
 * 补办) + 剩余未整改, as remediedAreas / remainingAreas give them per patch.
 */
export function counterRemedyAreas(rows: readonly CounterFacts[]): { total: number; demolished: number; permitted: number; left: number } {
  let total = 0
  let demolished = 0
  let permitted = 0
  let left = 0
  for (const c of rows) {
    if (c.judgmentKind !== 'illegal' || c.n <= 0) continue
    total += c.areaUnits
    if (c.hasRemedied) {
      demolished += c.demolishedAreaUnits
      permitted += c.permittedAreaUnits
      left += c.leftAreaUnits
      continue
    }
    // an older record without areas covers the whole patch once accepted (remediedAreas)
    const whole = remedyStanding(pseudoSnapshot(c)) === 'accepted' ? c.measure : undefined
    if (whole === 'demolished_restored') demolished += c.areaUnits
    else if (whole === 'permits_completed') permitted += c.areaUnits
    else left += c.areaUnits
  }
  return { total: total / AREA_SCALE, demolished: demolished / AREA_SCALE, permitted: permitted / AREA_SCALE, left: left / AREA_SCALE }
}

/** How many patches are military land (001:61: a count is all a chat hears of them). */
export function militaryTotal(rows: readonly CounterFacts[]): number {
  return rows.reduce((n, c) => n + (c.military ? c.n : 0), 0)
}

export interface CountyStanding {
  code: string
  name: string
  accountability: AccountabilityResult
  /** how far toward the county line: the smaller of area/line and ratio/line (both must be reached, 001:79) */
  closeness: number
  near: boolean
}

/**
 * A county against the county line (001:79 ≥100亩 and ≥15%), for the city's roll-up: the year's
 * patches, the county's own policy.
 */
export function countyStanding(county: { code: string; name: string }, rows: readonly CounterFacts[], year: string, policy: Policy = defaultPolicy): CountyStanding {
  const a = counterAccountability(selectCounters(rows, { year }), 'county', policy)
  const line = policy.accountability.county
  // policy choice: "nearest the line" ranks by the smaller of the two fractions of the line reached
  const closeness = Math.min(line.minMu > 0 ? a.illegalMu / line.minMu : 1, line.minRatio > 0 ? a.ratio / line.minRatio : 1)
  return { ...county, accountability: a, closeness, near: !a.triggered && nearAccountability(a, 'county', policy.letters.nearFactor, policy) }
}
