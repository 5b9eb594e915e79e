// What a patch's locator map shows, read from the database: the patch, its township and its line,
// the protection-layer polygons and the other patches in the frame, and a place name when the data
// has one. The same loader serves the cards, the dossier and the dashboard.
import { sql } from 'kysely'
import { centroidOf, distanceToPolygonM, pointInPolygon } from '../core/geometry.js'
import type { Queryable } from '../db/schema.js'
import type { Basemap } from './basemap.js'
import { contactSheetSvg, MAX_SHEET_PHOTOS, type SheetPhoto } from './contact-sheet.js'
import { mapFrameOf, renderPatchMap, reviewPictureSvg, svgToPng, type PatchMapInput, type ProtectionLayerKind } from './patch-map.js'

const PROTECTION: ProtectionLayerKind[] = ['farmland', 'basic_farmland', 'red_line']
// policy choice: at most this many polygons of a layer and neighbours in one frame (a picture of
// 480 px shows no more)
const MAX_FEATURES = 400
const MAX_NEIGHBOURS = 60

/**
 * Attribute names that hold a place (三调 layers: ZLDWMC 坐落单位名称; patch tables: 坐落, 村名 …),
 * in the order they are trusted.
 */
const PLACE_KEYS = ['坐落单位名称', 'ZLDWMC', '坐落', '坐落位置', 'ZL', '行政村', '村名', 'XZCMC', 'CMC', '地名', 'DM', '位置']

export function placeOf(attributes: Record<string, unknown> | null | undefined): string | undefined {
  if (!attributes) return undefined
  for (const k of PLACE_KEYS) {
    const v = attributes[k]
    if (typeof v === 'string' && v.trim() && !/^\d+$/.test(v.trim())) return v.trim()
  }
  return undefined
}

export async function loadPatchMapInput(db: Queryable, patchId: number): Promise<PatchMapInput | undefined> {
  const p = await db
    .selectFrom('patches')
    .leftJoin('townships', 'townships.id', 'patches.township_id')
    .select(['patches.tenant_id', 'patches.number', 'patches.geometry', 'patches.area_mu', 'patches.farmland_mu', 'patches.basic_farmland_mu', 'patches.red_line_mu', 'patches.attributes', 'townships.name as township', 'townships.boundary'])
    .where('patches.id', '=', patchId)
    .executeTakeFirst()
  if (!p?.geometry) return undefined
  const input: PatchMapInput = {
    patch: { number: p.number, geometry: p.geometry, areaMu: p.area_mu },
    township: p.township || p.boundary ? { name: p.township, boundary: p.boundary } : null,
    areas: { farmland: p.farmland_mu, basic_farmland: p.basic_farmland_mu, red_line: p.red_line_mu },
  }
  const [w, s, e, n] = mapFrameOf(input).bbox
  const layers = await db
    .selectFrom('protection_areas')
    .select(['layer', 'geometry', 'attributes'])
    .where('tenant_id', '=', p.tenant_id)
    .where('layer', 'in', PROTECTION)
    .where('min_lon', '<=', e).where('max_lon', '>=', w).where('min_lat', '<=', n).where('max_lat', '>=', s)
    .limit(MAX_FEATURES * PROTECTION.length)
    .execute()
  input.layers = layers.map((l) => ({ kind: l.layer as ProtectionLayerKind, geometry: l.geometry }))
  const neighbours = await db
    .selectFrom('patches')
    .select(['number', 'geometry'])
    .where('tenant_id', '=', p.tenant_id)
    .where('id', '<>', patchId)
    .where('geometry', 'is not', null)
    .where('min_lon', '<=', e).where('max_lon', '>=', w).where('min_lat', '<=', n).where('max_lat', '>=', s)
    .orderBy(sql`abs((min_lon + max_lon) / 2 - ${(w + e) / 2}) + abs((min_lat + max_lat) / 2 - ${(s + n) / 2})`)
    .limit(MAX_NEIGHBOURS)
    .execute()
  input.neighbours = neighbours.flatMap((r) => (r.geometry ? [{ number: r.number, geometry: r.geometry }] : []))
  input.place = nearestPlace(p.attributes, p.geometry, layers)
  return input
}

/**
 * The patch's own place attribute; else the named layer polygon it lies in, or the nearest one
 * in the frame, with how far it is.
 */
function nearestPlace(own: Record<string, unknown>, geometry: PatchMapInput['patch']['geometry'], layers: Array<{ geometry: PatchMapInput['patch']['geometry']; attributes: Record<string, unknown> }>): string | null {
  const mine = placeOf(own)
  if (mine) return `坐落：${mine}`
  const c = centroidOf(geometry)
  let best: { name: string; d: number } | null = null
  for (const l of layers) {
    const name = placeOf(l.attributes)
    if (!name) continue
    const d = pointInPolygon(c, l.geometry) ? 0 : distanceToPolygonM(c, l.geometry)
    if (!best || d < best.d) best = { name, d }
  }
  if (!best) return null
  return best.d < 1 ? `坐落：${best.name}` : `最近地名：${best.name}（约${Math.round(best.d)}米）`
}

/** The locator map of a patch as PNG (undefined: the patch has no geometry), over the basemap when one is given. */
export async function patchMapPngOf(db: Queryable, patchId: number, basemap?: Basemap | null): Promise<Uint8Array | undefined> {
  const input = await loadPatchMapInput(db, patchId)
  if (!input) return undefined
  if (basemap) input.basemap = await basemap.tilesFor(mapFrameOf(input))
  return renderPatchMap(input)
}

/** The photos of a patch for its contact sheet, the first `limit` in the order received. */
export async function sheetPhotosOf(db: Queryable, patchId: number, limit: number): Promise<SheetPhoto[]> {
  if (limit <= 0) return []
  const rows = await db
    .selectFrom('evidence')
    .select(['bytes', 'mime', 'distance_m', 'taken_at', 'flags'])
    .where('patch_id', '=', patchId)
    .where('kind', '=', 'photo')
    .orderBy('id')
    .limit(Math.min(limit, MAX_SHEET_PHOTOS))
    .execute()
  return rows.map((r) => ({
    bytes: r.bytes ?? new Uint8Array(),
    mime: r.bytes ? (r.mime ?? 'image/jpeg') : 'none',
    distanceM: r.distance_m,
    takenAt: r.taken_at ? new Date(r.taken_at) : null,
    flags: r.flags,
  }))
}

/** The review card's picture: the map with the contact sheet of the first `photos` photos under it. */
export async function reviewPicturePngOf(db: Queryable, patchId: number, photos: number, basemap?: Basemap | null): Promise<Uint8Array | undefined> {
  const input = await loadPatchMapInput(db, patchId)
  if (!input) return photos > 0 ? svgToPng(contactSheetSvg(await sheetPhotosOf(db, patchId, photos), photos)) : undefined
  if (basemap) input.basemap = await basemap.tilesFor(mapFrameOf(input))
  return svgToPng(reviewPictureSvg(input, await sheetPhotosOf(db, patchId, photos), photos))
}
