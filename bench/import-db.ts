// The whole import path into a database, on the benchmark's synthetic data: the protection layers
// through `layer import` (importLayer: read, place, check, insert), then the patches through
// importBatch as the CLI runs it (read, check, township, overlay on every core, insert, first events).
// PostgreSQL and PGlite alike.
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Polygon } from 'geojson'
import pg from 'pg'
import { areaMu } from '../core/geometry.js'
import { PROTECTION_LAYERS } from '../core/overlay.js'
import { importBatch } from '../db/import/import-batch.js'
import { importLayer } from '../db/import/layer-import.js'
import { overlayInParallel } from '../db/import/parallel-overlay.js'
import { json } from '../db/json.js'
import { openDatabase, type Db } from '../db/open.js'
import type { SyntheticData } from './import.js'

export type DbOutcome =
  | { ran: true; layerMs: number; layerRows: number; importMs: number; imported: number; farmlandMu: number[]; openRss: number }
  | { ran: false; reason: string }

const TOWNSHIP = '450329100'
const POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres' // loopback only, by design

/** Opens the engine's database (fresh), runs `f`, removes it again. */
async function withEngine(engine: 'postgres' | 'pglite', f: (db: Db) => Promise<DbOutcome>): Promise<DbOutcome> {
  if (engine === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'weipian-bench-'))
    try {
      execFileSync(process.execPath, [...process.execArgv, new URL('./prepare-pglite.ts', import.meta.url).pathname, join(dir, 'data')], { stdio: 'inherit' })
      const db = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'data') })
      try {
        return await f(db)
      } finally {
        await db.destroy()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
  } catch (e) {
    return { ran: false, reason: `127.0.0.1:5432 上的 PostgreSQL 连不上（${(e as Error).message}）` }
  }
  const name = `weipian_bench_import_${process.pid}_${Date.now()}`
  try {
    await admin.query(`create database ${name}`)
    const url = new URL(POSTGRES_ADMIN_URL)
    url.pathname = `/${name}`
    const db = await openDatabase({ kind: 'postgres', url: url.toString() })
    try {
      return await f(db)
    } finally {
      await db.destroy()
    }
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => undefined)
    await admin.end()
  }
}

export async function runDatabaseImport(engine: 'postgres' | 'pglite', data: SyntheticData, sample: () => void): Promise<DbOutcome> {
  const rssBefore = process.memoryUsage().rss
  return withEngine(engine, async (db) => {
    const openRss = process.memoryUsage().rss - rssBefore
    await db.insertInto('tenants').values({ code: '450329', name: '基准县（合成）', policy_overrides: json({}) }).execute()
    const tenant = await db.selectFrom('tenants').select('id').where('code', '=', '450329').executeTakeFirstOrThrow()
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

    // the three protection layers as the files a county would have: one GeoJSON per layer
    const files = PROTECTION_LAYERS.map((layer) => ({
      layer,
      bytes: new TextEncoder().encode(JSON.stringify({
        type: 'FeatureCollection',
        features: data.areas.filter((a) => a.layer === layer).map((a, i) => ({ type: 'Feature', geometry: a.geometry, properties: { BSM: i + 1, DLMC: '水田' } })),
      })),
    }))
    sample()
    const t0 = performance.now()
    let layerRows = 0
    for (const f of files) {
      const r = await importLayer(db, { tenantCode: '450329', fileName: `${f.layer}.geojson`, bytes: f.bytes, kind: f.layer, now: new Date('2026-07-01T00:00:00Z') })
      if (r.status !== 'ok') return { ran: false, reason: `图层导入未成功：${r.message}` }
      layerRows += r.counts.imported
      sample()
    }
    const layerMs = performance.now() - t0
    files.length = 0

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
    const report = await importBatch(db, { tenantCode: '450329', fileName: 'bench.geojson', bytes, issuedOn: '2026-07-01', now: new Date('2026-07-01T01:00:00Z'), overlayAll: overlayInParallel })
    const importMs = performance.now() - t1
    sample()
    if (report.status !== 'ok') return { ran: false, reason: `导入未成功：${report.message}` }
    const rows = await db.selectFrom('patches').select(['number', 'farmland_mu']).orderBy('number').execute()
    return { ran: true, layerMs, layerRows, importMs, imported: report.counts.imported, farmlandMu: rows.map((r) => r.farmland_mu), openRss }
  })
}
