// `npm run bench -- faults [--patches N] [--seconds N] [--pglite]`
// Delivery under the faults real Feishu produces (issue 10, "Prove it"): N patch cards (default 300)
// dispatched to the demo county's 7 township groups, delivered by the outbox through the real Lark SDK
// to the local Open API stand-in (test/support/feishu-open-api.ts), on the wall clock, while the
// stand-in answers faults for `--seconds` (default 60), in six equal slices:
//   1. sustained 429 / 99991400 with x-ogw-ratelimit-reset: 1 on every send
//   2. the token endpoint refusing (HTTP 200 + code 10014, HTTP 503, reset), every token revoked at the start
//   3. 5xx on 70 % of sends, half of them after the message was accepted
//   4. connection resets on 70 % of sends, half of them after the message was accepted (the answer lost)
//   5. sustained 429 with reset 2 s, and every token revoked each 2 s (99991663)
//   6. all of the above mixed, 75 % of sends failing
// The sender runs as the server runs it (app/main.ts: a flush every SENDER_INTERVAL_MS, 500 ms).
// Prints delivered / lost / duplicated, counted on the server side (a duplicate is a second message
// in a chat for the same patch, whatever its uuid), the time from the end of the faults to the first
// and to the last card, and the drain against the 5/s-per-chat bound of the backlog left then.
import { mulberry32 } from '../db/demo/seeded-random.js'
import { deploymentId } from '../db/queries/deployment.js'
import { feishuUuid } from '../bot/feishu/sender.js'
import { platformKey } from '../delivery/keys.js'
import { burstCounty } from '../test/support/feishu-burst.js'
import { feishuHarness } from '../test/support/feishu-harness.js'
import type { Fault } from '../test/support/feishu-open-api.js'
import { openPglite, openPostgres, postgresReachable, type TestDatabase } from '../test/support/databases.js'

const PER_CHAT = 5 // Feishu's limit per chat, messages/s (the stand-in enforces it)
const PER_APP = 50
const TICK_MS = 500 // app/main.ts: SENDER_INTERVAL_MS default
const DRAIN_TIMEOUT_MS = 120_000

const rate429 = (reset: number): Fault => ({ status: 429, code: 99991400, headers: { 'x-ogw-ratelimit-reset': String(reset) } })
const E503: Fault = { status: 503, code: 1, msg: 'service unavailable' }
const E500_AFTER: Fault = { status: 500, code: 1, afterCommit: true }
const RESET: Fault = { status: 0, code: 0, reset: true }
const RESET_AFTER: Fault = { status: 0, code: 0, reset: true, afterCommit: true } // delivered, then the answer is lost

const SLICES = ['持续 429（reset 1 s）', '令牌接口报错 + 令牌全部失效', '5xx（70%，半数在接收之后）', '连接重置（70%，半数在接收之后）', '持续 429（reset 2 s）+ 令牌每 2 s 失效', '混合（75% 失败）'] as const

export async function run(args: string[]) {
  let patches = 300
  let seconds = 60
  let pglite = false
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--patches') patches = Number(args[++i])
    else if (a === '--seconds') seconds = Number(args[++i])
    else if (a === '--pglite') pglite = true
    else throw new Error(`未知选项：${a}`)
  }
  if (!(Number.isInteger(patches) && patches > 0)) throw new Error('--patches 须为正整数')
  if (!(seconds > 0)) throw new Error('--seconds 须为正数')
  if (!pglite && !(await postgresReachable())) throw new Error('PostgreSQL 不可达（127.0.0.1:5432）；可加 --pglite')

  const t: TestDatabase = pglite ? await openPglite() : await openPostgres()
  const lines: string[] = []
  const h = await feishuHarness(t.db, { way: 'webhook', realTime: true, log: (l) => lines.push(l) })
  let timer: NodeJS.Timeout | undefined
  let revoker: NodeJS.Timeout | undefined
  try {
    const groups = await burstCounty(t.db, patches)
    const chats = new Set(groups.values())
    const random = mulberry32(20261201)
    const sliceMs = (seconds * 1000) / SLICES.length
    let start = 0
    let end = 0
    const slice = () => {
      const now = Date.now()
      return now >= start && now < end ? Math.floor((now - start) / sliceMs) : -1
    }
    const pick = (p: number, faults: Fault[]) => {
      const r = random()
      return r < p ? faults[Math.floor((r / p) * faults.length)] : undefined
    }
    h.api.plan(() => {
      switch (slice()) {
        case 0: return rate429(1)
        case 2: return pick(0.7, [E503, E500_AFTER])
        case 3: return pick(0.7, [RESET, RESET_AFTER])
        case 4: return rate429(2)
        case 5: return pick(0.75, [E503, E500_AFTER, RESET, RESET_AFTER, rate429(1)])
        default: return undefined
      }
    })
    let tokenFaults = 0
    h.api.planTokens((n) => {
      if (slice() !== 1) return undefined
      tokenFaults++
      return [{ status: 200, code: 10014, msg: 'app secret invalid' }, E503, RESET][n % 3]
    })
    let revokedAtSlice = -1
    revoker = setInterval(() => {
      const s = slice()
      if ((s === 1 && revokedAtSlice !== 1) || s === 4) h.api.revokeTokens()
      revokedAtSlice = s
    }, 2000)

    // as app/main.ts ticks: one flush at a time, every TICK_MS
    let busy = false
    const tick = async () => {
      if (busy) return
      busy = true
      try {
        await h.runtime.flush(20)
      } catch (error) {
        lines.push(`tick: ${String(error)}`)
      } finally {
        busy = false
      }
    }

    // the cards are written first (maps rendered): the faults start with the sending
    const d0 = performance.now()
    const dispatched = await h.runtime.dispatch()
    const dispatchMs = performance.now() - d0
    start = Date.now()
    end = start + seconds * 1000
    timer = setInterval(() => void tick(), TICK_MS)
    void tick()

    const pendingByChat = async () => {
      const rows = await t.db.selectFrom('outbox').select('target').where('platform', '=', 'feishu').where('status', '=', 'pending').execute()
      const by = new Map<string, number>()
      for (const r of rows) by.set(r.target, (by.get(r.target) ?? 0) + 1)
      return by
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, end - Date.now())))
    const backlog = await pendingByChat()
    const backlogTotal = [...backlog.values()].reduce((a, b) => a + b, 0)
    for (;;) {
      if ((await pendingByChat()).size === 0) break
      if (Date.now() - end > DRAIN_TIMEOUT_MS) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    clearInterval(timer)
    clearInterval(revoker)
    while (busy) await new Promise((resolve) => setTimeout(resolve, 20))

    // ── counted on the server side ──
    const rows = await t.db
      .selectFrom('outbox as o')
      .leftJoin('patches as p', 'p.id', 'o.patch_id')
      .select(['o.id', 'o.idempotency_key', 'o.nonce', 'o.target', 'o.status', 'o.sent_id', 'o.attempts', 'p.number'])
      .where('o.platform', '=', 'feishu')
      .where('o.idempotency_key', 'like', 'push:%')
      .execute()
    const deployment = await deploymentId(t.db)
    const messages = h.api.messages.filter((m) => m.uuid !== undefined && chats.has(m.chatId))
    const byUuid = new Map(messages.map((m) => [m.uuid!, m]))
    const text = new Map(messages.map((m) => [m, JSON.stringify(m.content)]))
    let delivered = 0
    let lost = 0
    let duplicated = 0
    let wrongId = 0
    for (const r of rows) {
      const mine = byUuid.get(feishuUuid(platformKey(deployment, r)))
      // every message in the chat that shows this patch, whatever its uuid
      const shown = messages.filter((m) => m.chatId === r.target && new RegExp(`${r.number}(?![0-9A-Za-z])`).test(text.get(m)!))
      if (shown.length === 0) lost++
      else delivered++
      duplicated += Math.max(0, shown.length - 1)
      if (r.status === 'sent' && mine?.messageId !== r.sent_id) wrongId++
    }
    const foreign = messages.filter((m) => !rows.some((r) => feishuUuid(platformKey(deployment, r)) === m.uuid)).length
    const notSent = rows.filter((r) => r.status !== 'sent')

    const after = messages.map((m) => m.at).filter((at) => at >= end).sort((a, b) => a - b)
    const firstAfter = after.length ? after[0]! - end : NaN
    // the chat that resumed last: each chat's first card after the faults
    const resumes = [...backlog.keys()].map((chat) => messages.filter((m) => m.chatId === chat && m.at >= end).reduce((a, m) => Math.min(a, m.at), Infinity) - end)
    const lastResume = Math.max(0, ...resumes)
    const lastAfter = after.length ? after.at(-1)! - end : NaN
    const busiest = Math.max(0, ...backlog.values())
    const boundMs = Math.max(((busiest - 1) / PER_CHAT) * 1000, (backlogTotal / PER_APP) * 1000, 0)
    const drainMs = after.length ? after.at(-1)! - after[0]! : NaN
    // where the drain time goes: the gaps between a chat's cards after the faults
    const gaps: number[] = []
    for (const chat of chats) {
      const at = messages.filter((m) => m.chatId === chat && m.at >= end).map((m) => m.at).sort((a, b) => a - b)
      for (let i = 1; i < at.length; i++) gaps.push(at[i]! - at[i - 1]!)
    }
    gaps.sort((a, b) => a - b)
    const q = (p: number) => gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))] ?? NaN
    const sends = h.api.requests.filter((r) => r.path === '/open-apis/im/v1/messages')
    const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—')

    console.log(`飞书故障投递基准（${t.name}；真实 Lark SDK → 本地 Open API；墙钟；机器负载下测得，数字仅供参考）`)
    console.log(`  卡片：${dispatched} 个图斑 → ${rows.length} 条卡片 → ${groups.size} 个群（写入 outbox ${s(dispatchMs)}，之后故障开始）；故障 ${seconds} s，六段各 ${s(sliceMs)}：${SLICES.join('；')}`)
    console.log(`  发送请求 ${sends.length} 次：200 ${sends.filter((r) => r.status === 200).length}，429 ${sends.filter((r) => r.status === 429).length}，5xx ${sends.filter((r) => (r.status ?? 0) >= 500).length}，连接重置 ${sends.filter((r) => r.status === 0).length}，令牌失效 ${sends.filter((r) => r.code === 99991663).length}；令牌接口故障 ${tokenFaults} 次；每群限流拒绝 ${h.api.refused.perChat}，应用限流拒绝 ${h.api.refused.perApp}`)
    console.log(`  送达 ${delivered}，丢失 ${lost}，重复 ${duplicated}（服务器端按群 + 图斑号计；另有不属于任何行的 uuid ${foreign} 条，sent_id 不符 ${wrongId} 条）；未发出的行 ${notSent.length}（dead ${notSent.filter((r) => r.status === 'dead').length}）；最多尝试 ${Math.max(...rows.map((r) => r.attempts))} 次`)
    console.log(`  故障结束时积压 ${backlogTotal} 条（最忙的群 ${busiest} 条）`)
    console.log(`  故障结束 → 首条卡片 ${s(firstAfter)}，→ 最后一个恢复的群的首条 ${s(lastResume)}（目标 ≤ 5 s），→ 末条卡片 ${s(lastAfter)}`)
    console.log(`  积压排空（首条到末条）${s(drainMs)}；下限（最忙的群 ${busiest} 条 ÷ ${PER_CHAT}/s，首条不计）${s(boundMs)}；比值 ${boundMs > 0 ? (drainMs / boundMs).toFixed(3) : '—'}×（目标 ≤ 1.10×）`)
    console.log(`  同一群相邻两条卡片的间隔：p50 ${q(0.5)} ms，p90 ${q(0.9)} ms，最大 ${q(1)} ms（5/s 即 200 ms）`)
    const goal = lost === 0 && duplicated === 0 && lastResume <= 5000 && (boundMs === 0 || drainMs <= boundMs * 1.1)
    console.log(`  目标${goal ? '达成' : '未达成'}`)
    if (process.env.FAULTS_LOG) for (const l of lines) console.log(l)
  } finally {
    clearInterval(timer)
    clearInterval(revoker)
    await h.close()
    await t.close()
  }
}
