// `npm run bench -- dossier [--patches N] [--township-patches N] [--photo-kb N] [--paints N] [--no-browser]`
// The exports and the dashboard on a county of 10,000 patches (PGlite in memory: the demo county with
// its patches copied and spread over the county, states and judgments mixed):
//   · a township's 卷宗 of 100 patches, each with 2 photos and a timeline (goal ≤ 10 s)
//   · the county's 填报 table of every patch (goal ≤ 3 s)
//   · the dashboard's county map, first paint with every patch drawn, in headless Chromium on loopback (goal ≤ 2 s)
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import type { Polygon, MultiPolygon } from 'geojson'
import { createRuntime } from '../app/runtime.js'
import type { Judgment, PatchState, RectificationRecord } from '../core/index.js'
import { loadDemoCounty } from '../db/demo/load-demo-county.js'
import { seededRandom } from '../db/demo/seeded-random.js'
import { eventHash } from '../db/events.js'
import { json } from '../db/json.js'
import { openDatabase, type Db } from '../db/open.js'
import { patchIdsOf } from '../db/queries/dossier.js'
import { buildDossierSet } from '../render/dossier/dossier-zip.js'
import { fillingTable, fillingWorkbook } from '../render/filling-table.js'
import { jpegWithExif } from '../test/support/jpeg-exif.js'

const CHROMIUM = '/usr/bin/chromium'
const NOW = new Date('2026-11-20T02:00:00Z')
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`

interface Options { patches: number; townshipPatches: number; photoKb: number; paints: number; browser: boolean }

function parseOptions(args: string[]): Options {
  const o: Options = { patches: 10_000, townshipPatches: 100, photoKb: 200, paints: 3, browser: true }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--patches') o.patches = Number(args[++i])
    else if (a === '--township-patches') o.townshipPatches = Number(args[++i])
    else if (a === '--photo-kb') o.photoKb = Number(args[++i])
    else if (a === '--paints') o.paints = Number(args[++i])
    else if (a === '--no-browser') o.browser = false
    else throw new Error(`未知选项：${a}`)
  }
  if (!(o.patches > 0 && o.townshipPatches > 0 && o.photoKb >= 0 && o.paints > 0)) throw new Error('选项须为正数')
  return o
}

const STATES: PatchState[] = ['dispatched', 'dispatched', 'reported', 'judged', 'rectifying', 'rectified', 'accepted', 'closed']
const ILLEGAL: Judgment = { kind: 'illegal', violationType: '农村乱占耕地建房', landUse: 'new_construction' }

function shift(g: Polygon | MultiPolygon, dx: number, dy: number): Polygon | MultiPolygon {
  const ring = (r: number[][]) => r.map(([x, y]) => [x! + dx, y! + dy])
  return g.type === 'Polygon' ? { type: 'Polygon', coordinates: g.coordinates.map(ring) } : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(ring)) }
}

/** The demo county, its patches copied to `n` (spread by up to ±1.5 km), with states, judgments, events and photos. */
async function county(db: Db, o: Options): Promise<{ tenantId: number; township: string }> {
  await loadDemoCounty(db, { now: NOW })
  const tenant = await db.selectFrom('tenants').select('id').where('code', '=', '450329').executeTakeFirstOrThrow()
  const demo = await db.selectFrom('patches').selectAll().where('tenant_id', '=', tenant.id).execute()
  const zy = await db.selectFrom('townships').select('id').where('code', '=', '450329100').executeTakeFirstOrThrow()
  const staff = await db.selectFrom('people').select('id').where('role', '=', 'staff').executeTakeFirstOrThrow()
  const rnd = seededRandom(14)
  const photoPad = Buffer.alloc(o.photoKb * 1024, 0x5a) // a phone photo as the messengers pass it on (~200 KB)
  let made = demo.length
  let inTownship = demo.filter((p) => p.township_id === zy.id).length
  const rows = []
  while (made < o.patches) {
    const src = demo[made % demo.length]!
    const state = STATES[made % STATES.length]!
    const judged = !['dispatched', 'reported'].includes(state)
    const remedy: RectificationRecord | null = ['rectified', 'accepted', 'closed'].includes(state)
      ? { measure: 'demolished_restored', reportedOn: '2026-11-12', missing: [], ...(state !== 'rectified' ? { acceptedOn: '2026-11-15' } : {}) }
      : null
    const township = inTownship < o.townshipPatches ? zy.id : src.township_id
    if (township === zy.id) inTownship++
    const { id: _id, version: _v, ...copy } = src
    rows.push({
      ...copy, number: `JC2026450329${String(made + 1).padStart(6, '0')}`, township_id: township, state,
      geometry: json(shift(src.geometry!, (rnd.next() - 0.5) * 0.03, (rnd.next() - 0.5) * 0.03)),
      judgment: judged ? json(ILLEGAL) : null, rectification: remedy ? json(remedy) : null,
      proposal: state === 'dispatched' ? null : json({ judgment: ILLEGAL, reportedOn: '2026-11-05', by: String(staff.id), missing: [] }),
      flags: json(src.flags), due: json(src.due), zones: json(src.zones), attributes: json(src.attributes), lifecycle: json(judged ? { judgedOn: '2026-11-06' } : {}),
    })
    made++
  }
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('patches').values(rows.slice(i, i + 500)).execute()

  // the township's dossier patches: a timeline of six steps and two photos each
  const ids = (await patchIdsOf(db, tenant.id, { township: '资源镇' })).slice(0, o.townshipPatches)
  for (const { id, number } of ids) {
    const have = await db.selectFrom('patch_events').select('hash').where('patch_id', '=', id).orderBy('seq', 'desc').executeTakeFirst()
    let prev = have?.hash ?? ''
    let seq = have ? (await db.selectFrom('patch_events').select('seq').where('patch_id', '=', id).orderBy('seq', 'desc').executeTakeFirstOrThrow()).seq : 0
    const events = []
    for (const type of ['pushed', 'evidence_added', 'reported', 'judged', 'rectified', 'accepted']) {
      const at = new Date(NOW.getTime() - (10 - seq) * 3_600_000)
      const data = { bench: true }
      const hash = eventHash({ prevHash: prev, patchNumber: number, type, at, actor: String(staff.id), inboundId: null, data })
      events.push({ patch_id: id, seq: ++seq, type, at, actor: String(staff.id), data: json(data), inbound_id: null, prev_hash: prev, hash })
      prev = hash
    }
    await db.insertInto('patch_events').values(events).execute()
    const photos = [0, 1].map((k) => {
      const bytes = Buffer.concat([jpegWithExif({ lon: 110.6, lat: 26.0, takenAt: '2026:11:05 10:00:00', salt: id * 2 + k }), photoPad])
      return { patch_id: id, kind: 'photo' as const, sha256: `${id}-${k}`, bytes, mime: 'image/jpeg', taken_at: NOW, lon: 110.6, lat: 26.0, distance_m: 3, flags: json([]), person_id: staff.id }
    })
    await db.insertInto('evidence').values(photos).execute()
  }
  return { tenantId: tenant.id, township: '资源镇' }
}

async function time<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now()
  const r = await f()
  return [r, performance.now() - t0]
}

export async function run(args: string[]) {
  const o = parseOptions(args)
  const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' })
  const [{ tenantId, township }, setupMs] = await time(() => county(db, o))
  console.log(`县：${o.patches} 个图斑（PGlite 内存库），乡镇卷宗 ${o.townshipPatches} 个图斑、每个 2 张照片（各约 ${o.photoKb} KB）；准备 ${secs(setupMs)}`)

  const ids = (await patchIdsOf(db, tenantId, { township })).slice(0, o.townshipPatches).map((r) => r.id)
  const [set, dossierMs] = await time(() => buildDossierSet(db, ids, `资源县_${township}`, NOW))
  console.log(`乡镇卷宗（${ids.length} 个图斑）：${secs(dossierMs)}，zip ${(set.bytes.length / 2 ** 20).toFixed(1)} MB（目标 ≤ 10 s）`)

  const [table, loadMs] = await time(() => fillingTable(db, '450329'))
  const [book, writeMs] = await time(() => fillingWorkbook(table, NOW, { flagInconsistent: true }))
  console.log(`全县填报表（${table.rows.length} 行）：${secs(loadMs + writeMs)}（读取与核对 ${secs(loadMs)}，写 xlsx ${secs(writeMs)}），${(book.bytes.length / 2 ** 20).toFixed(1)} MB（目标 ≤ 3 s）`)

  if (!o.browser) return db.destroy()
  if (!existsSync(CHROMIUM)) {
    console.log(`看板首次绘制：跳过（没有 ${CHROMIUM}）`)
    return db.destroy()
  }
  const runtime = await createRuntime({ db, now: () => NOW, console: false })
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: runtime.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s))
  })
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const [, apiMs] = await time(async () => (await fetch(`${base}/api/dashboard/450329/patches.geojson`)).arrayBuffer())
  const [, summaryMs] = await time(async () => (await fetch(`${base}/api/dashboard/450329/summary`)).arrayBuffer())
  const { chromium } = await import('playwright-core')
  const profile = mkdtempSync(join(tmpdir(), 'weipian-bench-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1360, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  const paints: number[] = []
  try {
    for (let i = 0; i < o.paints; i++) {
      const page = await context.newPage()
      await page.goto(`${base}/dashboard`)
      await page.locator('body[data-map-painted]').waitFor({ timeout: 60_000 })
      // ms from the start of navigation to the map's first idle frame with every patch drawn
      paints.push(Number(await page.locator('body').getAttribute('data-map-painted')))
      await page.close()
    }
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await runtime.stop()
    await db.destroy()
  }
  const sorted = [...paints].sort((a, b) => a - b)
  console.log(`看板全县地图首次绘制（${o.patches} 个图斑，Chromium 无头，本机回环）：中位 ${secs(sorted[Math.floor(sorted.length / 2)]!)}，各次 ${paints.map(secs).join(' / ')}；其中 GeoJSON 接口 ${secs(apiMs)}、统计接口 ${secs(summaryMs)}（目标 ≤ 2 s）`)
}
