// 资源县 and its townships with square synthetic boundaries near 110.6°E 26.0°N, for import tests.
import type { Polygon } from 'geojson'
import { json } from '../../db/json.js'
import type { Db } from '../../db/open.js'

export const TOWNSHIPS = [
  ['450329100', '资源镇'], ['450329101', '中峰镇'], ['450329102', '梅溪镇'], ['450329202', '瓜里乡'],
  ['450329203', '车田苗族乡'], ['450329204', '两水苗族乡'], ['450329205', '河口瑶族乡'],
] as const

export const CELL = 0.05 // degrees per township square

/** Lower-left corner of township i's square: four per row from 110.50°E, 25.95°N. */
export function townshipOrigin(i: number): [number, number] {
  return [110.5 + CELL * (i % 4), 25.95 + CELL * Math.floor(i / 4)]
}

/** Counter-clockwise square with its lower-left corner at (lon, lat). */
export function square(lon: number, lat: number, size: number): Polygon {
  const r = (v: number) => Math.round(v * 1e9) / 1e9
  return { type: 'Polygon', coordinates: [[[lon, lat], [r(lon + size), lat], [r(lon + size), r(lat + size)], [lon, r(lat + size)], [lon, lat]]] }
}

/** A patch-sized square inside township i, shifted by k so patches do not overlap. */
export function patchIn(i: number, k = 0, size = 0.001): Polygon {
  const [lon, lat] = townshipOrigin(i)
  return square(Math.round((lon + 0.01 + 0.002 * k) * 1e6) / 1e6, Math.round((lat + 0.01) * 1e6) / 1e6, size)
}

/** 资源县 (or another code, so several tests share one database) with its seven townships. */
export async function seedZiyuan(db: Db, opts: { code?: string; townships?: string[] } = {}): Promise<number> {
  const tenant = await db.insertInto('tenants').values({ code: opts.code ?? '450329', name: '资源县', policy_overrides: json({}) }).returning('id').executeTakeFirstOrThrow()
  const rows = TOWNSHIPS.map(([code, name], i) => ({ code, name, i })).filter((t) => !opts.townships || opts.townships.includes(t.code))
  await db.insertInto('townships').values(rows.map((t) => {
    const [lon, lat] = townshipOrigin(t.i)
    return { tenant_id: tenant.id, code: t.code, name: t.name, boundary: json(square(lon, lat, CELL)) }
  })).execute()
  return tenant.id
}
