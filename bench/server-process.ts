// The real server (app/main.ts) as a process of its own, for the benches that measure it from outside
// (restart, webhook): a scratch PostgreSQL database with the demo county and its Feishu groups and
// officials, the Feishu channel in webhook mode pointed at the local Open API stand-in in this process,
// and signed, encrypted events posted to it over loopback as Feishu posts them.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { Agent, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import pg from 'pg'
import { loadDemoCounty } from '../db/demo/load-demo-county.js'
import { openDatabase, type Db } from '../db/open.js'
import { burstCounty } from '../test/support/feishu-burst.js'
import { APP_ID, APP_SECRET, ENCRYPT_KEY, messageEvent, signed, VERIFICATION_TOKEN } from '../test/support/feishu-events.js'
import { FakeOpenApi } from '../test/support/feishu-open-api.js'

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres' // loopback only, by design
export const OFFICE_GROUP = 'oc_bench_office'

export interface County {
  db: Db
  url: string
  /** the chats messages are spoken in, each with its speaker and the patch numbers they may ask about */
  chats: Array<{ chatId: string; senderId: string; numbers: string[] }>
  drop(): Promise<void>
}

/** A scratch database: migrated, the demo county, one Feishu group per township (and the office), an official in each. */
export async function scratchCounty(label: string): Promise<County> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
  } catch (e) {
    throw new Error(`PostgreSQL 不可达（${ADMIN_URL}）：${String(e)}`)
  }
  const name = `weipian_bench_${label}_${Date.now()}_${randomBytes(3).toString('hex')}`
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  const db = await openDatabase({ kind: 'postgres', url: url.toString(), max: 3 })
  const now = new Date()
  await loadDemoCounty(db, { now })
  // the demo's new patches count as pushed already: the benches measure answers, not the first fan-out
  await db.updateTable('patches').set({ state: 'dispatched' }).where('state', '=', 'issued').execute()
  const groups = await burstCounty(db, 0)
  const tenant = await db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()
  await db.insertInto('chats').values({ tenant_id: tenant.id, platform: 'feishu', platform_chat_id: OFFICE_GROUP, kind: 'office', township_id: null, name: '县卫片办（飞书）' }).execute()
  await db.insertInto('people').values({ tenant_id: tenant.id, platform: 'feishu', platform_user_id: 'ou_bench_staff', name: '李卫片', role: 'staff', township_id: null }).execute()
  const chats: County['chats'] = []
  const allNumbers: string[] = []
  for (const [code, chatId] of groups) {
    const township = await db.selectFrom('townships').select('id').where('code', '=', code).executeTakeFirstOrThrow()
    const senderId = `ou_bench_${code}`
    await db.insertInto('people').values({ tenant_id: tenant.id, platform: 'feishu', platform_user_id: senderId, name: `干事${code.slice(-3)}`, role: 'official', township_id: township.id }).execute()
    const numbers = (await db.selectFrom('patches').select('number').where('township_id', '=', township.id).where('military', '=', false).orderBy('id').execute()).map((p) => p.number)
    if (numbers.length === 0) continue
    allNumbers.push(...numbers)
    chats.push({ chatId, senderId, numbers })
  }
  chats.push({ chatId: OFFICE_GROUP, senderId: 'ou_bench_staff', numbers: allNumbers })
  let dropped = false
  return {
    db,
    url: url.toString(),
    chats,
    async drop() {
      if (dropped) return
      dropped = true
      await db.destroy().catch(() => {})
      const c = new pg.Client({ connectionString: ADMIN_URL })
      await c.connect()
      try {
        await c.query(`drop database if exists ${name} with (force)`)
      } finally {
        await c.end()
      }
    },
  }
}

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

export interface ServerProcess {
  child: ChildProcess
  port: number
  /** resolves when the server listens (its 已启动 line), with the ms since spawn */
  ready: Promise<number>
  lines: string[]
  /** resolves when the process has exited */
  exited: Promise<number | null>
}

/**
 * `node --import tsx app/main.ts`: one process (no npx or tsx wrapper in between), so a kill -9 hits
 * the server itself. Deployed mode: PostgreSQL, the Feishu webhook, no console, no demo loading.
 */
export function startServer(county: County, api: FakeOpenApi, port: number, env: Record<string, string> = {}): ServerProcess {
  const spawned = performance.now()
  // BENCH_NODE_ARGS: e.g. --cpu-prof --cpu-prof-dir=/tmp/prof, to profile the server
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'app/main.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: {
      ...process.env,
      DATABASE_URL: county.url,
      HOST: '127.0.0.1',
      PORT: String(port),
      DEMO: 'false',
      CONSOLE_ENABLED: 'false',
      FEISHU_APP_ID: APP_ID,
      FEISHU_APP_SECRET: APP_SECRET,
      FEISHU_MODE: 'webhook',
      FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
      FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
      FEISHU_DOMAIN: api.url,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let onReady: (ms: number) => void = () => {}
  let onFail: (e: Error) => void = () => {}
  const ready = new Promise<number>((resolve, reject) => {
    onReady = resolve
    onFail = reject
  })
  const take = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue
      lines.push(line)
      if (line.includes('已启动')) onReady(performance.now() - spawned)
    }
  }
  child.stdout!.on('data', take)
  child.stderr!.on('data', take)
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    onFail(new Error(`服务器进程退出（${code}）：\n${lines.slice(-20).join('\n')}`))
    resolve(code)
  }))
  return { child, port, ready, lines, exited }
}

export async function stopServer(server: ServerProcess | undefined) {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return
  server.child.kill('SIGTERM')
  const timeout = setTimeout(() => server.child.kill('SIGKILL'), 10_000)
  await server.exited
  clearTimeout(timeout)
}

/** The fake Open API, with the messages the events below are, so the bot's replies find their parents. */
export function openApi() {
  return new FakeOpenApi({ appId: APP_ID, appSecret: APP_SECRET }).start()
}

export interface PreparedEvent {
  messageId: string
  chatId: string
  body: string
  headers: Record<string, string>
}

/** `n` messages `查 <号>`, round robin over the chats, signed and encrypted as Feishu sends them. */
export function prepareEvents(county: County, api: FakeOpenApi, n: number, prefix: string): PreparedEvent[] {
  const events: PreparedEvent[] = []
  for (let i = 0; i < n; i++) {
    const chat = county.chats[i % county.chats.length]!
    const number = chat.numbers[Math.floor(i / county.chats.length) % chat.numbers.length]!
    const messageId = `om_${prefix}_${i.toString().padStart(6, '0')}`
    api.userMessage(chat.chatId, messageId)
    const at = new Date()
    const request = signed(messageEvent({ chatId: chat.chatId, senderId: chat.senderId, at, messageId, eventId: `ev_${prefix}_${i}`, text: `查 ${number}` }), at)
    events.push({ messageId, chatId: chat.chatId, body: request.body, headers: request.headers })
  }
  return events
}

/** Posts one event; resolves with the HTTP status once the answer is read in full. */
export function post(agent: Agent, port: number, event: PreparedEvent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/feishu/events', agent, headers: { ...event.headers, 'content-length': Buffer.byteLength(event.body) } },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(event.body)
  })
}

/** The bot's answers to the given messages on the Open API stand-in: per message, how many, and the last one's time. */
export function answersTo(api: FakeOpenApi, messageIds: Set<string>) {
  const per = new Map<string, number>()
  let last = 0
  for (const m of api.messages) {
    if (!m.parentId || !messageIds.has(m.parentId) || m.uuid === undefined) continue
    per.set(m.parentId, (per.get(m.parentId) ?? 0) + 1)
    last = Math.max(last, m.at)
  }
  return { per, last }
}
