import type { Kysely, Transaction } from 'kysely'
import { answersUnbound, authorize, matchTownship, townshipMissText } from '../../core/index.js'
import type { ChatKind, Database } from '../../db/schema.js'
import type { Inbound } from '../../delivery/channel.js'
import type { Context, UnboundContext } from './context.js'
import { howToWrite } from './platform-notes.js'

/**
 * `绑定 资源镇` / `绑定 卫片办` / `绑定 领导`: a staff member binds the group they write in to a
 * township, the county office or the leaders. Rights come from the sender's `people` row (role
 * staff or admin, on this platform), never from the message. Works in a chat the system does not
 * know yet — that is where binding is needed — and rebinds a known one.
 */
const OFFICE = new Set(['卫片办', '县卫片办', '办公室', '执法大队', '工作群'])
const LEADER = new Set(['领导', '分管领导', '领导群'])

export const BIND_HELP = '请县卫片办工作人员在群内发送「绑定 乡镇名称」（如：绑定 资源镇），卫片办工作群发送「绑定 卫片办」，领导群发送「绑定 领导」。'

type Db = Kysely<Database> | Transaction<Database>
type Target = { kind: Exclude<ChatKind, 'direct'>; townshipId: number | null; label: string }

/** In a registered chat (a case of route.ts, after core's authorize). */
export async function handleBind(ctx: Context, target: string | undefined): Promise<void> {
  const result = await bind(ctx.trx, ctx.tenant.id, ctx.inbound, target)
  ctx.reply(result)
}

/**
 * In a chat the system does not know: a bind command from a known staff member binds it; the bot
 * joining is answered with how to bind; anything else with the same help.
 */
export async function handleUnbound(ctx: UnboundContext): Promise<void> {
  const { trx, inbound, intent } = ctx
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
  if (intent?.kind === 'bind') {
    const person = await trx
      .selectFrom('people')
      .select(['tenant_id', 'role'])
      .where('platform', '=', inbound.platform)
      .where('platform_user_id', '=', inbound.senderId)
      .executeTakeFirst()
    if (person && authorize('bind', { role: person.role }, { kind: 'unbound' }).ok) return ctx.reply(await bind(trx, person.tenant_id, inbound, intent.target))
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
  const what = target.kind === 'township' ? `${target.label}的乡镇群：新下发的图斑将推送到本群` : target.kind === 'office' ? '县卫片办工作群：待审核、待验收的图斑将推送到本群' : '领导群：每日简报与待审批事项将推送到本群'
  return `已绑定：本群为${what}。发送「帮助」查看可用指令。`
}

async function targetOf(db: Db, tenantId: number, argument: string): Promise<Target | { error: string }> {
  if (OFFICE.has(argument)) return { kind: 'office', townshipId: null, label: '县卫片办工作群' }
  if (LEADER.has(argument)) return { kind: 'leader', townshipId: null, label: '领导群' }
  const townships = await db.selectFrom('townships').select(['id', 'code', 'name']).where('tenant_id', '=', tenantId).orderBy('code').execute()
  const found = matchTownship(argument, townships)
  if (found.ok) return { kind: 'township', townshipId: found.township.id, label: found.township.name }
  return { error: townshipMissText(argument, found, { listLabel: '可绑定的乡镇', orElse: '或「绑定 卫片办」「绑定 领导」' }) }
}
