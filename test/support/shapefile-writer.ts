// A minimal ESRI Shapefile writer (polygons, C/N fields) to make real test files.
import type { MultiPolygon, Polygon, Position } from 'geojson'
import { zipSync } from 'fflate'

export interface DbfField {
  name: string
  type: 'C' | 'N'
  length: number
  decimals?: number
}

export interface ShapefileInput {
  fields: DbfField[]
  records: { geometry: Polygon | MultiPolygon | null; values: Record<string, string | number | null> }[]
  encode: (s: string) => Uint8Array // UTF-8 or GBK
}

function signedArea(ring: Position[]): number {
  let a = 0
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1]
  return a / 2
}

// shapefile: outer rings clockwise, holes counter-clockwise (GeoJSON is the other way round)
function shpRings(g: Polygon | MultiPolygon): Position[][] {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates
  const rings: Position[][] = []
  for (const poly of polys) {
    poly.forEach((ring, i) => {
      const cw = signedArea(ring) < 0
      rings.push((i === 0) === cw ? ring : [...ring].reverse())
    })
  }
  return rings
}

export function writeShapefile(input: ShapefileInput): { shp: Uint8Array; shx: Uint8Array; dbf: Uint8Array } {
  const contents = input.records.map((r) => {
    if (!r.geometry) {
      const b = new DataView(new ArrayBuffer(4))
      b.setInt32(0, 0, true)
      return { bytes: new Uint8Array(b.buffer), bbox: null as number[] | null }
    }
    const rings = shpRings(r.geometry)
    const points = rings.flat()
    const xs = points.map((p) => p[0]), ys = points.map((p) => p[1])
    const bbox = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]
    const len = 44 + 4 * rings.length + 16 * points.length
    const v = new DataView(new ArrayBuffer(len))
    v.setInt32(0, 5, true)
    bbox.forEach((n, i) => v.setFloat64(4 + 8 * i, n, true))
    v.setInt32(36, rings.length, true)
    v.setInt32(40, points.length, true)
    let start = 0
    rings.forEach((ring, i) => {
      v.setInt32(44 + 4 * i, start, true)
      start += ring.length
    })
    points.forEach((p, i) => {
      v.setFloat64(44 + 4 * rings.length + 16 * i, p[0], true)
      v.setFloat64(44 + 4 * rings.length + 16 * i + 8, p[1], true)
    })
    return { bytes: new Uint8Array(v.buffer), bbox }
  })
  const boxes = contents.map((c) => c.bbox).filter((b): b is number[] => b !== null)
  const total = boxes.length
    ? [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))]
    : [0, 0, 0, 0]
  const shpLen = 100 + contents.reduce((s, c) => s + 8 + c.bytes.length, 0)
  const shxLen = 100 + 8 * contents.length
  const header = (length: number) => {
    const v = new DataView(new ArrayBuffer(100))
    v.setInt32(0, 9994, false)
    v.setInt32(24, length / 2, false)
    v.setInt32(28, 1000, true)
    v.setInt32(32, 5, true)
    total.forEach((n, i) => v.setFloat64(36 + 8 * i, n, true))
    return new Uint8Array(v.buffer)
  }
  const shp = new Uint8Array(shpLen)
  const shx = new Uint8Array(shxLen)
  shp.set(header(shpLen))
  shx.set(header(shxLen))
  const shpView = new DataView(shp.buffer)
  const shxView = new DataView(shx.buffer)
  let offset = 100
  contents.forEach((c, i) => {
    shpView.setInt32(offset, i + 1, false)
    shpView.setInt32(offset + 4, c.bytes.length / 2, false)
    shp.set(c.bytes, offset + 8)
    shxView.setInt32(100 + 8 * i, offset / 2, false)
    shxView.setInt32(104 + 8 * i, c.bytes.length / 2, false)
    offset += 8 + c.bytes.length
  })
  return { shp, shx, dbf: writeDbf(input) }
}

function writeDbf({ fields, records, encode }: ShapefileInput): Uint8Array {
  const recordLength = 1 + fields.reduce((s, f) => s + f.length, 0)
  const headerLength = 32 + 32 * fields.length + 1
  const out = new Uint8Array(headerLength + recordLength * records.length + 1)
  const v = new DataView(out.buffer)
  out[0] = 0x03
  out[1] = 126 // 2026
  out[2] = 7
  out[3] = 15
  v.setUint32(4, records.length, true)
  v.setUint16(8, headerLength, true)
  v.setUint16(10, recordLength, true)
  fields.forEach((f, i) => {
    const at = 32 + 32 * i
    const name = encode(f.name)
    if (name.length > 10) throw new Error(`DBF field name too long: ${f.name}`)
    out.set(name, at)
    out[at + 11] = f.type.charCodeAt(0)
    out[at + 16] = f.length
    out[at + 17] = f.decimals ?? 0
  })
  out[headerLength - 1] = 0x0d
  records.forEach((r, i) => {
    let at = headerLength + recordLength * i
    out[at++] = 0x20
    for (const f of fields) {
      const value = r.values[f.name]
      const cell = new Uint8Array(f.length).fill(0x20)
      if (value !== null && value !== undefined) {
        const bytes = f.type === 'N' ? encode(Number(value).toFixed(f.decimals ?? 0)) : encode(String(value))
        if (bytes.length > f.length) throw new Error(`value too long for ${f.name}`)
        if (f.type === 'N') cell.set(bytes, f.length - bytes.length)
        else cell.set(bytes, 0)
      }
      out.set(cell, at)
      at += f.length
    }
  })
  out[out.length - 1] = 0x1a
  return out
}

export function zipFiles(files: Record<string, Uint8Array | string>): Uint8Array {
  const entries: Record<string, Uint8Array> = {}
  for (const [name, data] of Object.entries(files)) entries[name] = typeof data === 'string' ? new TextEncoder().encode(data) : data
  return zipSync(entries)
}

export const PRJ = {
  cgcs2000: 'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
  gkZone37: 'PROJCS["CGCS2000_3_Degree_GK_Zone_37",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",37500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",111.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]',
  gkCm111: 'PROJCS["CGCS2000_3_Degree_GK_CM_111E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",111.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]',
} as const
