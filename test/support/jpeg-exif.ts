// Test photos: a real 320×240 grey JPEG (a photo's sane size, core/evidence.ts imageRefusal) with an EXIF
// block holding the time and GPS position we choose.

const TINY_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wCEAFA3PEY8MlBGQUZaVVBfeMiCeG5uePWvuZHI//////////////////////////////////////////////////8BVVpaeGl464KC6//////////////////////////////////////////////////////////////////////////AABEIAPABQAMBEQACEQEDEQH/xAGiAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgsQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+gEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoLEQACAQIEBAMEBwUEBAABAncAAQIDEQQFITEGEkFRB2FxEyIygQgUQpGhscEJIzNS8BVictEKFiQ04SXxFxgZGiYnKCkqNTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqCg4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2dri4+Tl5ufo6ery8/T19vf4+fr/2gAMAwEAAhEDEQA/ACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKAP8A/9k=',
  'base64',
)

type Entry = { tag: number; type: 2 | 4 | 5; count: number; data: Buffer }

/** A JPEG whose EXIF says where (WGS84) and when (local camera time) it was taken; any part optional. */
export function jpegWithExif(opts: { lon?: number; lat?: number; takenAt?: string /* 'YYYY:MM:DD HH:MM:SS' */; salt?: number } = {}): Buffer {
  const exifEntries: Entry[] = []
  if (opts.takenAt) exifEntries.push(ascii(0x9003, opts.takenAt))
  const gpsEntries: Entry[] = []
  if (opts.lat !== undefined && opts.lon !== undefined) {
    gpsEntries.push(ascii(0x0001, opts.lat >= 0 ? 'N' : 'S'), dms(0x0002, Math.abs(opts.lat)))
    gpsEntries.push(ascii(0x0003, opts.lon >= 0 ? 'E' : 'W'), dms(0x0004, Math.abs(opts.lon)))
  }
  // layout: header(8) | IFD0 | ExifIFD | GPS IFD | data
  const ifdSize = (n: number) => 2 + n * 12 + 4
  const ifd0Entries = 2 + (opts.salt !== undefined ? 1 : 0)
  const ifd0At = 8
  const exifAt = ifd0At + ifdSize(ifd0Entries)
  const gpsAt = exifAt + ifdSize(exifEntries.length)
  let dataAt = gpsAt + ifdSize(gpsEntries.length)
  const ifd0: Entry[] = [long(0x8769, exifAt), long(0x8825, gpsAt)]
  if (opts.salt !== undefined) ifd0.push(long(0x0131 /* Software, abused as a salt */, opts.salt))
  const chunks: Buffer[] = []
  const writeIfd = (entries: Entry[]) => {
    const b = Buffer.alloc(ifdSize(entries.length))
    b.writeUInt16LE(entries.length, 0)
    entries.sort((a, c) => a.tag - c.tag).forEach((e, i) => {
      const o = 2 + i * 12
      b.writeUInt16LE(e.tag, o)
      b.writeUInt16LE(e.type, o + 2)
      b.writeUInt32LE(e.count, o + 4)
      if (e.data.length <= 4) e.data.copy(b, o + 8)
      else {
        b.writeUInt32LE(dataAt, o + 8)
        data.push(e.data)
        dataAt += e.data.length
      }
    })
    chunks.push(b)
  }
  const data: Buffer[] = []
  writeIfd(ifd0)
  writeIfd(exifEntries)
  writeIfd(gpsEntries)
  const tiff = Buffer.concat([Buffer.from('II*\0', 'latin1'), u32(ifd0At), ...chunks, ...data])
  const app1Body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), u16be(app1Body.length + 2), app1Body])
  return Buffer.concat([TINY_JPEG.subarray(0, 2), app1, TINY_JPEG.subarray(2)])
}

function u32(n: number) {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(n)
  return b
}
function u16be(n: number) {
  const b = Buffer.alloc(2)
  b.writeUInt16BE(n)
  return b
}
function ascii(tag: number, s: string): Entry {
  const data = Buffer.from(`${s}\0`, 'latin1')
  return { tag, type: 2, count: data.length, data }
}
function long(tag: number, n: number): Entry {
  return { tag, type: 4, count: 1, data: u32(n) }
}
function dms(tag: number, deg: number): Entry {
  const d = Math.floor(deg)
  const m = Math.floor((deg - d) * 60)
  const s = Math.round(((deg - d) * 60 - m) * 60 * 10000)
  const data = Buffer.alloc(24)
  ;[[d, 1], [m, 1], [s, 10000]].forEach(([num, den], i) => {
    data.writeUInt32LE(num!, i * 8)
    data.writeUInt32LE(den!, i * 8 + 4)
  })
  return { tag, type: 5, count: 3, data }
}
