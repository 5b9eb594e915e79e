import { REGISTER_HELP, authorize, matchTownship, townshipMissText, type RegisterRole } from '../../core/index.js'
import type { Person, Role } from '../../db/schema.js'
import { townshipsOf } from '../../db/queries/townships.js'
import type { Context } from './context.js'
import { chatScopeOf, senderOf } from './scope-of.js'

/**
 * `登记 @张三 干事 资源镇` / `登记 @李四 卫片办` / `登记 @王局 领导` / `注销 @张三`: staff manage
 * who may do what, in the chat. People are keyed by (platform, platform_user_id) — the open_id a
 * mention carries — so the mention, not the typed name, says who. Who may is core's authorize: the
 * sender's own row (checked in route.ts) and the person named.
 */
const ROLE_NAMES: Record<RegisterRole, string> = { official: '乡镇人员', staff: '县卫片办工作人员', leader: '领导' }

type Mentioned = { id: string; name: string }

export async function handleRegister(ctx: Context, role: RegisterRole, townshipName: string | undefined): Promise<void> {
  const mentioned = ctx.inbound.mentions ?? []
  if (mentioned.length === 0) return ctx.reply(`请在「登记」后 @ 要登记的人（在群里 @ 选择此人，不要只打名字）。${REGISTER_HELP}`)

  let township: { id: number; name: string } | undefined
  if (role === 'official') {
    if (townshipName) {
      const found = matchTownship(townshipName, await townshipsOf(ctx.trx, ctx.tenant.id))
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
  const mentioned = ctx.inbound.mentions ?? []
  if (mentioned.length === 0) return ctx.reply('请在「注销」后 @ 要注销的人，如：注销 @张三。')
  const lines: string[] = []
  for (const who of mentioned) {
    const existing = await personOf(ctx, who.id)
    const name = existing && existing.tenant_id === ctx.tenant.id ? existing.name : who.name || who.id
    const verdict = mayManage(ctx, 'unregister', existing, name)
    if (!verdict.ok || !existing) {
      // core refuses a person without a row ("未登记，无需注销"), so a refusal is always there to say
      if (!verdict.ok) lines.push(verdict.reason)
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

/** 登记/注销 of one person, asked of core: not oneself, not another county's, an admin only by an admin. */
function mayManage(ctx: Context, command: 'register' | 'unregister', existing: Person | undefined, name: string) {
  return authorize(command, senderOf(ctx), chatScopeOf(ctx), {
    kind: 'person',
    name,
    role: existing?.role,
    self: existing?.id === ctx.person!.id,
    elsewhere: existing !== undefined && existing.tenant_id !== ctx.tenant.id,
  })
}

async function upsert(ctx: Context, who: Mentioned, role: RegisterRole, township: { id: number; name: string } | undefined): Promise<string> {
  const existing = await personOf(ctx, who.id)
  const name = who.name || existing?.name || who.id
  const what = `${township ? township.name : ''}${ROLE_NAMES[role]}`
  const verdict = mayManage(ctx, 'register', existing, name)
  if (!verdict.ok) return verdict.reason
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
