// From a row's coordinates in the file's CRS to a valid lon/lat geometry (or centroid): the CRS
// given, declared or guessed; swapped longitude/latitude recognised; the geometry checked. Shared by
// the patch import, the township boundaries and the overlay layers.
import type { MultiPolygon, Polygon } from 'geojson'
import { centroidOf, CHINA_EXTENT, rewind, validatePolygon } from '../../core/geometry.js'
import { firstCoordinate, GEOGRAPHIC, guessFromCoordinate, reprojectGeometry, reprojector, suggestedGkFor, type Reproject } from './crs.js'
import type { RawRow } from './types.js'

export type Placed =
  | { ok: true; geometry: Polygon | MultiPolygon | null; centroid: [number, number]; swapped: boolean }
  | { ok: false; problem: string; fix: string }

export interface Placer {
  place(raw: RawRow): Placed
  /** GK zones recognised from the eastings when the file declared no CRS */
  readonly inferred: Set<string>
  /** rows whose longitude and latitude were swapped */
  readonly swappedRows: number[]
}

export function inChina([x, y]: [number, number] | number[]): boolean {
  return x! >= CHINA_EXTENT.minLon && x! <= CHINA_EXTENT.maxLon && y! >= CHINA_EXTENT.minLat && y! <= CHINA_EXTENT.maxLat
}

/** (lat, lon) written where (lon, lat) belongs: only geographic input can be swapped, and only if swapping lands in China. */
function looksSwapped(p: [number, number]): boolean {
  return Math.abs(p[0]) <= 90 && Math.abs(p[1]) <= 180 && !inChina(p) && inChina([p[1], p[0]])
}

const swapXY = (p: number[]) => [p[1]!, p[0]!]

/**
 * `fixedCrs`: from the option or the file, null to guess from the coordinates. `countyCentre`: to
 * suggest the GK zone of the county when metres come without a CRS.
 */
export function placer(fixedCrs: string | null, countyCentre: [number, number] | null): Placer {
  const reproject = fixedCrs ? reprojector(fixedCrs) : null
  const geographicFixed = fixedCrs === GEOGRAPHIC || fixedCrs === 'EPSG:4326'
  const inferred = new Set<string>()
  const swappedRows: number[] = []
  const crsFix = (given: boolean) => given
    ? '检查坐标系：.prj 或 --crs 指定的坐标系可能与数据不符（如带号/不带带号、西安80与2000混用）'
    : '检查坐标系：附带正确的 .prj，或用 --crs EPSG:NNNN 指定'

  function place(raw: RawRow): Placed {
    const first = raw.geometry ? firstCoordinate(raw.geometry) : raw.centroid ?? null
    let f: Reproject | null = reproject
    let swapped = false
    if (first && (geographicFixed || !fixedCrs) && looksSwapped(first)) {
      swapped = true
      f = (p) => swapXY(p)
    } else if (!f && first) {
      const guess = guessFromCoordinate(first)
      if (guess.kind === 'geographic') f = reprojector(GEOGRAPHIC)
      else if (guess.kind === 'gk-zone') {
        f = reprojector(guess.code)
        inferred.add(guess.code)
      } else if (guess.kind === 'projected-unknown') {
        const s = countyCentre ? suggestedGkFor(countyCentre[0]) : null
        return {
          ok: false, problem: '坐标是投影坐标（米），但文件没有说明坐标系（缺少 .prj）',
          fix: s
            ? `附带正确的 .prj，或导入时指定坐标系：本县位于中央经线 ${s.cm}° 附近，东坐标不带带号时多为 --crs ${s.withoutZone}，带带号时为 --crs ${s.withZone}`
            : '附带正确的 .prj，或导入时用 --crs EPSG:NNNN 指定坐标系（CGCS2000 3度带不带带号为 EPSG:4534–4554）',
        }
      } else {
        return { ok: false, problem: `坐标无法识别（${first.join(', ')}）`, fix: crsFix(false) }
      }
    }
    let geometry: Polygon | MultiPolygon | null = null
    let centroid: [number, number] | null = null
    try {
      if (raw.geometry && f) geometry = reprojectGeometry(raw.geometry, f)
      else if (raw.centroid && f) centroid = f(raw.centroid) as [number, number]
    } catch {
      return { ok: false, problem: '坐标无法转换到经纬度', fix: crsFix(fixedCrs !== null) }
    }
    const finite = (p: number[]) => Number.isFinite(p[0]) && Number.isFinite(p[1])
    if ((geometry && !finite(firstCoordinate(geometry) ?? [NaN])) || (centroid && !finite(centroid))) {
      if (first && finite(first)) {
        return {
          ok: false, problem: `坐标无法按 ${fixedCrs ?? '推断的坐标系'} 换算到经纬度，坐标系可能与数据不符`,
          fix: '检查坐标系是否带带号：东坐标为 8 位（如 37xxxxxx）时用 EPSG:4513–4533，6 位时用 EPSG:4534–4554；或附带正确的 .prj',
        }
      }
    }
    if (geometry) {
      const problems = validatePolygon(geometry)
      if (problems.length) return { ok: false, problem: problems.join('；'), fix: geometryFix(problems, fixedCrs !== null) }
      geometry = rewind(geometry)
      centroid = centroidOf(geometry)
    } else if (centroid && !inChina(centroid)) {
      return { ok: false, problem: `中心点坐标（${centroid.map((v) => v.toFixed(6)).join(', ')}）超出中国范围，可能坐标系错误`, fix: geometryFix(['坐标超出中国范围'], fixedCrs !== null) }
    } else if (!centroid) {
      return {
        ok: false, problem: '缺少图形和中心点坐标，无法确定图斑位置',
        fix: '请导入带图形的 Shapefile/GeoJSON，或在表格中填写中心点经度、纬度（LZB/BZB、X/Y 或 中心点经度/中心点纬度）',
      }
    }
    if (swapped) swappedRows.push(raw.row)
    return { ok: true, geometry, centroid: centroid!, swapped }
  }
  return { place, inferred, swappedRows }
}

export function geometryFix(problems: string[], crsGiven: boolean): string {
  const fixes: string[] = []
  if (problems.some((p) => p.includes('中国范围'))) {
    fixes.push(crsGiven
      ? '检查坐标系：.prj 或 --crs 指定的坐标系可能与数据不符（如带号/不带带号、西安80与2000混用）'
      : '检查坐标系：附带正确的 .prj，或用 --crs EPSG:NNNN 指定；经纬度请勿把经度、纬度写反')
  }
  if (problems.some((p) => p.includes('自相交'))) fixes.push('在 GIS 软件中修复几何（ArcGIS“修复几何”或 QGIS“修复几何图形”）后重新导出')
  if (problems.some((p) => /闭合|少于 4|非数值|为空|外环|不是面/.test(p))) fixes.push('在 GIS 软件中重新绘制或修复该图斑的边界')
  return fixes.join('；') || '修正该图斑的几何后重新导入'
}

/** The note a report carries when rows had longitude and latitude swapped. */
export function swappedNote(rows: number[], word: string): string | null {
  if (!rows.length) return null
  const shown = rows.length > 10 ? `${rows.slice(0, 10).join('、')} 等共 ${rows.length}` : rows.join('、')
  return `第 ${shown} ${word}的坐标经纬度顺序写反（纬度在前、经度在后），已按“经度, 纬度”交换读取；请在源数据中改正（GeoJSON 规定经度在前）`
}
