// `npm run bench -- fanout [--patches N] [--faults] [--postgres] [--wecom]`
// (--wecom: the same fan-out through the WeCom 智能机器人 instead: bench/fanout-wecom.ts)
// Fan-out through the Feishu channel: N patch cards (default 300) dispatched to the demo county's 7
// township groups, delivered by the outbox through the real SDK to the local fake Open API, on the
// wall clock. The fake enforces Feishu's limits (5 messages/s per chat, 50/s per app); the channel
// paces itself to stay inside them. Prints the delivery time against the rate-limit bounds:
//   theoretical, evenly spread: N / (7 groups × 5/s)
//   this distribution:          busiest group's messages / 5/s (the groups are not equally busy)
//   app:                         N / 50/s
// --faults: the fake also answers 500 (before and after delivering), the app's 429 and a revoked
// token along the way, as in test/feishu/feishu-burst.test.ts.
import { burstCounty } from '../test/support/feishu-burst.js'
import { feishuHarness } from '../test/support/feishu-harness.js'
import { openPglite, openPostgres, postgresReachable, type TestDatabase } from '../test/support/databases.js'

const PER_CHAT = 5
const PER_APP = 50

export async function run(args: string[]) {
  if (args.includes('--wecom')) return (await import('./fanout-wecom.js')).run(args)
  let patches = 300
  let faults = false
  let postgres = false
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--patches') patches = Number(args[++i])
    else if (a === '--faults') faults = true
    else if (a === '--postgres') postgres = true
    else throw new Error(`未知选项：${a}`)
  }
  if (!(patches > 0)) throw new Error('--patches 须为正整数')
  if (postgres && !(await postgresReachable())) throw new Error('PostgreSQL 不可达（127.0.0.1:5432）')

  const t: TestDatabase = postgres ? await openPostgres() : await openPglite()
  const lines: string[] = []
  const h = await feishuHarness(t.db, { way: 'webhook', realTime: true, log: (l) => lines.push(l) })
  try {
    const groups = await burstCounty(t.db, patches)
    if (faults) {
      h.api.plan((n) => {
        if (n === Math.floor(patches / 2)) h.api.revokeTokens()
        if (n % 41 === 0) return { status: 429, code: 99991400, headers: { 'x-ogw-ratelimit-reset': '2' } }
        if (n % 23 === 0) return { status: 500, code: 1 }
        if (n % 31 === 0) return { status: 500, code: 1, afterCommit: true }
        return undefined
      })
    }
    const d0 = performance.now()
    await h.runtime.dispatch()
    const dispatchMs = performance.now() - d0

    const s0 = performance.now()
    await h.settle(30 * 60_000)
    const deliverMs = performance.now() - s0

    const counts = [...groups.values()].map((chat) => h.api.sentTo(chat).length)
    const total = counts.reduce((a, b) => a + b, 0)
    const sends = h.api.requests.filter((r) => r.path === '/open-apis/im/v1/messages')
    const uploads = h.api.requests.filter((r) => r.path === '/open-apis/im/v1/images').length
    const evenMs = (total / (groups.size * PER_CHAT)) * 1000
    const busiestMs = (Math.max(...counts) / PER_CHAT) * 1000
    const appMs = (total / PER_APP) * 1000
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
    console.log(`飞书扇出基准（${t.name}${faults ? '，注入故障' : ''}）`)
    console.log(`  消息：${total} 条卡片 → ${groups.size} 个群（各群 ${counts.join(' / ')}）；地图上传 ${uploads} 次`)
    console.log(`  派发（写入 outbox）：${s(dispatchMs)}`)
    console.log(`  投递（首条到末条）：${s(deliverMs)}，${(total / (deliverMs / 1000)).toFixed(1)} 条/s`)
    console.log(`  限流下限：均匀分布 ${total}/(${groups.size}×${PER_CHAT}/s) = ${s(evenMs)}；按本次分布（最忙的群 ${Math.max(...counts)} 条 ÷ ${PER_CHAT}/s）= ${s(busiestMs)}；应用级 ${total}/${PER_APP}/s = ${s(appMs)}`)
    console.log(`  实际 / 本次分布下限：${(deliverMs / busiestMs).toFixed(2)}×`)
    console.log(`  发送请求 ${sends.length} 次：成功 ${sends.filter((r) => r.status === 200).length}，500 ${sends.filter((r) => r.status === 500).length}，429 ${sends.filter((r) => r.status === 429).length}，令牌失效 ${sends.filter((r) => r.code === 99991663).length}；假服务器因限流拒绝：每群 ${h.api.refused.perChat}、应用 ${h.api.refused.perApp}`)
    const dead = await t.db.selectFrom('outbox').select('id').where('platform', '=', 'feishu').where('status', '!=', 'sent').execute()
    const duplicates = total - new Set(h.api.messages.filter((m) => m.uuid !== undefined).map((m) => m.uuid)).size
    console.log(`  未送达 ${dead.length} 条，重复 ${duplicates} 条`)
  } finally {
    await h.close()
    await t.close()
  }
}
