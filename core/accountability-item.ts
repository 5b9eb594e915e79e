// A patch's part in the 问责 ratio (001 §四), read off its confirmed judgment and rectification.
import type { AccountabilityItem } from './accountability.js'
import type { PatchSnapshot } from './lifecycle/types.js'

/** undefined until the judgment is confirmed: an unjudged patch is in neither numerator nor denominator. */
export function accountabilityItemOf(
  patch: Pick<PatchSnapshot, 'judgment' | 'state' | 'rectification' | 'farmlandMu'>,
): AccountabilityItem | undefined {
  const j = patch.judgment
  if (!j) return undefined
  // policy choice: a legal patch issued as change to construction counts as new construction (the
  // denominator of 001_8c1f6dae78f37652.txt:69); the judgment's landUse decides for illegal ones
  const landUse = j.kind === 'illegal' ? j.landUse : 'new_construction'
  // a remedy counts once it is reported complete (已整改) — 001_8c1f6dae78f37652.txt:71-73 speak of
  // "已补办" / "已拆除复耕到位"; 立案 alone remedies nothing
  const done = ['rectified', 'accepted', 'closed'].includes(patch.state) && patch.rectification?.missing.length === 0
  const measure = done ? patch.rectification?.measure : undefined
  const remedy = measure === 'demolished_restored' || measure === 'permits_completed' ? measure : 'none'
  return { farmlandMu: patch.farmlandMu, judgment: j.kind, landUse, remedy }
}
