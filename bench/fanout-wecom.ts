// `npm run bench -- fanout --wecom [--patches N] [--postgres]`
// Fan-out through the WeCom 智能机器人 channel: N patch cards (default 300) dispatched to the demo
// county's 7 township groups, delivered by the outbox through the real SDK (@wecom/aibot-node-sdk)
// over its long connection to the local protocol server (test/support/wecom-server.ts), on the
// wall clock. Each proactive message is an aibot_send_msg frame answered by a receipt; a card with
// a map is first its picture (uploaded in chunks once per content, then a media message).
import { burstCounty } from '../test/support/feishu-burst.js'
import { openPglite, openPostgres, postgresReachable, type TestDatabase } from '../test/support/databases.js'
import { wecomHarness } from '../test/support/wecom-harness.js'

export async function run(args: string[]) {
  let patches = 300
  let postgres = false
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--patches') patches = Number(args[++i])
    else if (a === '--postgres') postgres = true
    else if (a === '--wecom') continue
    else throw new Error(`未知选项：${a}`)
  }
  if (!(patches > 0)) throw new Error('--patches 须为正整数')
  if (postgres && !(await postgresReachable())) throw new Error('PostgreSQL 不可达（127.0.0.1:5432）')

  const t: TestDatabase = postgres ? await openPostgres() : await openPglite()
  const lines: string[] = []
  const h = await wecomHarness(t.db, { realTime: true, log: (l) => lines.push(l) })
  try {
    const groups = await burstCounty(t.db, patches, 'wecom')
    const d0 = performance.now()
    await h.runtime.dispatch()
    const dispatchMs = performance.now() - d0

    const s0 = performance.now()
    await h.settle(30 * 60_000)
    const deliverMs = performance.now() - s0

    const perGroup = [...groups.values()].map((chat) => h.server.sentTo(chat))
    const cards = perGroup.map((sent) => sent.filter((m) => m.msgtype === 'template_card' || m.msgtype === 'markdown').length)
    const pictures = perGroup.reduce((n, sent) => n + sent.filter((m) => m.msgtype === 'image').length, 0)
    const total = cards.reduce((a, b) => a + b, 0)
    const frames = h.server.messages.length
    const taskIds = h.server.messages.filter((m) => m.msgtype === 'template_card').map((m) => (m.body.template_card as { task_id: string }).task_id)
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
    console.log(`企业微信扇出基准（智能机器人长连接，真实 SDK → 本地协议服务器，${t.name}）`)
    console.log(`  卡片：${total} 张 → ${groups.size} 个群（各群 ${cards.join(' / ')}）；地图图片 ${pictures} 条，上传 ${h.server.media.size} 次（同一内容只上传一次）`)
    console.log(`  派发（写入 outbox）：${s(dispatchMs)}`)
    console.log(`  投递（首条到末条）：${s(deliverMs)}，卡片 ${(total / (deliverMs / 1000)).toFixed(1)} 张/s，发送帧 ${frames} 个（${(frames / (deliverMs / 1000)).toFixed(1)} 帧/s）`)
    const unsent = await t.db.selectFrom('outbox').select('id').where('platform', '=', 'wecom').where('status', '!=', 'sent').execute()
    console.log(`  未送达 ${unsent.length} 条，重复卡片 ${taskIds.length - new Set(taskIds).size} 张`)
  } finally {
    await h.close()
    await t.close()
  }
}
