import { findPatchId } from '../../db/queries/patches.js'
import type { Context } from './context.js'

export type PatchLink = { patchId: number; via: 'number' | 'reply' | 'card' | 'recent' } | { error: string }

/**
 * Which patch a message is about: the number it names, the bot message it replies to, the card
 * button's value, or — for photos and follow-ups — this person's last step in this chat within the
 * policy's attach window.
 */
export async function resolvePatch(ctx: Context, patchNo: string | undefined, allowRecent: boolean): Promise<PatchLink> {
  if (patchNo) {
    const id = await findPatchId(ctx.trx, ctx.tenant.id, patchNo)
    return id !== undefined
      ? { patchId: id, via: 'number' }
      : { error: `未找到图斑 ${patchNo}。请核对图斑编号（如 JC2026450329001），或直接回复图斑卡片。` }
  }
  const fromCard = ctx.inbound.action?.value.patchId
  if (fromCard) {
    // a button's value comes from outside: a malformed id would fail the query (and the message
    // with it, unanswered); another county's patch is not this chat's business
    const id = /^\d{1,15}$/.test(fromCard) ? Number(fromCard) : NaN
    if (Number.isSafeInteger(id) && id <= 2_147_483_647 && (await ofTenant(ctx, id))) return { patchId: id, via: 'card' }
    return { error: '该按钮对应的图斑不存在或已失效。请在消息中写明图斑编号（如：查 JC2026450329001）。' }
  }
  if (ctx.inbound.replyTo) {
    const replied = await ctx.trx
      .selectFrom('outbox')
      .select('patch_id')
      .where('platform', '=', ctx.inbound.platform)
      .where('sent_id', '=', ctx.inbound.replyTo)
      .where('patch_id', 'is not', null)
      .where('tenant_id', '=', ctx.tenant.id)
      .executeTakeFirst()
    if (replied?.patch_id) return { patchId: replied.patch_id, via: 'reply' }
  }
  if (allowRecent) {
    const since = new Date(ctx.now.getTime() - ctx.policy.evidence.photoAttachWindowMinutes * 60_000)
    // in the one-to-one chat, the person's last step in any chat of the platform (a photo sent privately)
    let q = ctx.trx
      .selectFrom('patch_events as e')
      .innerJoin('inbound_messages as m', 'm.id', 'e.inbound_id')
      .select('e.patch_id')
      .where('m.platform', '=', ctx.inbound.platform)
      .where('m.sender_id', '=', ctx.inbound.senderId)
    if (ctx.chat.kind !== 'direct') q = q.where('m.chat_id', '=', ctx.inbound.chatId)
    const recent = await q
      .where('e.at', '>=', since)
      .orderBy('e.id', 'desc')
      .limit(1)
      .executeTakeFirst()
    if (recent) return { patchId: recent.patch_id, via: 'recent' }
  }
  return { error: '无法确定是哪个图斑。请回复图斑卡片，或在消息中写明图斑编号（如：JC2026450329001 已核查 违法）。' }
}

async function ofTenant(ctx: Context, patchId: number): Promise<boolean> {
  const row = await ctx.trx.selectFrom('patches').select('id').where('id', '=', patchId).where('tenant_id', '=', ctx.tenant.id).executeTakeFirst()
  return row !== undefined
}
