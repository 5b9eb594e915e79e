// The 问责 ratio of 001 §四: illegal 耕地 on new construction land / all new construction 耕地,
// after the 2023 deductions.
import { defaultPolicy } from './policy.js'
import type { Policy } from './policy.js'

export interface AccountabilityItem {
  /** 耕地 area of the patch, 亩 */
  farmlandMu: number
  judgment: 'legal' | 'illegal' | 'other'
  /** 新增建设 / 存量建设用地 / 农业项目 */
  landUse: 'new_construction' | 'stock_construction' | 'agricultural'
  /** 已补办完善用地手续 / 已拆除复耕到位 */
  remedy: 'none' | 'permits_completed' | 'demolished_restored'
  /** 国家级/自治区级交通、能源、水利重大基础设施 */
  majorInfrastructure?: boolean
  /**
   * the 耕地 the county accepted as rectified when only part of the patch was (issue 12 point 5);
   * when given it replaces `remedy`, which otherwise covers the whole patch
   */
  remedied?: { demolishedFarmlandMu: number; permittedFarmlandMu: number }
}

export interface AccountabilityResult {
  /** numerator after the rules */
  illegalMu: number
  /** denominator after the rules */
  totalMu: number
  /** illegalMu / totalMu, 0 when totalMu is 0 */
  ratio: number
  /** the 问责 condition for the scope */
  triggered: boolean
}

// areas are summed in units of 1/10000 亩 so 33.3 + 33.3 + 33.4 is exactly 100
const SCALE = 10_000
const toUnits = (mu: number): number => Math.round(mu * SCALE)

export function assessAccountability(
  items: AccountabilityItem[],
  scope: 'county' | 'township',
  policy: Policy = defaultPolicy,
): AccountabilityResult {
  let illegal = 0
  let total = 0
  for (const item of items) {
    if (!Number.isFinite(item.farmlandMu) || item.farmlandMu < 0) {
      throw new RangeError(`耕地面积应为非负数（收到：${item.farmlandMu}）`)
    }
    // 其他用地 is not construction land at all; 001_8c1f6dae78f37652.txt:77 存量建设用地违法 and
    // 农业项目破坏耕地 count in neither numerator nor denominator. Only new construction remains
    // (001_8c1f6dae78f37652.txt:69).
    if (item.judgment === 'other' || item.landUse !== 'new_construction') continue
    const mu = toUnits(item.farmlandMu)
    if (item.judgment === 'legal') {
      total += mu // the denominator is all new-construction 耕地, legal and illegal
      continue
    }
    if (item.remedied) {
      // only the accepted areas: 拆除复耕 from both (001_8c1f6dae78f37652.txt:73), 补办 from the numerator (:71)
      const demolished = Math.min(mu, toUnits(Math.max(0, item.remedied.demolishedFarmlandMu)))
      const permitted = Math.min(mu - demolished, toUnits(Math.max(0, item.remedied.permittedFarmlandMu)))
      total += mu - demolished
      illegal += mu - demolished - permitted
      continue
    }
    // 001_8c1f6dae78f37652.txt:73 已拆除复耕到位: deducted from both
    if (item.remedy === 'demolished_restored') continue
    total += mu
    // 001_8c1f6dae78f37652.txt:71 已补办完善用地手续: deducted from the numerator only
    if (item.remedy === 'permits_completed') continue
    // 001_8c1f6dae78f37652.txt:67 major infrastructure "不予扣减": it has no deduction of its own,
    // so nothing special happens here
    illegal += mu
  }
  const illegalMu = illegal / SCALE
  const totalMu = total / SCALE
  const ratio = total === 0 ? 0 : illegal / total
  const t = scope === 'county' ? policy.accountability.county : policy.accountability.township
  // 001_8c1f6dae78f37652.txt:79 "100亩以上，且……比例达到15%"; "以上"/"达到" include the number
  const triggered = total > 0 && illegal >= toUnits(t.minMu) && illegal - t.minRatio * total >= -1e-6
  return { illegalMu, totalMu, ratio, triggered }
}

/** How close a result is to the 问责 line (used for 警示提醒函): both area and ratio at or above `factor` of it. */
export function nearAccountability(
  result: AccountabilityResult,
  scope: 'county' | 'township',
  factor: number,
  policy: Policy = defaultPolicy,
): boolean {
  const t = scope === 'county' ? policy.accountability.county : policy.accountability.township
  return result.illegalMu >= t.minMu * factor - 1e-9 && result.ratio >= t.minRatio * factor - 1e-9
}
