import { setupStatus } from '../../db/queries/setup-status.js'
import { formatSetupStatus } from '../../render/setup-status.js'
import type { Context } from './context.js'

/** `设置情况` (staff): the county's set-up, what is missing first. */
export async function handleSetupStatus(ctx: Context): Promise<void> {
  if (!ctx.person || !['staff', 'admin'].includes(ctx.person.role)) return ctx.reply('只有县卫片办工作人员可以查看设置情况。')
  ctx.reply(formatSetupStatus(await setupStatus(ctx.trx, ctx.tenant.id, ctx.now)))
}
