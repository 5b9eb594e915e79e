// A patch's part in the 问责 ratio (001 §四), read off its confirmed judgment and rectification.
import type { AccountabilityItem } from './accountability.js'
import { remediedAreas } from './lifecycle/partial.js'
import { remedyStanding } from './lifecycle/remedy.js'
import type { PatchSnapshot } from './lifecycle/types.js'

/** undefined until the judgment is confirmed: an unjudged patch is in neither numerator nor denominator. */
export function accountabilityItemOf(
  patch: Pick<PatchSnapshot, 'judgment' | 'state' | 'rectification' | 'farmlandMu'> &
    Partial<Pick<PatchSnapshot, 'remedied' | 'areaMu'>> & { flags?: readonly string[]; kind?: PatchSnapshot['kind'] },
): AccountabilityItem | undefined {
  const j = patch.judgment
  if (!j) return undefined
  // 001_8c1f6dae78f37652.txt:69 the ratio is of land: "新增建设用地违法占用耕地"; a mineral patch is never in it
  if (patch.kind === 'mineral') return undefined
  // policy choice: a legal patch issued as change to construction counts as new construction (the
  // denominator of 001_8c1f6dae78f37652.txt:69); the judgment's landUse decides for illegal ones
  const landUse = j.kind === 'illegal' ? j.landUse : 'new_construction'
  // a remedy counts once the county has accepted it (验收, 001_8c1f6dae78f37652.txt:47) and, for a
  // 拆除复耕 the city verifies (001_8c1f6dae78f37652.txt:41), the city's passing result is recorded:
  // 001_8c1f6dae78f37652.txt:71-73 deduct "已补办" / "已拆除复耕到位", not "reported"; 立案 alone remedies nothing
  const measure = remedyStanding(patch) === 'accepted' ? patch.rectification?.measure : undefined
  const remedy = measure === 'demolished_restored' || measure === 'permits_completed' ? measure : 'none'
  const item: AccountabilityItem = { farmlandMu: patch.farmlandMu, judgment: j.kind, landUse, remedy }
  // a partial rectification (issue 12 point 5): only the accepted 耕地 is deducted
  if (patch.remedied) {
    const r = remediedAreas({ ...patch, areaMu: patch.areaMu ?? 0 })
    item.remedied = { demolishedFarmlandMu: r.demolishedFarmlandMu, permittedFarmlandMu: r.permittedFarmlandMu }
  }
  return item
}
