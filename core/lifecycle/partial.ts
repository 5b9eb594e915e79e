// Partial rectification (issue 12 point 5): a township may demolish part of a patch, or complete the
// permits for part of it. Only the areas the county accepted are deducted (001_8c1f6dae78f37652.txt:71
// 补办 from the numerator, :73 拆除复耕 from both), the rest stays 剩余未整改 and the patch in 整改中.
// Provincial statistics keep 已整改 = 拆除 + 补办 and 总 = 已整改 + 未整改 (DESIGN "Data the system meets").
import { remedyStanding } from './remedy.js'
import type { PatchSnapshot, RectificationMeasure, RectificationRecord, RemediedAreas } from './types.js'

export const NO_REMEDY: RemediedAreas = { demolishedMu: 0, demolishedFarmlandMu: 0, permittedMu: 0, permittedFarmlandMu: 0 }

type AreaPatch = Pick<PatchSnapshot, 'state' | 'rectification' | 'areaMu' | 'farmlandMu' | 'remedied'> & { flags?: readonly string[] }

// sums in 1/10000 亩, as the ratio does, so 1.1 + 1.9 leaves exactly 0
const SCALE = 10_000
const units = (mu: number): number => Math.round(mu * SCALE)
const mu = (u: number): number => u / SCALE

/** The areas the county has accepted so far; an older closed record without areas covers the whole patch. */
export function remediedAreas(patch: AreaPatch): RemediedAreas {
  if (patch.remedied) return patch.remedied
  const measure = patch.rectification?.measure
  if (remedyStanding(patch) !== 'accepted' || (measure !== 'demolished_restored' && measure !== 'permits_completed')) return NO_REMEDY
  const whole = { mu: patch.areaMu, farmland: patch.farmlandMu }
  return measure === 'demolished_restored'
    ? { ...NO_REMEDY, demolishedMu: whole.mu, demolishedFarmlandMu: whole.farmland }
    : { ...NO_REMEDY, permittedMu: whole.mu, permittedFarmlandMu: whole.farmland }
}

/** 剩余未整改面积 (and its 耕地): the patch less what was accepted, never below 0. */
export function remainingAreas(patch: AreaPatch): { areaMu: number; farmlandMu: number } {
  const r = remediedAreas(patch)
  return {
    areaMu: mu(Math.max(0, units(patch.areaMu) - units(r.demolishedMu) - units(r.permittedMu))),
    farmlandMu: mu(Math.max(0, units(patch.farmlandMu) - units(r.demolishedFarmlandMu) - units(r.permittedFarmlandMu))),
  }
}

/**
 * The areas a rectification record covers: what it says, else all that remains. policy choice: an
 * area given without its 耕地 covers the least 耕地 it can (the non-farmland part first), and a 耕地
 * given without the area covers no more than that 耕地 — a figure is never deducted on a guess.
 */
export function recordAreas(patch: AreaPatch, record: Pick<RectificationRecord, 'areaMu' | 'farmlandMu'>): { areaMu: number; farmlandMu: number } {
  const left = remainingAreas(patch)
  if (record.areaMu === undefined && record.farmlandMu === undefined) return left
  const areaMu = record.areaMu ?? record.farmlandMu!
  const nonFarmland = Math.max(0, units(left.areaMu) - units(left.farmlandMu))
  const farmlandMu = record.farmlandMu ?? mu(Math.max(0, units(areaMu) - nonFarmland))
  return { areaMu, farmlandMu }
}

/** The accepted areas after this record's 验收. */
export function addRemedy(patch: AreaPatch, record: RectificationRecord): RemediedAreas {
  const before = patch.remedied ?? NO_REMEDY
  const a = recordAreas(patch, record)
  const plus = (x: number, y: number) => mu(units(x) + units(y))
  return record.measure === 'demolished_restored'
    ? { ...before, demolishedMu: plus(before.demolishedMu, a.areaMu), demolishedFarmlandMu: plus(before.demolishedFarmlandMu, a.farmlandMu) }
    : { ...before, permittedMu: plus(before.permittedMu, a.areaMu), permittedFarmlandMu: plus(before.permittedFarmlandMu, a.farmlandMu) }
}

const AREA_WORDS = {
  demolished_restored: { area: '拆除面积', farmland: '拆除耕地面积' },
  permits_completed: { area: '补办面积', farmland: '补办耕地面积' },
} as const

/** Why the areas a township reports cannot be taken (negative, more than remains, 耕地 more than the area). */
export function rectificationAreaRefusal(
  patch: AreaPatch & { number: string },
  measure: RectificationMeasure,
  areaMu: number | undefined,
  farmlandMu: number | undefined,
): string | undefined {
  if (areaMu === undefined && farmlandMu === undefined) return undefined
  if (measure === 'case_filed') return '立案不是整改，没有整改面积。'
  const words = AREA_WORDS[measure]
  const left = remainingAreas(patch)
  const fmt = (n: number) => `${Math.round(n * 100) / 100}亩`
  for (const [name, v] of [[words.area, areaMu], [words.farmland, farmlandMu]] as const) {
    if (v !== undefined && (!Number.isFinite(v) || v <= 0)) return `${name}应为大于0的数，例如：${words.area}2亩 ${words.farmland}1.5亩。`
  }
  if (areaMu !== undefined && units(areaMu) > units(left.areaMu)) {
    return `${words.area}${fmt(areaMu)}超过图斑 ${patch.number} 剩余未整改面积${fmt(left.areaMu)}，请核对后重新上报。`
  }
  if (farmlandMu !== undefined && units(farmlandMu) > units(left.farmlandMu)) {
    return `${words.farmland}${fmt(farmlandMu)}超过图斑 ${patch.number} 剩余未整改耕地${fmt(left.farmlandMu)}，请核对后重新上报。`
  }
  if (areaMu !== undefined && farmlandMu !== undefined && units(farmlandMu) > units(areaMu)) {
    return `${words.farmland}${fmt(farmlandMu)}不能大于${words.area}${fmt(areaMu)}，请核对后重新上报。`
  }
  return undefined
}

/** Whether an accepted record leaves nothing: the patch closes; else it stays in 整改中 for the rest. */
export function leavesNothing(patch: AreaPatch, after: RemediedAreas): boolean {
  const left = remainingAreas({ ...patch, remedied: after })
  return units(left.areaMu) === 0 && units(left.farmlandMu) === 0
}
