// The whole import path (importBatch: read, check, township, overlay, insert, first events) into an
// in-memory PGlite, on the benchmark's synthetic data.
import type { Polygon } from 'geojson'
import { areaMu } from '../core/geometry.js'
import { importBatch } from '../db/import/import-batch.js'
import { json } from '../db/json.js'
import { openDatabase } from '../db/open.js'
import type { SyntheticData } from './import.js'

export type PgliteOutcome =
  | { ran: true; protectionMs: number; importMs: number; imported: number; farmlandMu: number[]; pgliteOpenRss: number }
  | { ran: false; reason: string }

const TOWNSHIP = '450329100'

export async function runPgliteImport(data: SyntheticData, sample: () => void): Promise<PgliteOutcome> {
  const rssBefore = process.memoryUsage().rss
  const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' })
  const pgliteOpenRss = process.memoryUsage().rss - rssBefore // the WASM heap alone, before any of our data
  try {
    const tenant = await db.insertInto('tenants').values({ code: '450329', name: '基准县（合成）', policy_overrides: json({}) }).returning('id').executeTakeFirstOrThrow()
    // one township over the whole synthetic area, so every patch matches by code and lies inside it
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity]
    for (const a of data.areas) {
      for (const [x, y] of a.geometry.coordinates[0]!) {
        x0 = Math.min(x0, x! - 0.01)
        y0 = Math.min(y0, y! - 0.01)
        x1 = Math.max(x1, x! + 0.01)
        y1 = Math.max(y1, y! + 0.01)
      }
    }
    const boundary: Polygon = { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] }
    await db.insertInto('townships').values({ tenant_id: tenant.id, code: TOWNSHIP, name: '基准镇', boundary: json(boundary) }).execute()

    const t0 = performance.now()
    for (let i = 0; i < data.areas.length; i += 1000) {
      await db.insertInto('protection_areas').values(
        data.areas.slice(i, i + 1000).map((a) => {
          const ring = a.geometry.coordinates[0]!
          const xs = ring.map((p) => p[0]!)
          const ys = ring.map((p) => p[1]!)
          return {
            tenant_id: tenant.id, layer: a.layer, geometry: json(a.geometry),
            min_lon: Math.min(...xs), min_lat: Math.min(...ys), max_lon: Math.max(...xs), max_lat: Math.max(...ys), attributes: json({}),
          }
        }),
      ).execute()
      if ((i / 1000) % 10 === 0) sample()
    }
    const protectionMs = performance.now() - t0

    const file = {
      type: 'FeatureCollection',
      features: data.patches.map((geometry, i) => ({
        type: 'Feature',
        geometry,
        properties: {
          监测编号: `JC2026450329${String(i + 1).padStart(6, '0')}`, 行政区代码: TOWNSHIP, 图斑类型: '新增非农建设类',
          监测面积: Math.round(areaMu(geometry) * 100) / 100, 监测批次: '基准测试批次',
        },
      })),
    }
    const bytes = new TextEncoder().encode(JSON.stringify(file))
    sample()
    const t1 = performance.now()
    const report = await importBatch(db, { tenantCode: '450329', fileName: 'bench.geojson', bytes, issuedOn: '2026-07-01', now: new Date('2026-07-01T01:00:00Z') })
    const importMs = performance.now() - t1
    sample()
    if (report.status !== 'ok') return { ran: false, reason: `导入未成功：${report.message}` }
    const rows = await db.selectFrom('patches').select(['number', 'farmland_mu']).orderBy('number').execute()
    return { ran: true, protectionMs, importMs, imported: report.counts.imported, farmlandMu: rows.map((r) => r.farmland_mu), pgliteOpenRss }
  } finally {
    await db.destroy()
  }
}
