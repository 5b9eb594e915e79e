import { chooseWaiting, unnamedReportRefusal, type JudgmentProposal, type Wanted } from '../../core/index.js'
import { findPatchId, loadPatch } from '../../db/queries/patches.js'
import type { Context } from './context.js'

export type PatchLink = { patchId: number; via: 'number' | 'reply' | 'card' | 'waiting' | 'recent' } | { error: string; /** several could be meant: the error lists them */ ask?: true }

/** What the message brings, when it names no patch: a bare 文号 or photo, or a report. */
export type LinkPurpose = { wants: Wanted; example?: string } | { report: JudgmentProposal }

/**
 * Which patch a message is about: the number it names, the bot message it replies to, the card
 * button's value; a bare 文号 or photo, the one step waiting for it (core's chooseWaiting: several
 * → the sender is asked); otherwise this person's last step in this chat within the policy's attach
 * window — which a report may complete but never turn into another judgment (unnamedReportRefusal).
 */
export async function resolvePatch(ctx: Context, patchNo: string | undefined, allowRecent: boolean, purpose?: LinkPurpose): Promise<PatchLink> {
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
    const recent = await recentPatchIds(ctx)
    if (purpose && 'wants' in purpose && recent.length) {
      const snapshots = []
      for (const id of recent) {
        const p = await loadPatch(ctx.trx, id)
        if (p) snapshots.push(p.snapshot)
      }
      const choice = chooseWaiting(snapshots, purpose.wants, purpose.example)
      if ('link' in choice) return { patchId: Number(choice.link), via: 'waiting' }
      if ('ask' in choice) return { error: choice.ask, ask: true }
    }
    if (recent[0] !== undefined) {
      if (purpose && 'report' in purpose) {
        const p = await loadPatch(ctx.trx, recent[0])
        const refusal = p && unnamedReportRefusal(p.snapshot, purpose.report)
        if (refusal) return { error: refusal }
      }
      return { patchId: recent[0], via: 'recent' }
    }
  }
  return { error: '无法确定是哪个图斑。请回复图斑卡片，或在消息中写明图斑编号（如：JC2026450329001 已核查 违法）。' }
}

/** The patches this person had a step on within the attach window, the most recent first (at most 10). */
async function recentPatchIds(ctx: Context): Promise<number[]> {
  const since = new Date(ctx.now.getTime() - ctx.policy.evidence.photoAttachWindowMinutes * 60_000)
  // in the one-to-one chat, the person's steps in any chat of the platform (a photo sent privately)
  let q = ctx.trx
    .selectFrom('patch_events as e')
    .innerJoin('inbound_messages as m', 'm.id', 'e.inbound_id')
    .select('e.patch_id')
    .where('m.platform', '=', ctx.inbound.platform)
    .where('m.sender_id', '=', ctx.inbound.senderId)
  if (ctx.chat.kind !== 'direct') q = q.where('m.chat_id', '=', ctx.inbound.chatId)
  const rows = await q.where('e.at', '>=', since).orderBy('e.id', 'desc').limit(50).execute()
  return [...new Set(rows.map((r) => r.patch_id))].slice(0, 10)
}

async function ofTenant(ctx: Context, patchId: number): Promise<boolean> {
  const row = await ctx.trx.selectFrom('patches').select('id').where('id', '=', patchId).where('tenant_id', '=', ctx.tenant.id).executeTakeFirst()
  return row !== undefined
}
