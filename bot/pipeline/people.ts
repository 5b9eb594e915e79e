import { REGISTER_HELP, matchTownship, townshipMissText, type RegisterRole } from '../../core/index.js'
import type { Role } from '../../db/schema.js'
import type { Context } from './context.js'

/**
 * `登记 @张三 干事 资源镇` / `登记 @李四 卫片办` / `登记 @王局 领导` / `注销 @张三`: staff manage
 * who may do what, in the chat. People are keyed by (platform, platform_user_id) — the open_id a
 * mention carries — so the mention, not the typed name, says who. Rights come from the sender's own
 * row (staff or admin of this tenant), never from the message.
 */
const MANAGERS: readonly Role[] = ['staff', 'admin']
const ROLE_NAMES: Record<RegisterRole, string> = { official: '乡镇人员', staff: '县卫片办工作人员', leader: '领导' }

type Mentioned = { id: string; name: string }

export async function handleRegister(ctx: Context, role: RegisterRole, townshipName: string | undefined): Promise<void> {
  const refused = refusal(ctx, '登记')
  if (refused) return ctx.reply(refused)
  const mentioned = ctx.inbound.mentions ?? []
  if (mentioned.length === 0) return ctx.reply(`请在「登记」后 @ 要登记的人（在群里 @ 选择此人，不要只打名字）。${REGISTER_HELP}`)

  let township: { id: number; name: string } | undefined
  if (role === 'official') {
    if (townshipName) {
      const found = matchTownship(townshipName, await townshipsOf(ctx))
      if (!found.ok) return ctx.reply(townshipMissText(townshipName, found))
      township = found.township
    } else if (ctx.chat.kind === 'township' && ctx.township) {
      township = ctx.township
    } else {
      return ctx.reply(`请写明乡镇，如：登记 @张三 干事 资源镇。${REGISTER_HELP}`)
    }
  }

  const done: string[] = []
  for (const who of mentioned) {
    const line = await upsert(ctx, who, role, township)
    done.push(line)
  }
  ctx.reply(done.join('\n'))
}

export async function handleUnregister(ctx: Context): Promise<void> {
  const refused = refusal(ctx, '注销')
  if (refused) return ctx.reply(refused)
  const mentioned = ctx.inbound.mentions ?? []
  if (mentioned.length === 0) return ctx.reply('请在「注销」后 @ 要注销的人，如：注销 @张三。')
  const lines: string[] = []
  for (const who of mentioned) {
    const existing = await personOf(ctx, who.id)
    if (!existing || existing.tenant_id !== ctx.tenant.id) {
      lines.push(`${who.name || who.id} 未登记，无需注销。`)
      continue
    }
    if (existing.id === ctx.person!.id) {
      lines.push('不能注销自己，请由另一位县卫片办工作人员办理。')
      continue
    }
    if (existing.role === 'admin' && ctx.person!.role !== 'admin') {
      lines.push(`${existing.name} 是系统管理员，只能由管理员注销。`)
      continue
    }
    // the row stays (photos and decisions keep naming who made them), but no account matches it any more
    await ctx.trx
      .updateTable('people')
      .set({ platform: 'revoked', platform_user_id: `${existing.platform}:${existing.platform_user_id}:${existing.id}` })
      .where('id', '=', existing.id)
      .execute()
    lines.push(`已注销：${existing.name}（原为${roleLabel(existing.role)}），此后不能再办理图斑。`)
  }
  ctx.reply(lines.join('\n'))
}

function refusal(ctx: Context, verb: string): string | undefined {
  if (!ctx.person) return `您尚未登记为本系统用户，不能${verb}人员。请联系县卫片办。`
  if (!MANAGERS.includes(ctx.person.role)) return `只有县卫片办工作人员可以${verb}人员。`
  return undefined
}

async function upsert(ctx: Context, who: Mentioned, role: RegisterRole, township: { id: number; name: string } | undefined): Promise<string> {
  const existing = await personOf(ctx, who.id)
  const name = who.name || existing?.name || who.id
  const what = `${township ? township.name : ''}${ROLE_NAMES[role]}`
  if (existing && existing.tenant_id !== ctx.tenant.id) return `${name} 已登记在其他单位，不能在本县登记。`
  if (existing?.id === ctx.person!.id) return '不能更改自己的登记，请由另一位县卫片办工作人员办理。'
  if (existing?.role === 'admin' && ctx.person!.role !== 'admin') return `${name} 是系统管理员，只能由管理员更改。`
  const townshipId = township?.id ?? null
  if (existing) {
    await ctx.trx.updateTable('people').set({ name, role, township_id: townshipId }).where('id', '=', existing.id).execute()
    return `已更新：${name} 为${what}（原为${roleLabel(existing.role)}）。`
  }
  await ctx.trx
    .insertInto('people')
    .values({ tenant_id: ctx.tenant.id, platform: ctx.inbound.platform, platform_user_id: who.id, name, role, township_id: townshipId, created_at: ctx.now })
    .execute()
  return `已登记：${name} 为${what}。${role === 'official' ? '可在本乡镇群回复图斑卡片办理图斑。' : ''}`
}

function personOf(ctx: Context, platformUserId: string) {
  return ctx.trx
    .selectFrom('people')
    .selectAll()
    .where('platform', '=', ctx.inbound.platform)
    .where('platform_user_id', '=', platformUserId)
    .forUpdate()
    .executeTakeFirst()
}

function roleLabel(role: Role): string {
  return role === 'admin' ? '系统管理员' : ROLE_NAMES[role as RegisterRole] ?? role
}

async function townshipsOf(ctx: Context) {
  return ctx.trx.selectFrom('townships').select(['id', 'code', 'name']).where('tenant_id', '=', ctx.tenant.id).orderBy('code').execute()
}
