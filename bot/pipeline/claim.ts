import { decideClaim } from '../../core/index.js'
import { inviteHash } from '../../db/county/invite-hash.js'
import type { BaseContext } from './context.js'

/**
 * `认领 ABCD-EFGH`: whoever sends a valid one-time code becomes the invite's role (admin or staff) in
 * its county, on the platform they wrote from. Works in any chat — bound, unbound or direct — since
 * the first administrator has nowhere bound to write yet. core decides; this only loads and writes.
 */
export async function handleClaim(ctx: BaseContext, code: string): Promise<void> {
  const { trx, inbound, now } = ctx
  const row = await trx.selectFrom('invites').selectAll().where('code_hash', '=', inviteHash(code)).forUpdate().executeTakeFirst()
  const person = await trx.selectFrom('people').selectAll()
    .where('platform', '=', inbound.platform).where('platform_user_id', '=', inbound.senderId).forUpdate().executeTakeFirst()
  const decision = decideClaim(
    row && { tenantId: row.tenant_id, role: row.role, expiresAt: new Date(row.expires_at), usedAt: row.used_at ? new Date(row.used_at) : null },
    { person: person && { tenantId: person.tenant_id, role: person.role } },
    now,
  )
  if (!decision.ok) return ctx.reply(decision.reason)
  const tenant = await trx.selectFrom('tenants').select(['id', 'name', 'level']).where('id', '=', row!.tenant_id).executeTakeFirstOrThrow()
  // Feishu sends no name with a message: staff can set it later with 登记
  const name = inbound.senderName?.trim() || person?.name || `管理员（${inbound.senderId}）`
  let personId: number
  if (person) {
    personId = person.id
    if (decision.change === 'promoted') await trx.updateTable('people').set({ role: decision.role, township_id: null }).where('id', '=', person.id).execute()
  } else {
    const p = await trx.insertInto('people').values({
      tenant_id: tenant.id, platform: inbound.platform, platform_user_id: inbound.senderId, name, role: decision.role, township_id: null, created_at: now,
    }).returning('id').executeTakeFirstOrThrow()
    personId = p.id
  }
  await trx.updateTable('invites').set({ used_at: now, person_id: personId }).where('id', '=', row!.id).execute()
  if (tenant.level !== 'county') {
    const word = tenant.level === 'city' ? '市级' : '省级'
    return ctx.reply([
      decision.change === 'unchanged' ? `您已是${tenant.name}（${word}）的工作人员，无需再认领（认领码已作废）。` : `已认领：您现为${tenant.name}（${word}）的${decision.role === 'admin' ? '系统管理员' : '工作人员'}。`,
      `接下来：把机器人拉进领导群，在群内发送「绑定 ${word}」；该群每个工作日收到所辖各县的汇总简报，可发送「统计」「统计 县名」「逾期」。`,
    ].join('\n'))
  }
  const township = await trx.selectFrom('townships').select('name').where('tenant_id', '=', tenant.id).orderBy('code').executeTakeFirst()
  const example = township?.name ?? '乡镇名称'
  const roleName = decision.role === 'admin' ? '系统管理员' : '县卫片办工作人员'
  const head = decision.change === 'unchanged' ? `您已是${tenant.name}的${roleName}，无需再认领（认领码已作废）。` : `已认领：您现为${tenant.name}的${roleName}。`
  ctx.reply([
    head,
    '接下来：',
    `1. 把机器人拉进各乡镇工作群，在群内发送「绑定 ${example}」；卫片办工作群发送「绑定 卫片办」，领导群发送「绑定 领导」。`,
    `2. 在群内 @ 同事为其登记：「登记 @张三 干事 ${example}」（乡镇人员）、「登记 @李四 卫片办」、「登记 @王局 领导」。`,
    '3. 随时发送「设置情况」查看哪些乡镇还没有绑定群、边界和图层。',
  ].join('\n'))
}
