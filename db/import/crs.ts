// Coordinate reference systems met in issued batches, and reprojection to lon/lat (CGCS2000 ≈ WGS84
// at patch scale: the datums differ by centimetres).
import type { MultiPolygon, Polygon, Position } from 'geojson'
import proj4 from 'proj4'

export const GEOGRAPHIC = 'EPSG:4490'

let registered = false
/** Registers EPSG:4490 and the CGCS2000 3-degree Gauss-Kruger zones with proj4 (idempotent). */
export function registerCrs(): void {
  if (registered) return
  registered = true
  proj4.defs('EPSG:4490', '+proj=longlat +ellps=GRS80 +no_defs +type=crs')
  for (let zone = 25; zone <= 45; zone++) {
    const cm = zone * 3
    const base = `+proj=tmerc +lat_0=0 +lon_0=${cm} +k=1 +y_0=0 +ellps=GRS80 +units=m +no_defs +type=crs`
    proj4.defs(`EPSG:${4513 + zone - 25}`, `${base} +x_0=${zone * 1_000_000 + 500_000}`)
    proj4.defs(`EPSG:${4534 + zone - 25}`, `${base} +x_0=500000`)
  }
}

/** CGCS2000 3-degree GK EPSG code for a zone (25–45), with or without the zone in the easting. */
export function gkEpsg(zone: number, zoneInEasting: boolean): string | null {
  if (!Number.isInteger(zone) || zone < 25 || zone > 45) return null
  return `EPSG:${(zoneInEasting ? 4513 : 4534) + zone - 25}`
}

export function isKnownCrs(code: string): boolean {
  registerCrs()
  try {
    return proj4.defs(code.toUpperCase()) !== undefined
  } catch {
    return false
  }
}

export function normaliseCrsCode(input: string): string | null {
  const m = /^\s*(?:EPSG:?)?\s*(\d{4,5})\s*$/i.exec(input)
  if (!m) return null
  const code = `EPSG:${m[1]}`
  return isKnownCrs(code) ? code : null
}

export interface DetectedCrs {
  /** 'EPSG:NNNN', or a proj4 definition string when the .prj is something else proj4 understands. */
  code: string
  label: string
}

/**
 * Reads a .prj (ESRI WKT). Recognises CGCS2000 geographic, WGS84, and the CGCS2000 GK zones by
 * name or by central meridian + false easting; anything else is handed to proj4's WKT parser.
 */
export function crsFromPrj(wkt: string): DetectedCrs | null {
  registerCrs()
  const text = wkt.trim()
  if (!text) return null
  const isProjected = /^PROJCS|^PROJCRS/i.test(text)
  const cgcs = /CGCS[_ ]?2000|China[_ ]Geodetic[_ ]Coordinate[_ ]System[_ ]2000|China_2000/i.test(text)
  if (!isProjected) {
    if (cgcs) return { code: GEOGRAPHIC, label: 'CGCS2000 经纬度（EPSG:4490）' }
    if (/WGS[_ ]?(19)?84/i.test(text)) return { code: 'EPSG:4326', label: 'WGS84 经纬度（EPSG:4326）' }
  } else if (cgcs) {
    const zone = /GK_Zone_(\d{2})\b/i.exec(text)
    if (zone) {
      const code = gkEpsg(Number(zone[1]), true)
      if (code) return { code, label: `CGCS2000 高斯-克吕格 3度带 第${zone[1]}带（${code}）` }
    }
    const cmName = /GK_CM_(\d{2,3})E\b/i.exec(text)
    if (cmName) {
      const code = gkEpsg(Number(cmName[1]) / 3, false)
      if (code) return { code, label: `CGCS2000 高斯-克吕格 3度带 中央经线${cmName[1]}°（${code}）` }
    }
    const cm = param(text, 'central_meridian')
    const fe = param(text, 'false_easting')
    const scale = param(text, 'scale_factor')
    if (cm !== null && fe !== null && (scale === null || Math.abs(scale - 1) < 1e-9) && cm % 3 === 0) {
      const zoneNo = cm / 3
      const code = fe === 500_000 ? gkEpsg(zoneNo, false) : fe === zoneNo * 1_000_000 + 500_000 ? gkEpsg(zoneNo, true) : null
      if (code) return { code, label: `CGCS2000 高斯-克吕格 中央经线${cm}°（${code}）` }
    }
  }
  // Xi'an 80, Beijing 54, 6-degree zones …: proj4 reads most ESRI WKT; use it as is
  try {
    proj4(text, 'EPSG:4326')
    return { code: text, label: `.prj 中的坐标系（${/^\w+\["([^"]+)"/.exec(text)?.[1] ?? '未命名'}）` }
  } catch {
    return null
  }
}

function param(wkt: string, name: string): number | null {
  const m = new RegExp(`PARAMETER\\["${name}",\\s*(-?[\\d.eE+-]+)\\]`, 'i').exec(wkt)
  return m ? Number(m[1]) : null
}

export type CoordinateGuess =
  | { kind: 'geographic' }
  | { kind: 'gk-zone'; zone: number; code: string }
  | { kind: 'projected-unknown' }
  | { kind: 'unknown' }

/**
 * What raw coordinates look like when no CRS is given: degrees, a GK easting with the zone number
 * in front (37xxxxxx.x → zone 37), or metres without a zone (cannot be placed).
 */
export function guessFromCoordinate([x, y]: [number, number]): CoordinateGuess {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return { kind: 'unknown' }
  if (Math.abs(x) <= 180 && Math.abs(y) <= 90) return { kind: 'geographic' }
  if (x >= 25_000_000 && x < 46_000_000 && y > 0 && y < 10_000_000) {
    const zone = Math.floor(x / 1_000_000)
    const code = gkEpsg(zone, true)
    if (code) return { kind: 'gk-zone', zone, code }
  }
  if (x > 0 && x < 1_000_000 && y > 0 && y < 10_000_000) return { kind: 'projected-unknown' }
  return { kind: 'unknown' }
}

/** A GK EPSG without zone for a longitude: the likely CRS to suggest when a county's position is known. */
export function suggestedGkFor(lon: number): { withZone: string; withoutZone: string; cm: number } | null {
  const zone = Math.round(lon / 3)
  const withZone = gkEpsg(zone, true)
  const withoutZone = gkEpsg(zone, false)
  return withZone && withoutZone ? { withZone, withoutZone, cm: zone * 3 } : null
}

export type Reproject = (p: Position) => Position

/** A function from `from` coordinates to lon/lat; identity for geographic CRSs. */
export function reprojector(from: string): Reproject {
  registerCrs()
  if (from === GEOGRAPHIC || from === 'EPSG:4326') return (p) => p
  const converter = proj4(from, 'EPSG:4326')
  return (p) => {
    const [x, y] = converter.forward([p[0], p[1]])
    return [x, y]
  }
}

export function reprojectGeometry<G extends Polygon | MultiPolygon>(geom: G, f: Reproject): G {
  if (geom.type === 'Polygon') return { ...geom, coordinates: geom.coordinates.map((r) => r.map(f)) }
  return { ...geom, coordinates: geom.coordinates.map((poly) => poly.map((r) => r.map(f))) }
}

/** First usable vertex of a geometry: enough to recognise degrees vs metres. */
export function firstCoordinate(geom: Polygon | MultiPolygon): [number, number] | null {
  const poly = geom.type === 'Polygon' ? geom.coordinates : geom.coordinates[0]
  const p = poly?.[0]?.[0]
  return p ? [p[0], p[1]] : null
}
