// `npm run bench -- webhook [--rates 200,500] [--seconds N]`
// Webhook acknowledgement under load (issue 10, "Prove it"): the real server (app/main.ts, a process
// of its own, so it shares no event loop with the load) on a scratch PostgreSQL database, Feishu in
// webhook mode. Signed, encrypted `im.message.receive_v1` events (`查 <号>` in the 7 township groups
// and the office) are posted over loopback, open loop: at a fixed rate whatever the answers, for
// `--seconds` (default 10) per rate. The latency of an event runs from the moment it was due to be
// sent to the end of the server's answer (so a slow answer delays no later event and hides nothing).
// The handling of those messages, and the sending of the answers to the Open API stand-in, run meanwhile.
import { Agent } from 'node:http'
import { sql } from 'kysely'
import { answersTo, freePort, openApi, post, prepareEvents, scratchCounty, startServer, stopServer, type PreparedEvent, type ServerProcess } from './server-process.js'

const WARMUP = { rate: 50, seconds: 2 }

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN
}

/** Sends `events` at `rate`/s from now on, each when due; resolves with each one's latency (ms) and status. */
async function openLoop(agent: Agent, port: number, events: PreparedEvent[], rate: number) {
  const interval = 1000 / rate
  const latencies: number[] = new Array(events.length)
  const statuses: number[] = new Array(events.length)
  let lagMax = 0
  const pending: Array<Promise<void>> = []
  const t0 = performance.now() + 5
  let next = 0
  await new Promise<void>((resolve) => {
    const pump = () => {
      const now = performance.now()
      while (next < events.length && t0 + next * interval <= now) {
        const i = next++
        const due = t0 + i * interval
        lagMax = Math.max(lagMax, now - due)
        pending.push(
          post(agent, port, events[i]!).then(
            (status) => {
              latencies[i] = performance.now() - due
              statuses[i] = status
            },
            () => {
              latencies[i] = performance.now() - due
              statuses[i] = 0
            },
          ),
        )
      }
      if (next >= events.length) return resolve()
      setTimeout(pump, Math.max(0, t0 + next * interval - performance.now() - 1))
    }
    pump()
  })
  await Promise.all(pending)
  return { latencies, statuses, lagMax }
}

export async function run(args: string[]) {
  let rates = [200, 500]
  let seconds = 10
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--rates') rates = String(args[++i]).split(',').map(Number)
    else if (a === '--seconds') seconds = Number(args[++i])
    else throw new Error(`未知选项：${a}`)
  }
  if (!rates.every((r) => r > 0) || !(seconds > 0)) throw new Error('--rates 与 --seconds 须为正数')

  const county = await scratchCounty('webhook')
  const api = await openApi()
  const agent = new Agent({ keepAlive: true, maxSockets: 512 })
  let server: ServerProcess | undefined
  const rows: string[] = []
  try {
    const port = await freePort()
    server = startServer(county, api, port)
    await server.ready
    console.log(`飞书 Webhook 确认延迟基准（PostgreSQL；真实服务器进程 app/main.ts，压测在另一进程；开环；机器负载下测得，数字仅供参考）`)
    await openLoop(agent, port, prepareEvents(county, api, WARMUP.rate * WARMUP.seconds, 'warmup'), WARMUP.rate)

    for (const rate of rates) {
      const events = prepareEvents(county, api, Math.round(rate * seconds), `r${rate}`)
      const handledBefore = await handledCount(county.db)
      const started = performance.now()
      const { latencies, statuses, lagMax } = await openLoop(agent, port, events, rate)
      const elapsed = (performance.now() - started) / 1000
      const handledDuring = (await handledCount(county.db)) - handledBefore
      const sorted = [...latencies].sort((a, b) => a - b)
      const bad = statuses.filter((s) => s !== 200).length
      const answered = answersTo(api, new Set(events.map((e) => e.messageId))).per.size
      const line = `  ${rate}/s × ${seconds} s（${events.length} 个事件，实际 ${(events.length / elapsed).toFixed(0)}/s，发送最大滞后 ${lagMax.toFixed(1)} ms）：确认 p50 ${quantile(sorted, 0.5).toFixed(1)} ms，p99 ${quantile(sorted, 0.99).toFixed(1)} ms，最大 ${sorted.at(-1)!.toFixed(1)} ms；非 200 ${bad} 个；其间处理完 ${handledDuring} 条（${(handledDuring / elapsed).toFixed(0)}/s），已回复 ${answered} 条`
      console.log(line)
      rows.push(line)
    }
    const p = await county.db.selectFrom('inbound_messages').select(sql<number>`count(*)::int`.as('n')).where('status', '!=', 'handled').executeTakeFirstOrThrow()
    console.log(`  结束时尚未处理 ${p.n} 条（处理在确认之后进行；回复按每群 5 条/s 发出）。目标：500/s 时 p99 ≤ 25 ms`)
    if (process.env.BENCH_LOG) for (const l of server.lines) console.log(l)
  } finally {
    agent.destroy()
    await stopServer(server)
    await api.stop()
    await county.drop()
  }
}

async function handledCount(db: Awaited<ReturnType<typeof scratchCounty>>['db']) {
  const r = await db.selectFrom('inbound_messages').select(sql<number>`count(*)::int`.as('n')).where('status', '=', 'handled').executeTakeFirstOrThrow()
  return r.n
}
