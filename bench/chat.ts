// `npm run bench -- chat [--patches N] [--messages N] [--no-postgres] [--no-pglite]`
// Server-side latency of a chat message with a county-sized database: from an inbound console message to
// its reply committed in the outbox (the pipeline's `handled` resolves after that commit), for `查 <号>` and for a
// verification report on fresh patches, p50 / p99 over N messages each. The demo county 资源县 is loaded,
// then N patches (default 100,000) are bulk-inserted as already pushed (state dispatched, each with its
// two events and its pushed card in the outbox). PostgreSQL: a scratch database on 127.0.0.1, dropped at
// the end. PGlite: in memory.
//
// (Its first run, before migration 0002, measured 40 ms p50 for 查 on PostgreSQL without the
// (tenant_id, upper(number)) index and 5 ms with it; the migration now has it.)
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { sql } from 'kysely'
import type { Inbound } from '../delivery/channel.js'
import { createRuntime } from '../app/runtime.js'
import { inboundKey } from '../delivery/keys.js'
import { centroidOf } from '../core/index.js'
import { loadDemoCounty } from '../db/demo/load-demo-county.js'
import { seededRandom } from '../db/demo/seeded-random.js'
import { openDatabase, type Db } from '../db/open.js'

const POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres' // loopback only, by design
const HARD_STOP_MS = 20 * 60_000
const START = new Date('2026-11-03T01:00:00Z') // 09:00 China time, a Tuesday
const WARMUP = 20
const SLOW_COMMAND_RUNS = 5

interface Options {
  patches: number
  messages: number
  postgres: boolean
  pglite: boolean
}

function parseOptions(args: string[]): Options {
  const opts: Options = { patches: 100_000, messages: 1000, postgres: true, pglite: true }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--patches') opts.patches = Number(args[++i])
    else if (a === '--messages') opts.messages = Number(args[++i])
    else if (a === '--no-postgres') opts.postgres = false
    else if (a === '--no-pglite') opts.pglite = false
    else throw new Error(`未知选项：${a}`)
  }
  if (!(Number.isInteger(opts.patches) && Number.isInteger(opts.messages) && opts.messages > 0)) throw new Error('--patches 与 --messages 须为正整数')
  // each run reports on fresh patches: two runs × (warm-up + messages)
  if (opts.patches < 2 * (opts.messages + WARMUP)) throw new Error(`--patches 至少为 ${2 * (opts.messages + WARMUP)}`)
  return opts
}

interface Row {
  engine: string
  schema: string
  message: string
  n: number
  p50: number
  p99: number
  max: number
}

const rows: Row[] = []
const notes: string[] = []
const cleanups: Array<() => Promise<void>> = []

export async function run(args: string[]): Promise<void> {
  const opts = parseOptions(args)
  const hardStop = setTimeout(() => {
    console.error(`基准测试超过 ${HARD_STOP_MS / 60_000} 分钟，强制结束。`)
    void Promise.allSettled(cleanups.map((c) => c())).finally(() => process.exit(1))
  }, HARD_STOP_MS)
  hardStop.unref()
  try {
    console.log(`聊天基准：${opts.patches.toLocaleString('en-US')} 个图斑，每类消息 ${opts.messages} 条（另预热 ${WARMUP} 条）`)
    if (opts.postgres) {
      const pgDb = await openScratchPostgres()
      if (pgDb) {
        try {
          await benchEngine('PostgreSQL', pgDb.db, opts)
        } finally {
          await pgDb.drop()
        }
      }
    }
    if (opts.pglite) {
      const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' })
      try {
        await benchEngine('PGlite', db, opts)
      } finally {
        await db.destroy()
      }
    }
    printTable()
  } finally {
    clearTimeout(hardStop)
  }
}

// ── setup ──

async function openScratchPostgres(): Promise<{ db: Db; drop(): Promise<void> } | undefined> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
  } catch (e) {
    notes.push(`PostgreSQL 不可达（${POSTGRES_ADMIN_URL}）：已跳过。${String(e)}`)
    return undefined
  }
  const name = `weipian_bench_chat_${Date.now()}_${randomBytes(3).toString('hex')}`
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(POSTGRES_ADMIN_URL)
  url.pathname = `/${name}`
  const db = await openDatabase({ kind: 'postgres', url: url.toString(), max: 5 })
  let dropped = false
  const drop = async () => {
    if (dropped) return
    dropped = true
    await db.destroy().catch(() => {})
    const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
    await c.connect()
    try {
      await c.query(`drop database if exists ${name} with (force)`)
    } finally {
      await c.end()
    }
  }
  cleanups.push(drop)
  return { db, drop }
}

/** The demo county, then `n` dispatched patches copied from one pushed demo patch, spread over the townships. */
async function populate(db: Db, n: number): Promise<void> {
  await loadDemoCounty(db, { now: START })
  const runtime = await createRuntime({ db, now: () => START, console: true })
  await runtime.dispatch()
  await runtime.flush()
  await runtime.stop()
  const template = await db
    .selectFrom('patches')
    .select('id')
    .where('state', '=', 'dispatched')
    .where('military', '=', false)
    .orderBy('area_mu')
    .executeTakeFirstOrThrow()
  const townships = await db.selectFrom('townships').select(['id', 'boundary']).orderBy('code').execute()
  const centres = townships.map((t, k) => {
    const [lon, lat] = centroidOf(t.boundary!)
    return sql`(${k}::int, ${t.id}::int, ${lon}::float8, ${lat}::float8)`
  })
  const k = townships.length
  // a 0.0003° square (≈ 30 m) per patch on a 0.0005° grid around its township's centre
  await sql`
    with t(k, id, lon, lat) as (values ${sql.join(centres)}),
    g as (
      select g, t.id as township_id,
             t.lon + ((g / ${k}) % 100 - 50) * 0.0005 as x,
             t.lat + ((g / ${k} / 100) % 150 - 75) * 0.0005 as y
      from generate_series(1, ${n}::int) g join t on t.k = g % ${k}
    )
    insert into patches (tenant_id, batch_id, number, kind, category, township_id, geometry,
      min_lon, min_lat, max_lon, max_lat, centroid_lon, centroid_lat, area_mu, declared_area_mu, farmland_mu,
      basic_farmland_mu, red_line_mu, military, attributes, state, flags, due, lifecycle, issued_on, received_on,
      version, created_at, updated_at)
    select p.tenant_id, p.batch_id, 'BM2026' || lpad(g.g::text, 8, '0'), p.kind, p.category, g.township_id,
      jsonb_build_object('type', 'Polygon', 'coordinates', jsonb_build_array(jsonb_build_array(
        jsonb_build_array(g.x, g.y), jsonb_build_array(g.x + 0.0003, g.y), jsonb_build_array(g.x + 0.0003, g.y + 0.0003),
        jsonb_build_array(g.x, g.y + 0.0003), jsonb_build_array(g.x, g.y)))),
      g.x, g.y, g.x + 0.0003, g.y + 0.0003, g.x + 0.00015, g.y + 0.00015, p.area_mu, p.declared_area_mu, p.farmland_mu,
      p.basic_farmland_mu, p.red_line_mu, false, p.attributes, p.state, p.flags, p.due, p.lifecycle, p.issued_on, p.received_on,
      p.version, p.created_at, p.updated_at
    from g cross join (select * from patches where id = ${template.id}) p
  `.execute(db)
  // their history so far (imported, pushed) and the pushed card, as a real county would have them
  await sql`
    insert into patch_events (patch_id, seq, type, at, actor, data, prev_hash, hash)
    select p.id, s.seq, s.type, p.created_at, 'system', '{}'::jsonb,
           case when s.seq = 1 then '' else md5(p.id::text || ':1') end, md5(p.id::text || ':' || s.seq)
    from patches p cross join (values (1, 'imported'), (2, 'pushed')) s(seq, type)
    where p.number like 'BM%'
  `.execute(db)
  await sql`
    insert into outbox (tenant_id, idempotency_key, platform, target, kind, payload, patch_id, status, next_attempt_at, sent_id, sent_at)
    select p.tenant_id, 'push:' || p.id || ':console:' || c.platform_chat_id, 'console', c.platform_chat_id, 'text',
           jsonb_build_object('kind', 'text', 'text', '新下发图斑 ' || p.number), p.id, 'sent', p.created_at,
           'out-push:' || p.id, p.created_at
    from patches p join chats c on c.township_id = p.township_id and c.kind = 'township'
    where p.number like 'BM%'
  `.execute(db)
  await sql`analyze`.execute(db)
}

// ── measuring ──

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

async function benchEngine(engine: string, db: Db, opts: Options) {
  const t0 = performance.now()
  await populate(db, opts.patches)
  const total = await db.selectFrom('patches').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
  console.log(`${engine}：载入 ${total.n.toLocaleString('en-US')} 个图斑（含演示县）用时 ${((performance.now() - t0) / 1000).toFixed(1)} s`)

  let clock = START.getTime()
  const now = () => new Date(clock)
  const runtime = await createRuntime({ db, now, console: true })
  const random = seededRandom(20261103)
  const fresh = await db
    .selectFrom('patches as p')
    .innerJoin('townships as t', 't.id', 'p.township_id')
    .select(['p.number', 't.code'])
    .where('p.number', 'like', 'BM%')
    .orderBy('p.id')
    .limit(2 * (opts.messages + WARMUP))
    .execute()
  let seq = 0

  /** The pipeline's one way in, awaited until the message is handled (its reply committed). */
  async function handleOne(message: Inbound) {
    const accepted = await runtime.pipeline.accept(message)
    return { inboundId: accepted.inboundId, status: accepted.status === 'accepted' ? await accepted.handled : accepted.status }
  }

  async function time(label: string, schema: string, count: number, make: (i: number) => Omit<Inbound, 'platform' | 'messageId' | 'at'>, check?: RegExp) {
    const ms: number[] = []
    const ids: number[] = []
    for (let i = 0; i < count + WARMUP; i++) {
      clock += 1000
      const message: Inbound = { ...make(i), platform: 'console', messageId: `bench-${++seq}`, at: now() }
      const started = performance.now()
      const result = await handleOne(message)
      const elapsed = performance.now() - started
      if (result.status !== 'handled') throw new Error(`${label}：消息未处理（${result.status}）：${message.text}`)
      if (i >= WARMUP) {
        ms.push(elapsed)
        ids.push(result.inboundId)
      }
    }
    // every measured message has its reply in the outbox, and the reply says what it should
    const replied = await db
      .selectFrom('outbox')
      .select(['payload'])
      .where('idempotency_key', 'in', ids.map((id) => inboundKey(id, 0)))
      .execute()
    if (replied.length !== ids.length) throw new Error(`${label}：${ids.length} 条消息只有 ${replied.length} 条回复`)
    const sample = JSON.stringify(replied[0]!.payload)
    if (check && !check.test(sample)) throw new Error(`${label}：回复不符合预期：${sample}`)
    ms.sort((a, b) => a - b)
    rows.push({ engine, schema, message: label, n: ms.length, p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), max: ms[ms.length - 1]! })
    console.log(`  ${schema} · ${label}：p50 ${quantile(ms, 0.5).toFixed(2)} ms，p99 ${quantile(ms, 0.99).toFixed(2)} ms`)
  }

  const query = (i: number) => {
    void i
    const no = `BM2026${String(1 + Math.floor(random.next() * opts.patches)).padStart(8, '0')}`
    return { chatId: 'console:office', senderId: 'console:staff:1', kind: 'text' as const, text: `查 ${no}` }
  }
  const report = (offset: number) => (i: number) => {
    const p = fresh[offset + i]!
    return {
      chatId: `console:township:${p.code}`, senderId: `console:official:${p.code}`, kind: 'text' as const,
      text: `${p.number} 已核查 合法 桂政土批〔2022〕15号`,
    }
  }
  const staff = (text: string) => () => ({ chatId: 'console:office', senderId: 'console:staff:1', kind: 'text' as const, text })

  const asMigrated = '现有迁移'
  await time('查 <号>', asMigrated, opts.messages, query, /状态：/)
  await time('核查上报（合法+批文）', asMigrated, opts.messages, report(0), /已记录|已收到/)
  for (const [label, text, check] of [
    ['统计（全县）', '统计', /图斑\d+个/],
    ['统计 资源镇', '统计 资源镇', /资源镇：图斑\d+个/],
    ['逾期', '逾期', /逾期|没有逾期/],
  ] as const) {
    await timeFew(label, text, check)
  }

  await runtime.stop()

  async function timeFew(label: string, text: string, check: RegExp) {
    const ms: number[] = []
    let reply = ''
    for (let i = 0; i < SLOW_COMMAND_RUNS + 1; i++) {
      clock += 1000
      const started = performance.now()
      const result = await handleOne({ ...staff(text)(), platform: 'console', messageId: `bench-${++seq}`, at: now() })
      const elapsed = performance.now() - started
      if (i > 0) ms.push(elapsed)
      const row = await db.selectFrom('outbox').select('payload').where('idempotency_key', '=', inboundKey(result.inboundId, 0)).executeTakeFirstOrThrow()
      reply = JSON.stringify(row.payload)
    }
    if (!check.test(reply)) throw new Error(`${label}：回复不符合预期：${reply}`)
    ms.sort((a, b) => a - b)
    rows.push({ engine, schema: asMigrated, message: label, n: ms.length, p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), max: ms[ms.length - 1]! })
    console.log(`  ${asMigrated} · ${label}：p50 ${quantile(ms, 0.5).toFixed(1)} ms（${ms.length} 次）`)
  }
}

function printTable() {
  const header = ['数据库', '索引', '消息', '条数', 'p50 ms', 'p99 ms', '最大 ms']
  const body = rows.map((r) => [r.engine, r.schema, r.message, String(r.n), r.p50.toFixed(2), r.p99.toFixed(2), r.max.toFixed(2)])
  // CJK characters take two columns in a terminal
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0)
  const pad = (s: string, w: number, right: boolean) => (right ? ' '.repeat(w - width(s)) + s : s + ' '.repeat(w - width(s)))
  const widths = header.map((h, i) => Math.max(width(h), ...body.map((r) => width(r[i]!))))
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, i >= 3)).join(' │ ')
  console.log('')
  console.log(line(header))
  console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'))
  for (const r of body) console.log(line(r))
  console.log(`\n从入站消息到回复写入 outbox（handled 兑现即已提交）；统计/逾期各 ${SLOW_COMMAND_RUNS} 次（另预热 1 次），p99 即最大值。`)
  for (const n of notes) console.log(`注：${n}`)
}
