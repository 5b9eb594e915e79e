import exifr from 'exifr'
import { imageSize } from 'image-size'

export interface PhotoMetadata {
  lon?: number // WGS84, as the camera's GPS writes it (finite or not: core judges it)
  lat?: number
  takenAt?: Date
}

/** What the header of a file says it is: image-size reads the format and dimensions without decoding. */
export interface ImageHeader {
  format?: string
  width?: number
  height?: number
}

/** The image format and size a file's header names; {} when it is no image image-size knows. */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  try {
    const size = imageSize(bytes)
    // EXIF orientation 5-8 swaps the sides, which changes nothing core checks (short and long side)
    return { ...(size.type ? { format: size.type } : {}), ...(size.width ? { width: size.width } : {}), ...(size.height ? { height: size.height } : {}) }
  } catch {
    return {}
  }
}

/** Time and place from the photo's EXIF; a photo with none (a screenshot, a stripped file) gives {}. */
export async function readPhotoMetadata(bytes: Uint8Array): Promise<PhotoMetadata> {
  try {
    // raw values: EXIF times carry no zone, and exifr would read them in the server's zone
    const tags = await exifr.parse(Buffer.from(bytes), { gps: true, reviveValues: false })
    if (!tags) return {}
    const out: PhotoMetadata = {}
    if (typeof tags.latitude === 'number' && typeof tags.longitude === 'number') {
      out.lat = tags.latitude
      out.lon = tags.longitude
    }
    const taken = exifTime(tags.DateTimeOriginal ?? tags.CreateDate, tags.OffsetTimeOriginal)
    if (taken) out.takenAt = taken
    return out
  } catch {
    return {} // not a JPEG/HEIC with EXIF: treated as a photo without metadata
  }
}

/** 'YYYY:MM:DD HH:MM:SS' in the camera's zone: its own offset when written, else China time. */
function exifTime(raw: unknown, offset: unknown): Date | undefined {
  const m = typeof raw === 'string' ? /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(raw) : null
  if (!m) return undefined
  const zone = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : '+08:00'
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`)
  return Number.isNaN(date.getTime()) ? undefined : date
}
