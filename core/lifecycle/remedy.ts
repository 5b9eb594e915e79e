// Where a patch's remedy stands. A remedy is a claim until the county accepts it (验收,
// 001_8c1f6dae78f37652.txt:47), and a 拆除复耕 the city must verify (001_8c1f6dae78f37652.txt:41) is a
// claim until the city's result is recorded: 001_8c1f6dae78f37652.txt:73 deducts only "已拆除复耕到位",
// and 000_7f891be42bc71ff5.txt:33 names 虚报拆除 as the thing to guard against.
import type { PatchSnapshot, RectificationRecord } from './types.js'

export type RemedyStanding =
  /** no rectification reported, or one still incomplete */
  | 'none'
  /** reported complete (已整改), waiting for the county's 验收 */
  | 'reported'
  /** a 拆除复耕 that needs the city's 核验 and has no passing result recorded */
  | 'awaiting_city'
  /** accepted by the county (and verified by the city where 001:41 requires it) */
  | 'accepted'

const ACCEPTED_STATES = new Set<PatchSnapshot['state']>(['accepted', 'closed'])

/**
 * Whether this rectification needs the city's 核验 (001_8c1f6dae78f37652.txt:41). The record says so
 * since it was submitted; older records fall back on the patch's flag.
 */
export function needsCityVerification(r: RectificationRecord | undefined, flags: readonly string[] = []): boolean {
  if (!r || r.measure !== 'demolished_restored') return false
  return r.cityVerificationRequired ?? flags.includes('city_verification')
}

/** Whether the city's passing result is recorded, or none is needed. */
export function cityVerificationDone(r: RectificationRecord | undefined, flags: readonly string[] = []): boolean {
  return !needsCityVerification(r, flags) || r?.cityVerification?.result === 'passed'
}

export function remedyStanding(patch: Pick<PatchSnapshot, 'state' | 'rectification'> & { flags?: readonly string[] }): RemedyStanding {
  const r = patch.rectification
  if (!r || r.missing.length > 0) return 'none'
  if (!ACCEPTED_STATES.has(patch.state) && patch.state !== 'rectified') return 'none'
  if (!cityVerificationDone(r, patch.flags)) return 'awaiting_city'
  return ACCEPTED_STATES.has(patch.state) ? 'accepted' : 'reported'
}
