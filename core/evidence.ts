// Whether a photo can count as proof for its patch (真实性, 001_8c1f6dae78f37652.txt:27): taken at the
// patch and not long before the patch was issued. The distance comes from geometry; this only judges.
import { calendarDaysBetween, chinaDate } from './calendar.js'
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

// ── issue 12 point 6: a photo is an image, taken where and when it claims ──

/** What the pipeline read off a file that claims to be a photo: its header, its EXIF, its distance. */
export interface ImageFacts {
  /** the format its header names (image-size's: jpg, png, heif, gif …); undefined when none */
  format?: string
  width?: number
  height?: number
  bytes: number
  /** the EXIF GPS position as read, finite or not; undefined when the file has none */
  gps?: { lon: number; lat: number }
  /** ISO instant the camera says it was taken (EXIF, China time when it has no zone) */
  takenAt?: string
  /** metres from the patch (0 inside), when the position is known and usable */
  distanceM?: number
}

/** The patch as the photo rules read it. */
export interface PhotoPatch {
  number: string
  state: string
  issuedOn: string
  judgedOn?: string
  /** ISO instant of the judgment; older patches have only the date */
  judgedAt?: string
}

/** `refused`: not kept as evidence, the reason says what to send; else the flags (empty: it counts). */
export type PhotoVerdict = { refused: true; reason: string } | { refused: false; flags: string[] }

const FORMAT_LABELS: Record<string, string> = { jpg: 'JPEG', png: 'PNG', heif: 'HEIC' }
const SEND_PHOTO = '请用手机相机在图斑现场拍摄后直接发送照片（JPEG、PNG 或 HEIC 格式）。'

/** Whether the bytes are an image of the kinds the policy takes, of a sane size; a refusal reason if not. */
export function imageRefusal(facts: ImageFacts, policy: Policy = defaultPolicy): string | undefined {
  const i = policy.evidenceChecks.image
  const accepted = i.formats.map((f) => FORMAT_LABELS[f] ?? f.toUpperCase()).join('、')
  if (!facts.format) return `收到的文件不是可识别的图片，未计入举证。${SEND_PHOTO}`
  if (!i.formats.includes(facts.format)) {
    return `收到的是${facts.format.toUpperCase()}格式的文件，不是现场照片（只收${accepted}格式），未计入举证。${SEND_PHOTO}`
  }
  if (facts.bytes > i.maxBytes) return `照片超过${Math.round(i.maxBytes / 1024 / 1024)}MB，未计入举证。请直接发送相机拍摄的原图。`
  const w = facts.width ?? 0
  const h = facts.height ?? 0
  if (!(w > 0 && h > 0)) return `照片无法读出尺寸，可能已损坏，未计入举证。${SEND_PHOTO}`
  const short = Math.min(w, h)
  const long = Math.max(w, h)
  if (short < i.minSidePx) return `照片只有${w}×${h}像素（缩略图或表情），看不清现场，未计入举证。请发送原图（短边不少于${i.minSidePx}像素）。`
  if (long > i.maxSidePx || long / short > i.maxAspect) return `照片尺寸${w}×${h}像素不像现场照片（长图、拼图或截图），未计入举证。${SEND_PHOTO}`
  return undefined
}

/** Whether a position is a usable fix inside China (policy.evidenceChecks.chinaBounds); a reason if not. */
export function positionRefusal(pos: { lon: number; lat: number }, what: '照片的定位' | '位置', policy: Policy = defaultPolicy): string | undefined {
  const b = policy.evidenceChecks.chinaBounds
  if (!Number.isFinite(pos.lon) || !Number.isFinite(pos.lat)) return `${what}不完整（经纬度不是有效数字），未计入举证。请开启定位后在图斑现场重新${what === '位置' ? '发送位置' : '拍摄'}。`
  if (pos.lon < b.minLon || pos.lon > b.maxLon || pos.lat < b.minLat || pos.lat > b.maxLat) {
    return `${what}（经度${round6(pos.lon)}，纬度${round6(pos.lat)}）不在我国境内，可能是定位错误，未计入举证。请开启定位后在图斑现场重新${what === '位置' ? '发送位置' : '拍摄'}。`
  }
  return undefined
}

const round6 = (n: number) => String(Math.round(n * 1e6) / 1e6)

const RECTIFYING = new Set(['rectifying', 'rectified'])

/**
 * A photo for a patch: refused when it is no image or its position is no fix in China; otherwise its
 * flags — far from the patch, taken long before the issue (photoFlagReasons), and, once the patch is
 * in 整改, not shown to be taken after the judgment (001_8c1f6dae78f37652.txt:73).
 */
export function photoVerdict(facts: ImageFacts, patch: PhotoPatch, policy: Policy = defaultPolicy): PhotoVerdict {
  const notImage = imageRefusal(facts, policy)
  if (notImage) return { refused: true, reason: notImage }
  if (facts.gps) {
    const where = positionRefusal(facts.gps, '照片的定位', policy)
    if (where) return { refused: true, reason: where }
  }
  const takenOn = facts.takenAt ? chinaDate(new Date(facts.takenAt)) : undefined
  const flags = photoFlagReasons(
    { ...(facts.distanceM !== undefined ? { distanceM: facts.distanceM } : {}), ...(takenOn ? { takenOn } : {}), issuedOn: patch.issuedOn },
    policy,
  )
  const rule = policy.evidenceChecks.rectificationTakenAfterJudgment
  if (rule.enabled && RECTIFYING.has(patch.state) && patch.judgedOn) {
    const judged = patch.judgedAt ?? `${patch.judgedOn}T00:00:00+08:00`
    const judgedText = patch.judgedAt ? `${chinaDate(new Date(patch.judgedAt))}判定` : `${patch.judgedOn}判定`
    if (!facts.takenAt) {
      flags.push(`照片没有拍摄时间，不能证明是${judgedText}后拍摄的整改照片（请发送原图，或以文件形式发送相机照片）`)
    } else if (new Date(facts.takenAt).getTime() < new Date(judged).getTime()) {
      flags.push(`拍摄时间${chinaDateTime(facts.takenAt)}早于${judgedText}，不是整改后的照片`)
    }
  }
  return { refused: false, flags }
}

/** YYYY-MM-DD HH:MM in China time. */
function chinaDateTime(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3_600_000)
  return d.toISOString().slice(0, 16).replace('T', ' ')
}
