// What did not go out, said to the people who can act on it: a row the outbox gave up (the 卫片办
// hears which patch or message, to which group, and why), and patches waiting for a township group
// that is not bound yet.
import type { ExpressionBuilder, Kysely, Transaction } from 'kysely'
import { transition, type Actor } from '../core/index.js'
import { loadPatch, savePatch } from '../db/queries/patches.js'
import { tenantPolicy } from '../db/queries/tenant-policy.js'
import type { Database, OutboxRow, Queryable } from '../db/schema.js'
import { townshipsWithoutGroup } from '../db/queries/townships.js'
import { deadNoticeKey, strandedNoticeKey, unboundNoticeKey } from '../delivery/keys.js'
import { enqueue, type OutboxMessage } from '../delivery/outbox/enqueue.js'
import type { OutboxPayload } from '../delivery/outbox/payload.js'
import { chatsOf } from '../delivery/recipients.js'
import { PLATFORM_NAMES } from '../render/setup-status.js'

const SYSTEM: Actor = { personId: 'system', role: 'system' }


/** Notices about notices would loop (and the office is where they go): these are only logged. */
const isNotice = (key: string) => key.startsWith('dead:') || key.startsWith('unbound:') || key.startsWith('stranded:')

/**
 * The outbox's `onDead`, in the transaction that marks the row dead. A patch card that died sends
 * the patch back to 'issued' through core (`pushFailed`): it is not dispatched, and the dispatcher
 * leaves it alone until the row is re-queued (`npm run cli -- outbox --retry ID`).
 */
export async function reportDead(trx: Transaction<Database>, row: OutboxRow, reason: string, now: Date): Promise<void> {
  if (isNotice(row.idempotency_key) || row.tenant_id === null) return
  const why = reasonInChinese(reason)
  const kind = KIND_LABELS[(row.payload as OutboxPayload).kind] ?? '消息'
  let what = `一条${kind}`
  if (row.patch_id !== null) {
    const loaded = await loadPatch(trx, row.patch_id, true)
    if (loaded) {
      what = `图斑 ${loaded.snapshot.number} 的${kind}`
      if (row.idempotency_key.startsWith('push:') && loaded.snapshot.state === 'dispatched') {
        const tenant = await trx.selectFrom('tenants').select('policy_overrides').where('id', '=', row.tenant_id).executeTakeFirstOrThrow()
        const result = transition(loaded.snapshot, { type: 'pushFailed', reason: why }, SYSTEM, tenantPolicy(tenant.policy_overrides), now)
        if (result.ok) {
          await savePatch(trx, row.patch_id, result.patch, result.events, null)
          what += '（图斑已退回「已下发」，不计为已推送）'
        }
      }
    }
  }
  const chat = await trx.selectFrom('chats').select('name').where('platform', '=', row.platform).where('platform_chat_id', '=', row.target).executeTakeFirst()
  const text =
    `【未送达】${what}未能发送到「${chat?.name ?? row.target}」（${row.platform}，编号 ${row.id}）。原因：${why}。` +
    `处理后请执行 npm run cli -- outbox --retry ${row.id} 重新发送。`
  const offices = await chatsOf(trx, row.tenant_id, { kind: 'office' })
  await enqueue(
    trx,
    offices.map((c) => ({ key: deadNoticeKey(row.id, now, c.platform, c.chatId), tenantId: row.tenant_id, platform: c.platform, target: c.chatId, payload: { kind: 'text', text }, patchId: row.patch_id })),
    now,
  )
}

const KIND_LABELS: Record<string, string> = { card: '推送卡片', text: '文字消息', image: '图片', file: '文件', update: '卡片更新' }

/** A platform's refusal in words the office can act on; the platform's own text stays in brackets. */
function reasonInChinese(reason: string): string {
  const code = /code (\d+)/.exec(reason)?.[1]
  const known: Record<string, string> = {
    '230002': '机器人不在该群，请把机器人重新拉入群聊',
    '230001': '请求参数有误',
    '230006': '机器人能力未启用',
    '230013': '收件人不在应用可用范围内',
    '230017': '机器人被移出或群已解散',
    '99991672': '应用缺少发送消息的权限，请在开发者后台开通后重新发布版本',
    '99991663': '访问令牌失效',
  }
  const head = code && known[code] ? known[code] : /HTTP 5\d\d|ECONNRESET|ECONNREFUSED|timeout|无应答|令牌/.test(reason) ? '多次重试仍失败' : '平台拒绝了这条消息'
  return `${head}（${reason.slice(0, 200)}）`
}

function unboundText(townships: Array<{ name: string; waiting: number }>): string {
  const total = townships.reduce((n, t) => n + t.waiting, 0)
  return (
    `以下乡镇尚未绑定乡镇群，${total}个新图斑暂未推送（核查期限照常计算）：${townships.map((t) => `${t.name}（${t.waiting}个）`).join('、')}。` +
    '请把机器人拉入该乡镇的工作群，并在群内发送「绑定 乡镇名称」；绑定后图斑自动推送。'
  )
}

/** The office hears once per set of waiting patches (a new import with more patches: again). */
export async function noticeUnbound(trx: Transaction<Database>, tenantId: number, now: Date): Promise<void> {
  // in id order, as the notice's key has always listed them
  const townships = (await townshipsWithoutGroup(trx, tenantId)).filter((t) => t.waiting > 0).sort((a, b) => a.id - b.id)
  if (townships.length === 0) return
  const waiting = townships.map((t) => `${t.id}x${t.waiting}`)
  const offices = await chatsOf(trx, tenantId, { kind: 'office' })
  const rows: OutboxMessage[] = offices.map((c) => ({ key: unboundNoticeKey(tenantId, waiting, c.platform, c.chatId), tenantId, platform: c.platform, target: c.chatId, payload: { kind: 'text', text: unboundText(townships) } }))
  await enqueue(trx, rows, now)
}

/**
 * Issued patches whose audience (the township group; the office for military land, 001:61) has chats,
 * but none on a platform this process sends on: grouped by tenant and township.
 */
async function strandedPatches(db: Queryable, platforms: readonly string[]) {
  const audienceChat = (running: boolean) => (eb: ExpressionBuilder<Database, 'patches'>) => {
    let q = eb.selectFrom('chats').select('chats.id').whereRef('chats.tenant_id', '=', 'patches.tenant_id').where((c) =>
      c.or([
        c.and([c('patches.military', '=', true), c('chats.kind', '=', 'office')]),
        c.and([c('patches.military', '=', false), c('chats.kind', '=', 'township'), c('chats.township_id', '=', c.ref('patches.township_id'))]),
      ]))
    if (running) q = q.where('chats.platform', 'in', platforms)
    return q
  }
  return db
    .selectFrom('patches')
    .innerJoin('townships', 'townships.id', 'patches.township_id')
    .select(['patches.tenant_id', 'townships.id as township_id', 'patches.military', 'townships.name', (eb) => eb.fn.countAll<number>().as('waiting')])
    .where('patches.state', '=', 'issued')
    .where((eb) => eb.exists(audienceChat(false)(eb)))
    .where((eb) => eb.not(eb.exists(audienceChat(true)(eb))))
    .groupBy(['patches.tenant_id', 'townships.id', 'patches.military', 'townships.name'])
    .orderBy('patches.tenant_id').orderBy('townships.id')
    .execute()
}

/**
 * Patches that cannot go out from this process because their group is bound on a platform it does not
 * run (not configured here, or another process's): they stay issued and the office hears it, on the
 * platforms that do run, once per set of waiting patches. Never marked delivered into a chat no one sends to.
 */
export async function noticeStranded(db: Kysely<Database>, platforms: readonly string[], now: Date): Promise<void> {
  const groups = await strandedPatches(db, platforms)
  const byTenant = new Map<number, typeof groups>()
  for (const g of groups) byTenant.set(g.tenant_id, [...(byTenant.get(g.tenant_id) ?? []), g])
  for (const [tenantId, list] of byTenant) {
    await db.transaction().execute(async (trx) => {
      const parts: string[] = []
      for (const g of list) {
        const chats = await chatsOf(trx, tenantId, g.military ? { kind: 'office' } : { kind: 'township', townshipId: g.township_id })
        const where = [...new Set(chats.map((c) => PLATFORM_NAMES[c.platform] ?? c.platform))].join('、')
        parts.push(`${g.military ? `${g.name}（涉军，发卫片办群）` : g.name}：${Number(g.waiting)}个，群在${where}`)
      }
      const total = list.reduce((n, g) => n + Number(g.waiting), 0)
      const running = platforms.map((p) => PLATFORM_NAMES[p] ?? p).join('、')
      const text =
        `【暂未推送】${total}个新图斑的接收群绑定在本服务未启用的平台上，图斑保持「已下发」，不计为已推送（核查期限照常计算）：${parts.join('；')}。` +
        `本服务当前启用：${running}。请配置该平台的环境变量后重启（见 docs/deploy.md），或在已启用的平台上重新「绑定」该群；之后图斑自动推送。`
      const offices = (await chatsOf(trx, tenantId, { kind: 'office' })).filter((c) => platforms.includes(c.platform))
      const waiting = list.map((g) => `${g.township_id}${g.military ? 'm' : ''}x${Number(g.waiting)}`)
      await enqueue(trx, offices.map((c) => ({ key: strandedNoticeKey(tenantId, waiting, c.platform, c.chatId), tenantId, platform: c.platform, target: c.chatId, payload: { kind: 'text', text } })), now)
    })
  }
}
