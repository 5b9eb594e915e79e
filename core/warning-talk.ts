// 警示约谈 of 000_7f891be42bc71ff5.txt:41: "问题严重（如违法占用永久基本农田、自然保护地面积5亩以上，
// 或一般耕地10亩以上）的镇政府，县政府将实施警示约谈".
import { defaultPolicy } from './policy.js'
import type { Policy } from './policy.js'

export interface WarningTalkInput {
  /** 违法占用永久基本农田, 亩 */
  basicFarmlandMu: number
  /** 违法占用自然保护地, 亩 */
  natureReserveMu?: number
  /** 违法占用一般耕地 (耕地 that is not 永久基本农田), 亩 */
  generalFarmlandMu: number
}

export interface WarningTalkResult {
  required: boolean
  reasons: string[]
}

/**
 * The areas of 000:41 measure how serious a 弄虚作假/瞒案不报/压案不查 finding is ("问题严重（如……）"):
 * the caller passes only the land of patches with such a finding (township-facts), never all
 * unremedied land. policy choice: crossing either line is enough. 永久基本农田 and 自然保护地 share one
 * line ("永久基本农田、自然保护地面积5亩以上"), so they are added up.
 */
export function assessWarningTalk(input: WarningTalkInput, policy: Policy = defaultPolicy): WarningTalkResult {
  const w = policy.warningTalk
  const sensitive = input.basicFarmlandMu + (input.natureReserveMu ?? 0)
  const reasons: string[] = []
  const r = (n: number): number => Math.round(n * 100) / 100
  if (sensitive >= w.basicFarmlandOrReserveMu - 1e-9) {
    reasons.push(`违法占用永久基本农田、自然保护地${r(sensitive)}亩，达到${w.basicFarmlandOrReserveMu}亩`)
  }
  if (input.generalFarmlandMu >= w.generalFarmlandMu - 1e-9) {
    reasons.push(`违法占用一般耕地${r(input.generalFarmlandMu)}亩，达到${w.generalFarmlandMu}亩`)
  }
  return { required: reasons.length > 0, reasons }
}

/** The 警示约谈 test as a yes/no. */
export function needsWarningTalk(input: WarningTalkInput, policy: Policy = defaultPolicy): boolean {
  return assessWarningTalk(input, policy).required
}
