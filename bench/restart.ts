// `npm run bench -- restart [--messages N]`
// Restart after kill -9 (issue 10, "Prove it"): the real server (app/main.ts, its own process) on a
// scratch PostgreSQL database, Feishu in webhook mode against the local Open API stand-in. N messages
// (default 400, `查 <号>`, spread over the 7 township groups and the office) are posted as signed,
// encrypted events and acknowledged — stored — while their handling is held back (a trigger makes the
// "handled" mark wait for an advisory lock this bench holds), so all N are stored and none handled.
// Then kill -9, release, restart, and time from the restart's spawn until every message has its
// answer on the Open API stand-in, counting answers per message (exactly once each).
import { Agent } from 'node:http'
import { sql } from 'kysely'
import pg from 'pg'
import { answersTo, freePort, openApi, post, prepareEvents, scratchCounty, startServer, stopServer, type ServerProcess } from './server-process.js'

const HOLD_LOCK = 4_242_010 // the advisory lock the trigger waits for
const PER_CHAT = 5 // Feishu: messages/s per chat (the stand-in enforces it)
const ANSWER_TIMEOUT_MS = 120_000

export async function run(args: string[]) {
  let messages = 400
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--messages') messages = Number(args[++i])
    else throw new Error(`未知选项：${a}`)
  }
  if (!(Number.isInteger(messages) && messages > 0)) throw new Error('--messages 须为正整数')

  const county = await scratchCounty('restart')
  const api = await openApi()
  const agent = new Agent({ keepAlive: true, maxSockets: 50 })
  let server: ServerProcess | undefined
  const holder = new pg.Client({ connectionString: county.url })
  try {
    await holder.connect()
    await sql`create function bench_hold_handling() returns trigger language plpgsql as $$
      begin perform pg_advisory_xact_lock_shared(${sql.lit(HOLD_LOCK)}); return new; end $$`.execute(county.db)
    await sql`create trigger bench_hold_handling before update of status on inbound_messages
      for each row when (new.status = 'handled') execute function bench_hold_handling()`.execute(county.db)
    await holder.query('select pg_advisory_lock($1)', [HOLD_LOCK])

    const port = await freePort()
    server = startServer(county, api, port)
    await server.ready
    const events = prepareEvents(county, api, messages, 'restart')
    const statuses = await Promise.all(events.map((e) => post(agent, port, e)))
    const refused = statuses.filter((s) => s !== 200).length
    if (refused) throw new Error(`${refused} 条事件未被确认（HTTP ${[...new Set(statuses)].join('/')}）`)
    const stored = await county.db.selectFrom('inbound_messages').select(['status']).where('platform', '=', 'feishu').execute()
    const unhandled = stored.filter((r) => r.status !== 'handled').length

    // kill -9 while every handling waits for the lock; then let the dead process's backends go
    const pid = server.child.pid!
    server.child.kill('SIGKILL')
    await server.exited
    agent.destroy()
    await holder.query('select pg_advisory_unlock($1)', [HOLD_LOCK])
    const name = `weipian:${pid}:%`
    for (let i = 0; i < 200; i++) {
      const left = await holder.query('select count(*)::int as n from pg_stat_activity where application_name like $1', [name])
      if (left.rows[0].n === 0) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    await sql`drop trigger bench_hold_handling on inbound_messages`.execute(county.db)
    const after = await county.db.selectFrom('inbound_messages').select('status').where('platform', '=', 'feishu').execute()
    const stillUnhandled = after.filter((r) => r.status !== 'handled').length
    const answeredBefore = answersTo(api, new Set(events.map((e) => e.messageId))).per.size

    // the restart, timed from its spawn
    const restartAt = Date.now()
    server = startServer(county, api, port)
    const readyMs = await server.ready
    const ids = new Set(events.map((e) => e.messageId))
    let answers = answersTo(api, ids)
    while (answers.per.size < ids.size && Date.now() - restartAt < ANSWER_TIMEOUT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      answers = answersTo(api, ids)
    }
    const allMs = answers.last - restartAt
    // what the replay did, from the database: all handled, and when the last one was
    const handled = await county.db
      .selectFrom('inbound_messages')
      .select([sql<number>`count(*)::int`.as('n'), sql<Date>`max(handled_at)`.as('last')])
      .where('platform', '=', 'feishu')
      .where('status', '=', 'handled')
      .executeTakeFirstOrThrow()
    const replies = await county.db.selectFrom('outbox').select('target').where('platform', '=', 'feishu').where('idempotency_key', 'like', 'in:%').execute()
    const perChat = new Map<string, number>()
    for (const r of replies) perChat.set(r.target, (perChat.get(r.target) ?? 0) + 1)
    const busiest = Math.max(...perChat.values())
    await new Promise((resolve) => setTimeout(resolve, 1000)) // a late second answer would show here
    answers = answersTo(api, ids)
    const twice = [...answers.per.values()].filter((n) => n > 1).length
    const failed = server.lines.filter((l) => /inbound \d+ failed/.test(l)).length
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`

    console.log(`kill -9 后重启基准（PostgreSQL；真实服务器进程 app/main.ts；飞书 Webhook → 本地 Open API；机器负载下测得，数字仅供参考）`)
    console.log(`  ${messages} 条「查 <号>」经签名加密的事件发入 ${county.chats.length} 个群，全部确认；kill -9 时已存储未处理 ${unhandled} 条（释放后仍未处理 ${stillUnhandled} 条，已有回复 ${answeredBefore} 条）`)
    console.log(`  重启：进程启动到监听 ${s(readyMs)}；重新处理 ${handled.n} 条，最后一条处理于重启后 ${s(new Date(handled.last).getTime() - restartAt)}`)
    console.log(`  全部 ${answers.per.size}/${messages} 条得到回复：重启后 ${s(allMs)}（目标 ≤ 20 s）；回复两次以上的 ${twice} 条；处理失败 ${failed} 条`)
    console.log(`  发送下限：最忙的群 ${busiest} 条回复 ÷ ${PER_CHAT}/s = ${s((busiest / PER_CHAT) * 1000)}`)
    console.log(`  目标${answers.per.size === messages && twice === 0 && allMs <= 20_000 ? '达成' : '未达成'}`)
    if (process.env.BENCH_LOG) for (const l of server.lines) console.log(l)
  } finally {
    agent.destroy()
    await stopServer(server)
    await holder.end().catch(() => {})
    await api.stop()
    await county.drop()
  }
}
