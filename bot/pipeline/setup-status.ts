import { setupStatus } from '../../db/queries/setup-status.js'
import { formatSetupStatus } from '../../render/setup-status.js'
import type { Context } from './context.js'

/** `设置情况` (staff, after core's authorize): the county's set-up, what is missing first. */
export async function handleSetupStatus(ctx: Context): Promise<void> {
  ctx.reply(formatSetupStatus(await setupStatus(ctx.trx, ctx.tenant.id, ctx.now)))
}
