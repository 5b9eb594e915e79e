import { describe, expect, it } from 'vitest'
import { readImageHeader, readPhotoMetadata } from '../../bot/pipeline/photo-facts.js'
import { jpegWithExif } from '../support/jpeg-exif.js'

/** The first bytes of a PNG: signature and IHDR (what image-size reads), nothing to decode. */
function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  const len = Buffer.alloc(4)
  len.writeUInt32BE(13)
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), len, Buffer.from('IHDR'), ihdr, Buffer.alloc(4)])
}

// issue 12 point 6: the pipeline reads the facts (header, EXIF), core/evidence.ts decides on them
describe('photo facts read off the bytes', () => {
  it.each<[string, Buffer, ReturnType<typeof readImageHeader>]>([
    ['a JPEG', jpegWithExif({ takenAt: '2026:11:03 09:30:00' }), { format: 'jpg', width: 320, height: 240 }],
    ['a PNG', pngHeader(1080, 2340), { format: 'png', width: 1080, height: 2340 }],
    ['text', Buffer.from('not a photo'), {}],
    ['nothing', Buffer.alloc(0), {}],
  ])('%s', (_name, bytes, header) => {
    expect(readImageHeader(bytes)).toEqual(header)
  })

  it('EXIF time without a zone is China time (001:73 taken after the judgment)', async () => {
    const meta = await readPhotoMetadata(jpegWithExif({ takenAt: '2026:11:03 09:30:00', lon: 110.64, lat: 26.04 }))
    expect(meta.takenAt?.toISOString()).toBe('2026-11-03T01:30:00.000Z')
    expect(meta.lon).toBeCloseTo(110.64, 4)
    expect(meta.lat).toBeCloseTo(26.04, 4)
  })
})
