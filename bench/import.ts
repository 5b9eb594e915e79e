// `npm run bench -- import [--patches N] [--areas N] [--threads N] [--no-postgis] [--no-postgres] [--no-pglite]`
// The hot part of an import: overlap of every patch with the protection layers. Synthetic, deterministic
// data; in-process (flatbush + polygon-clipping) on one thread and on every core, the whole import
// (layers, then patches) into PostgreSQL and into PGlite, and the same overlay in PostGIS on 127.0.0.1.
import type { Polygon, Position } from 'geojson'
import pg from 'pg'
import { PROTECTION_LAYERS, ProtectionIndex, type LayerOverlap, type ProtectionArea, type ProtectionLayer } from '../core/overlay.js'
import { seededRandom, type Random } from '../db/demo/seeded-random.js'
import { startOverlayPool } from '../db/import/parallel-overlay.js'
import { availableParallelism } from 'node:os'

const POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres' // loopback only, by design
const HARD_STOP_MS = 30 * 60_000
const MU = 10000 / 15

interface Options {
  patches: number
  areas: number
  postgis: boolean
  postgres: boolean
  pglite: boolean
  threads: number
}

function parseOptions(args: string[]): Options {
  const opts: Options = { patches: 10_000, areas: 100_000, postgis: true, postgres: true, pglite: true, threads: availableParallelism() }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--patches') opts.patches = Number(args[++i])
    else if (a === '--areas') opts.areas = Number(args[++i])
    else if (a === '--no-postgis') opts.postgis = false
    else if (a === '--no-pglite') opts.pglite = false
    else if (a === '--no-postgres') opts.postgres = false
    else if (a === '--threads') opts.threads = Number(args[++i])
    else throw new Error(`未知选项：${a}`)
  }
  if (!(opts.patches > 0 && opts.areas > 0 && opts.threads > 0)) throw new Error('--patches、--areas 与 --threads 须为正整数')
  return opts
}

// ── memory: rss sampled by a timer and inside the synchronous loops (which starve the timer) ──

let peakRss = 0
const sampleRss = () => {
  const rss = process.memoryUsage().rss
  if (rss > peakRss) peakRss = rss
}
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')} 图斑/s (patches/s)`

// ── synthetic county: 100 m grid cells, one small field per cell; patches as blobs of 15–150 m ──

const LON0 = 110.35
const LAT0 = 25.85
const M_PER_DEG = (6371008.8 * Math.PI) / 180
const COS_LAT = Math.cos((26 * Math.PI) / 180)
const CELL = 100
const round7 = (v: number) => Math.round(v * 1e7) / 1e7
const lonLat = (x: number, y: number): Position => [round7(LON0 + x / (M_PER_DEG * COS_LAT)), round7(LAT0 + y / M_PER_DEG)]
const closed = (ring: Position[]): Position[] => [...ring, ring[0]!]

export interface SyntheticData {
  areas: (ProtectionArea & { geometry: Polygon })[]
  patches: Polygon[]
  extent: { width: number; height: number } // metres
}

export function syntheticCounty(nAreas: number, nPatches: number, seed = 20260701): SyntheticData {
  const rnd = seededRandom(seed)
  const cols = Math.ceil(Math.sqrt(nAreas * 1.6))
  const rows = Math.ceil(nAreas / cols)
  const areas: SyntheticData['areas'] = []
  for (let i = 0; i < nAreas; i++) {
    const cx = (i % cols) * CELL + CELL / 2 + rnd.range(-5, 5)
    const cy = Math.floor(i / cols) * CELL + CELL / 2 + rnd.range(-5, 5)
    const r = rnd.next()
    const layer: ProtectionLayer = r < 0.6 ? 'farmland' : r < 0.85 ? 'basic_farmland' : 'red_line'
    areas.push({ layer, geometry: { type: 'Polygon', coordinates: [closed(field(rnd, cx, cy))] } })
  }
  const width = cols * CELL
  const height = rows * CELL
  const patches: Polygon[] = []
  for (let i = 0; i < nPatches; i++) {
    const radius = 15 * Math.pow(10, rnd.next()) // log-uniform 15–150 m: 1 亩 to about 100 亩
    const cx = rnd.range(radius, width - radius)
    const cy = rnd.range(radius, height - radius)
    patches.push({ type: 'Polygon', coordinates: [closed(blob(rnd, cx, cy, radius, rnd.int(6, 10)))] })
  }
  return { areas, patches, extent: { width, height } }
}

function field(rnd: Random, cx: number, cy: number): Position[] {
  const halfW = rnd.range(10, 28)
  const halfH = rnd.range(10, 28)
  const angle = rnd.range(-0.5, 0.5)
  const cos = Math.cos(angle)
  const sin = Math.sin(angle)
  return ([[-1, -1], [1, -1], [1, 1], [-1, 1]] as const).map(([sx, sy]) => {
    const dx = sx * halfW * rnd.range(0.85, 1.15)
    const dy = sy * halfH * rnd.range(0.85, 1.15)
    return lonLat(cx + dx * cos - dy * sin, cy + dx * sin + dy * cos)
  })
}

function blob(rnd: Random, cx: number, cy: number, radius: number, n: number): Position[] {
  const start = rnd.range(0, Math.PI * 2)
  return Array.from({ length: n }, (_, i) => {
    const a = start + ((i + rnd.range(-0.25, 0.25)) * 2 * Math.PI) / n
    const r = radius * rnd.range(0.8, 1.2)
    return lonLat(cx + r * Math.cos(a), cy + r * Math.sin(a))
  })
}

// ── in-process overlay ──

interface OursResult {
  buildMs: number
  overlayMs: number
  results: LayerOverlap[]
  stats: ProtectionIndex['stats']
}

function runOurs(data: SyntheticData): OursResult {
  const t0 = performance.now()
  const index = new ProtectionIndex(data.areas)
  const buildMs = performance.now() - t0
  sampleRss()
  const t1 = performance.now()
  const results: LayerOverlap[] = new Array(data.patches.length)
  for (let i = 0; i < data.patches.length; i++) {
    results[i] = index.overlapByLayer(data.patches[i]!)
    if ((i & 255) === 0) sampleRss()
  }
  const overlayMs = performance.now() - t1
  sampleRss()
  return { buildMs, overlayMs, results, stats: { ...index.stats } }
}

interface ParallelResult {
  startMs: number // packing into shared memory, the threads' start
  overlayMs: number
  threads: number
  same: boolean
}

async function runParallel(data: SyntheticData, threads: number, single: LayerOverlap[]): Promise<ParallelResult> {
  const t0 = performance.now()
  const pool = await startOverlayPool(data.areas, threads)
  const startMs = performance.now() - t0
  sampleRss()
  try {
    const t1 = performance.now()
    const results = await pool.overlap(data.patches)
    const overlayMs = performance.now() - t1
    sampleRss()
    const same = results.every((r, i) => PROTECTION_LAYERS.every((l) => r[l] === single[i]![l]))
    return { startMs, overlayMs, threads: pool.threads, same }
  } finally {
    await pool.close()
  }
}

// ── PostGIS on 127.0.0.1 ──

type PostgisOutcome =
  | {
      ran: true; loadMs: number; indexMs: number; queryMs: number; version: string
      results: Map<string, number> // default: area on the WGS84 spheroid
      sphereSample: Map<string, number> // a sample on the sphere, turf's model: shows what is left once the earth model agrees
    }
  | { ran: false; reason: string }

async function runPostgis(data: SyntheticData): Promise<PostgisOutcome> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
  } catch (e) {
    return { ran: false, reason: `127.0.0.1:5432 上的 PostgreSQL 连不上（${(e as Error).message}）` }
  }
  const dbName = `weipian_bench_${process.pid}_${Date.now()}`
  try {
    await admin.query(`create database ${dbName}`)
    const url = new URL(POSTGRES_ADMIN_URL)
    url.pathname = `/${dbName}`
    const client = new pg.Client({ connectionString: url.toString() })
    await client.connect()
    try {
      try {
        await client.query('create extension postgis')
      } catch (e) {
        return { ran: false, reason: `PostGIS 扩展不可用（${(e as Error).message}）；安装：apt-get update && apt-get install -y postgresql-15-postgis-3` }
      }
      await client.query(`set statement_timeout = '20min'`)
      const version = (await client.query<{ v: string }>('select postgis_lib_version() as v')).rows[0]!.v
      await client.query('create table areas (id int primary key, layer text not null, geom geometry(Polygon, 4326) not null)')
      await client.query('create table patches (id int primary key, geom geometry(Polygon, 4326) not null)')

      const t0 = performance.now()
      const CHUNK = 5000
      for (let i = 0; i < data.areas.length; i += CHUNK) {
        const chunk = data.areas.slice(i, i + CHUNK).map((a, k) => ({ i: i + k, l: a.layer, g: a.geometry }))
        await client.query(
          `insert into areas select (e->>'i')::int, e->>'l', ST_SetSRID(ST_GeomFromGeoJSON(e->'g'), 4326) from jsonb_array_elements($1::jsonb) e`,
          [JSON.stringify(chunk)],
        )
        sampleRss()
      }
      for (let i = 0; i < data.patches.length; i += CHUNK) {
        const chunk = data.patches.slice(i, i + CHUNK).map((g, k) => ({ i: i + k, g }))
        await client.query(
          `insert into patches select (e->>'i')::int, ST_SetSRID(ST_GeomFromGeoJSON(e->'g'), 4326) from jsonb_array_elements($1::jsonb) e`,
          [JSON.stringify(chunk)],
        )
      }
      const loadMs = performance.now() - t0

      const t1 = performance.now()
      await client.query('create index areas_geom on areas using gist (geom)')
      await client.query('create index patches_geom on patches using gist (geom)')
      await client.query('analyze areas')
      await client.query('analyze patches')
      const indexMs = performance.now() - t1

      const t2 = performance.now()
      const res = await client.query<{ patch: number; layer: string; mu: number }>(
        `select p.id as patch, a.layer, sum(ST_Area(ST_Intersection(p.geom, a.geom)::geography)) / ${MU} as mu
           from patches p join areas a on ST_Intersects(p.geom, a.geom)
          group by p.id, a.layer`,
      )
      const queryMs = performance.now() - t2
      sampleRss()
      const results = new Map<string, number>()
      for (const r of res.rows) results.set(`${r.patch}:${r.layer}`, Number(r.mu))
      const sample = await client.query<{ patch: number; layer: string; mu: number }>(
        `select p.id as patch, a.layer, sum(ST_Area(ST_Intersection(p.geom, a.geom)::geography, false)) / ${MU} as mu
           from patches p join areas a on ST_Intersects(p.geom, a.geom)
          where p.id % 20 = 0
          group by p.id, a.layer`,
      )
      const sphereSample = new Map<string, number>()
      for (const r of sample.rows) sphereSample.set(`${r.patch}:${r.layer}`, Number(r.mu))
      return { ran: true, loadMs, indexMs, queryMs, results, sphereSample, version }
    } finally {
      await client.end()
    }
  } catch (e) {
    return { ran: false, reason: `PostGIS 运行出错（${(e as Error).message}）` }
  } finally {
    await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => undefined)
    await admin.end()
  }
}

/** Relative disagreement per (patch, layer) where either side has at least 0.01 亩. */
function compare(ours: LayerOverlap[], theirs: Map<string, number>, every = 1) {
  const diffs: number[] = []
  let worst = { key: '', ours: 0, theirs: 0, rel: 0 }
  let maxAbs = 0
  for (let i = 0; i < ours.length; i += every) {
    for (const layer of PROTECTION_LAYERS) {
      const a = ours[i]![layer]
      const b = theirs.get(`${i}:${layer}`) ?? 0
      maxAbs = Math.max(maxAbs, Math.abs(a - b))
      const big = Math.max(a, b)
      if (big < 0.01) continue
      const rel = Math.abs(a - b) / big
      diffs.push(rel)
      if (rel > worst.rel) worst = { key: `${i}:${layer}`, ours: a, theirs: b, rel }
    }
  }
  diffs.sort((x, y) => x - y)
  const q = (p: number) => diffs[Math.min(diffs.length - 1, Math.floor(p * diffs.length))] ?? 0
  return { pairs: diffs.length, median: q(0.5), p99: q(0.99), over1pct: diffs.filter((d) => d > 0.01).length, worst, maxAbs }
}

export async function run(args: string[]): Promise<void> {
  const opts = parseOptions(args)
  const stop = setTimeout(() => {
    console.error(`基准测试超过 ${HARD_STOP_MS / 60_000} 分钟，强制结束`)
    process.exit(3)
  }, HARD_STOP_MS)
  stop.unref()
  const timer = setInterval(sampleRss, 50)
  timer.unref()
  try {
    console.log(`导入基准：${opts.patches.toLocaleString('en-US')} 个图斑 × ${opts.areas.toLocaleString('en-US')} 个保护图斑（合成数据，固定种子）`)
    console.log(`Node ${process.version}，${process.platform}/${process.arch}`)
    const tg = performance.now()
    const data = syntheticCounty(opts.areas, opts.patches)
    sampleRss()
    console.log(`生成数据：${secs(performance.now() - tg)}，范围 ${(data.extent.width / 1000).toFixed(1)} km × ${(data.extent.height / 1000).toFixed(1)} km`)

    const ours = runOurs(data)
    const oursMs = ours.buildMs + ours.overlayMs
    const s = ours.stats
    console.log('\n[进程内] flatbush + booleanIntersects 预筛 + polygon-clipping')
    console.log(`  建索引        ${secs(ours.buildMs)}`)
    console.log(`  叠加分析      ${secs(ours.overlayMs)}  ${rate(opts.patches, ours.overlayMs)}`)
    console.log(`  合计          ${secs(oursMs)}  ${rate(opts.patches, oursMs)}`)
    console.log(`  候选 ${s.candidates.toLocaleString('en-US')}（每图斑 ${(s.candidates / s.queries).toFixed(1)}），预筛排除 ${s.rejected.toLocaleString('en-US')}，裁剪 ${s.clipped.toLocaleString('en-US')}`)
    const hit = ours.results.filter((r) => r.farmland + r.basic_farmland + r.red_line > 0).length
    console.log(`  有叠加的图斑 ${hit.toLocaleString('en-US')} / ${opts.patches.toLocaleString('en-US')}`)
    console.log(`  峰值内存 rss  ${mb(peakRss)}`)

    const par = await runParallel(data, opts.threads, ours.results)
    const parMs = par.startMs + par.overlayMs
    console.log(`\n[进程内，${par.threads} 个线程] worker_threads，保护图斑与索引放在共享内存`)
    console.log(`  打包、启动线程 ${secs(par.startMs)}`)
    console.log(`  叠加分析      ${secs(par.overlayMs)}  ${rate(opts.patches, par.overlayMs)}`)
    console.log(`  合计          ${secs(parMs)}  ${rate(opts.patches, parMs)}（单线程合计的 ${(oursMs / parMs).toFixed(2)} 倍速）`)
    console.log(`  与单线程结果${par.same ? '逐个相同' : '不一致！'}`)

    const engines = [...(opts.postgres ? (['postgres'] as const) : []), ...(opts.pglite ? (['pglite'] as const) : [])]
    const imports: Array<{ engine: string; outcome: Awaited<ReturnType<typeof import('./import-db.js').runDatabaseImport>> }> = []
    if (engines.length) {
      const { runDatabaseImport } = await import('./import-db.js')
      for (const engine of engines) imports.push({ engine, outcome: await runDatabaseImport(engine, data, sampleRss) })
      console.log('\n[完整导入] layer import（3 个图层文件）→ importBatch')
      // terminal columns: a CJK character takes two
      const pad = (text: string, width: number) => text + ' '.repeat(Math.max(1, width - [...text].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)))
      console.log(`  ${pad('', 28)}${imports.map(({ engine }) => pad(engine === 'postgres' ? 'PostgreSQL' : 'PGlite（数据目录）', 22)).join('')}`)
      const row = (label: string, f: (o: Extract<(typeof imports)[number]['outcome'], { ran: true }>) => string) =>
        console.log(`  ${pad(label, 28)}${imports.map(({ outcome: o }) => pad(o.ran ? f(o) : '跳过', 22)).join('')}`)
      row(`载入 ${opts.areas.toLocaleString('en-US')} 个保护图斑`, (o) => `${secs(o.layerMs)}`)
      row(`导入 ${opts.patches.toLocaleString('en-US')} 个图斑`, (o) => `${secs(o.importMs)}`)
      row('入库耕地面积 = 进程内', (o) => (o.farmlandMu.every((v, i) => Math.abs(v - ours.results[i]!.farmland) < 1e-9) ? '逐个相同' : '不一致！'))
      row('打开数据库占 rss', (o) => mb(o.openRss))
      for (const { engine, outcome } of imports) if (!outcome.ran) console.log(`  ${engine} 跳过：${outcome.reason}`)
    }

    if (opts.postgis) {
      console.log('\n[PostGIS] 127.0.0.1:5432，GiST 索引，ST_Intersects + ST_Area(ST_Intersection(...)::geography)')
      const pgis = await runPostgis(data)
      if (pgis.ran) {
        console.log(`  PostGIS ${pgis.version}`)
        console.log(`  载入          ${secs(pgis.loadMs)}`)
        console.log(`  建 GiST 索引  ${secs(pgis.indexMs)}`)
        console.log(`  叠加查询      ${secs(pgis.queryMs)}  ${rate(opts.patches, pgis.queryMs)}`)
        console.log(`  比值：PostGIS 查询 / 进程内单线程（建索引+叠加） = ${(pgis.queryMs / oursMs).toFixed(2)}×`)
        console.log(`  比值：PostGIS 查询 / 进程内 ${par.threads} 线程（打包+启动+叠加） = ${(pgis.queryMs / parMs).toFixed(2)}×；不计线程启动 ${(pgis.queryMs / par.overlayMs).toFixed(2)}×`)
        console.log(`  比值：PostGIS（建索引+查询） / 进程内 ${par.threads} 线程（打包+启动+叠加） = ${((pgis.indexMs + pgis.queryMs) / parMs).toFixed(2)}×`)
        const show = (title: string, c: ReturnType<typeof compare>) =>
          console.log(
            `  ${title}：${c.pairs.toLocaleString('en-US')} 个（图斑, 图层）对，相对差中位数 ${(c.median * 100).toFixed(4)}%，` +
              `P99 ${(c.p99 * 100).toFixed(4)}%，超过 1% 的 ${c.over1pct} 个；最大 ${(c.worst.rel * 100).toFixed(4)}%` +
              `（${c.worst.key}：本程序 ${c.worst.ours.toFixed(4)} 亩，PostGIS ${c.worst.theirs.toFixed(4)} 亩）；最大绝对差 ${c.maxAbs.toFixed(4)} 亩`,
          )
        show('一致性（全部，椭球面）', compare(ours.results, pgis.results))
        show('一致性（每 20 个抽 1，球面）', compare(ours.results, pgis.sphereSample, 20))
        console.log('  （turf 按球面计算面积，PostGIS geography 默认按 WGS84 椭球面：此纬度约差 0.2%）')
      } else {
        console.log(`  跳过：${pgis.reason}`)
      }
    }
    sampleRss()
    const load = (await import('node:os')).loadavg()[0]!
    console.log(`\n全程峰值内存 rss ${mb(peakRss)}（主线程与叠加线程同属本进程）`)
    console.log(`运行时 1 分钟平均负载 ${load.toFixed(1)}（${availableParallelism()} 核）${load > availableParallelism() ? '：机器繁忙，以上用时偏大，请在空闲时复测' : ''}`)
  } finally {
    clearInterval(timer)
    clearTimeout(stop)
  }
}
