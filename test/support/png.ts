// Reads a PNG back into RGBA pixels (8-bit RGB/RGBA, non-interlaced: what resvg writes), so a
// render test can look at the picture itself.
import { inflateSync } from 'node:zlib'

export interface Pixels {
  width: number
  height: number
  at(x: number, y: number): [r: number, g: number, b: number, a: number]
}

export function decodePng(png: Uint8Array): Pixels {
  const buf = Buffer.from(png)
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG')
  let pos = 8
  let width = 0, height = 0, colour = 0
  const idat: Buffer[] = []
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos)
    const type = buf.toString('latin1', pos + 4, pos + 8)
    const data = buf.subarray(pos + 8, pos + 8 + len)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      if (data[8] !== 8 || data[12] !== 0) throw new Error('only 8-bit non-interlaced PNGs')
      colour = data[9]!
    } else if (type === 'IDAT') idat.push(data)
    pos += 12 + len
  }
  const bpp = colour === 6 ? 4 : colour === 2 ? 3 : 0
  if (!bpp) throw new Error(`PNG colour type ${colour} not read here`)
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * bpp
  const out = Buffer.alloc(height * stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[y * stride + i - bpp]! : 0
      const b = y > 0 ? out[(y - 1) * stride + i]! : 0
      const c = y > 0 && i >= bpp ? out[(y - 1) * stride + i - bpp]! : 0
      const x = line[i]!
      let v: number
      switch (filter) {
        case 0: v = x; break
        case 1: v = x + a; break
        case 2: v = x + b; break
        case 3: v = x + ((a + b) >> 1); break
        case 4: {
          const p = a + b - c
          const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c)
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)
          break
        }
        default: throw new Error(`PNG filter ${filter}`)
      }
      out[y * stride + i] = v & 0xff
    }
  }
  return {
    width,
    height,
    at(x, y) {
      const o = Math.round(y) * stride + Math.round(x) * bpp
      return [out[o]!, out[o + 1]!, out[o + 2]!, bpp === 4 ? out[o + 3]! : 255]
    },
  }
}
