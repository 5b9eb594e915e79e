// Whether a photo can count as proof for its patch (真实性, 001_8c1f6dae78f37652.txt:27): taken at the
// patch and not long before the patch was issued. The distance comes from geometry; this only judges.
import { calendarDaysBetween } from './calendar.js'
import { defaultPolicy } from './policy.js'
import type { Policy } from './policy.js'

export interface PhotoFacts {
  /** metres from the patch boundary (0 inside); undefined when the photo has no position */
  distanceM?: number
  /** YYYY-MM-DD (China time) the photo was taken; undefined when the file has no time */
  takenOn?: string
  issuedOn: string
}

/** Reasons (Chinese) to flag the photo; empty when it counts. Missing GPS or time is not a flag by itself. */
export function photoFlagReasons(photo: PhotoFacts, policy: Policy = defaultPolicy): string[] {
  const e = policy.evidence
  const reasons: string[] = []
  if (photo.distanceM !== undefined && photo.distanceM > e.maxPhotoDistanceM) {
    reasons.push(`拍摄位置距图斑约${Math.round(photo.distanceM)}米，超过${e.maxPhotoDistanceM}米`)
  }
  if (photo.takenOn !== undefined && calendarDaysBetween(photo.takenOn, photo.issuedOn) > e.maxPhotoAgeBeforeIssueDays) {
    reasons.push(`拍摄日期${photo.takenOn}早于图斑下发日期${e.maxPhotoAgeBeforeIssueDays}天以上`)
  }
  return reasons
}
