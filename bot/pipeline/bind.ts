import type { Kysely, Transaction } from 'kysely'
import { answersUnbound, authorize, matchTownship, ROBOT_BIND_HELP, townshipMissText } from '../../core/index.js'
import { bindRobot, maskedKey } from '../../db/queries/webhook-robots.js'
import type { ChatKind, Database } from '../../db/schema.js'
import type { Inbound } from '../../delivery/channel.js'
import { townshipsOf } from '../../db/queries/townships.js'
import type { Context, UnboundContext } from './context.js'
import { handleClaim } from './claim.js'
import { howToWrite } from './platform-notes.js'

/**
 * `绑定 资源镇` / `绑定 卫片办` / `绑定 领导`: a staff member binds the group they write in to a
 * township, the county office or the leaders. Rights come from the sender's `people` row (role
 * staff or admin, on this platform), never from the message. Works in a chat the system does not
 * know yet — that is where binding is needed — and rebinds a known one.
 */
const OFFICE = new Set(['卫片办', '县卫片办', '办公室', '执法大队', '工作群'])
const LEADER = new Set(['领导', '分管领导', '领导群'])
const REGION = { city: new Set(['市级', '市级领导', '市领导']), province: new Set(['省级', '省级领导', '省领导']) } as const

export const BIND_HELP = '请县卫片办工作人员在群内发送「绑定 乡镇名称」（如：绑定 资源镇），卫片办工作群发送「绑定 卫片办」，领导群发送「绑定 领导」。'

type Db = Kysely<Database> | Transaction<Database>
type Target = { kind: Exclude<ChatKind, 'direct'>; townshipId: number | null; label: string }

/** A robot key is its whole credential: said in a group, everyone there has it. */
const KEY_IN_GROUP =
  '群机器人的 key 请不要发在群里：拿到 key 的人都能向那个群发消息，本次未绑定。请私聊机器人发送「绑定 乡镇名称 webhook key」；如担心 key 已泄露，可在企业微信里删除该群机器人后重新添加，用新的 key 绑定。'

/**
 * In a registered chat, or a registered person's one-to-one chat (a case of route.ts, after core's
 * authorize). A group is bound where it is written in; a one-to-one chat binds only group robots (a
 * webhook key names its group), never itself.
 */
export async function handleBind(ctx: Context, target: string | undefined, robotKey?: string): Promise<void> {
  if (robotKey) {
    if (!ctx.inbound.direct) return ctx.reply(KEY_IN_GROUP)
    return ctx.reply((await bindRobotTo(ctx.trx, ctx.tenant.id, target ?? '', robotKey)).text)
  }
  if (ctx.inbound.direct) return ctx.reply(`私聊不能绑定为工作群：请在要绑定的群里发送「绑定 乡镇名称」。${ROBOT_BIND_HELP}`)
  const result = await bind(ctx.trx, ctx.tenant.id, ctx.inbound, target)
  ctx.reply(result)
}

/**
 * A WeCom group robot (消息推送) for a group the 智能机器人 cannot join: the township's (or the
 * office's, the leaders') messages go to it as well. It only sends — the answer says so.
 * For the chat command and the CLI (`npm run cli -- robot bind`).
 */
export async function bindRobotTo(db: Db, tenantId: number, argument: string, key: string): Promise<{ ok: boolean; text: string }> {
  if (!argument) return { ok: false, text: ROBOT_BIND_HELP }
  const target = await targetOf(db, tenantId, argument)
  if ('error' in target) return { ok: false, text: target.error }
  await bindRobot(db, { tenantId, kind: target.kind, townshipId: target.townshipId, label: target.label, key })
  const what = target.kind === 'township' ? `${target.label}的新下发图斑、提醒和通报` : target.kind === 'office' ? '县卫片办的待审核、待验收等消息' : '领导群的简报与待审批事项'
  return {
    ok: true,
    text:
      `已绑定群机器人（key ${maskedKey(key)}）：${what}将通过它推送到该群（卡片以文字发送，每分钟不超过 20 条）。` +
      '注意：群机器人只能发消息，群里的回复机器人收不到——请私聊卫片执法助手发送办理文字（卡片上列出了要发送的内容）。',
  }
}

/**
 * In a chat the system does not know: a bind command from a known staff member binds it; the bot
 * joining is answered with how to bind; anything else with the same help.
 */
export async function handleUnbound(ctx: UnboundContext): Promise<void> {
  const { trx, inbound, intent } = ctx
  // the first administrator claims in whatever chat they have: this one may be unknown
  if (intent?.kind === 'claim') return handleClaim(ctx, intent.code)
  const answeredBefore = await trx.selectFrom('outbox').select('id').where('platform', '=', inbound.platform).where('target', '=', inbound.chatId).limit(1).executeTakeFirst()
  const speak = answersUnbound({
    joined: inbound.kind === 'joined',
    direct: Boolean(inbound.direct),
    addressed: Boolean(inbound.addressed),
    bind: intent?.kind === 'bind',
    answeredBefore: answeredBefore !== undefined,
  })
  if (!speak) return // kept in the inbound store, not answered
  if (inbound.kind === 'joined') {
    return ctx.reply(`卫片执法助手已加入本群。${BIND_HELP}绑定后，新下发的图斑会以卡片推送到群内，可直接回复卡片上报核查结果和现场照片。${howToWrite(inbound.platform) ?? ''}`)
  }
  if (inbound.direct) {
    return ctx.reply(`您尚未登记为本系统用户。请联系县卫片办工作人员为您登记（您的账号：${inbound.senderId}）。`)
  }
  if (intent?.kind === 'bind' && intent.robotKey) return ctx.reply(KEY_IN_GROUP)
  if (intent?.kind === 'bind') {
    const person = await trx
      .selectFrom('people')
      .select(['tenant_id', 'role'])
      .where('platform', '=', inbound.platform)
      .where('platform_user_id', '=', inbound.senderId)
      .executeTakeFirst()
    const verdict = authorize('bind', person ? { role: person.role } : undefined, { kind: 'unbound' })
    if (verdict.ok) return ctx.reply(await bind(trx, person!.tenant_id, inbound, intent.target))
    return ctx.reply(verdict.reason)
  }
  ctx.reply('本群尚未登记到卫片执法系统。请县卫片办工作人员在群内发送「绑定 乡镇名称」（如：绑定 资源镇）。')
}

async function bind(db: Db, tenantId: number, inbound: Inbound, argument: string | undefined): Promise<string> {
  if (!argument) return `用法：${BIND_HELP}`
  const target = await targetOf(db, tenantId, argument)
  if ('error' in target) return target.error
  const name = target.label
  await db
    .insertInto('chats')
    .values({ tenant_id: tenantId, platform: inbound.platform, platform_chat_id: inbound.chatId, kind: target.kind, township_id: target.townshipId, name })
    .onConflict((oc) => oc.columns(['platform', 'platform_chat_id']).doUpdateSet({ kind: target.kind, township_id: target.townshipId, name }))
    .execute()
  const what = target.kind === 'township' ? `${target.label}的乡镇群：新下发的图斑将推送到本群`
    : target.kind === 'office' ? '县卫片办工作群：待审核、待验收的图斑将推送到本群'
    : target.label.endsWith('级）') ? `${target.label}：每个工作日推送所辖各县的汇总简报；发送「统计」「统计 县名」「逾期」查看` : '领导群：每日简报与待审批事项将推送到本群'
  return `已绑定：本群为${what}。发送「帮助」查看可用指令。`
}

async function targetOf(db: Db, tenantId: number, argument: string): Promise<Target | { error: string }> {
  const { level, name } = await db.selectFrom('tenants').select(['level', 'name']).where('id', '=', tenantId).executeTakeFirstOrThrow()
  const asked = REGION.city.has(argument) ? 'city' : REGION.province.has(argument) ? 'province' : undefined
  if (level !== 'county') {
    const word = level === 'city' ? '市级' : '省级'
    if (asked === level) return { kind: 'leader', townshipId: null, label: `${name}领导群（${word}）` }
    return { error: `您是${name}（${word}）的工作人员：请在领导群发送「绑定 ${word}」，该群将收到所辖各县的汇总简报。` }
  }
  if (asked) {
    return { error: `「绑定 ${asked === 'city' ? '市级' : '省级'}」须由${asked === 'city' ? '市级' : '省级'}管理员发送：在服务器上运行 npm run cli -- admin invite --level ${asked} --code ${asked === 'city' ? '4503' : '45'}（换成本级代码）取得认领码，认领后再绑定。` }
  }
  if (OFFICE.has(argument)) return { kind: 'office', townshipId: null, label: '县卫片办工作群' }
  if (LEADER.has(argument)) return { kind: 'leader', townshipId: null, label: '领导群' }
  const townships = await townshipsOf(db, tenantId)
  const found = matchTownship(argument, townships)
  if (found.ok) return { kind: 'township', townshipId: found.township.id, label: found.township.name }
  return { error: townshipMissText(argument, found, { listLabel: '可绑定的乡镇', orElse: '或「绑定 卫片办」「绑定 领导」' }) }
}
