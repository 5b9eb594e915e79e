// `卷宗 <号>` and `导出 [批次]`: the staff's two exports in the chat. The handler checks what can be
// checked now (the patch exists and may be read here; the table's rows agree) and queues a file that
// the sender builds when it goes out (delivery/outbox/materialise.ts), so the transaction stays small.
import { authorize } from '../../core/index.js'
import { loadPatch } from '../../db/queries/patches.js'
import { chatsOf } from '../../delivery/recipients.js'
import { ExportError, fillingTable, inconsistencyError } from '../../render/filling-table.js'
import type { Context, Recipient } from './context.js'
import { resolvePatch } from './resolve-patch.js'
import { chatScopeOf, senderOf } from './scope-of.js'

/**
 * Where the file goes: the office's chats (001_8c1f6dae78f37652.txt:45: the county office keeps the
 * 卷宗), or this chat when no office chat is bound; and the words that say so.
 */
async function fileTarget(ctx: Context): Promise<{ to: Recipient; where: string }> {
  if (ctx.chat.kind === 'office') return { to: { kind: 'office' }, where: '稍后以文件发送到本群' }
  const office = await chatsOf(ctx.trx, ctx.tenant.id, { kind: 'office' })
  return office.length ? { to: { kind: 'office' }, where: '稍后以文件发送到卫片办群' } : { to: { kind: 'here' }, where: '稍后以文件发送到这里（尚未绑定卫片办群）' }
}

export async function handleDossier(ctx: Context, patchNo: string | undefined) {
  if (!patchNo && !ctx.inbound.replyTo) return ctx.reply('请写明图斑编号，如：卷宗 JC2026450329001')
  const link = await resolvePatch(ctx, patchNo, false)
  if ('error' in link) return ctx.reply(link.error)
  const loaded = await loadPatch(ctx.trx, link.patchId)
  if (!loaded || loaded.row.tenant_id !== ctx.tenant.id) return ctx.reply(`未找到图斑 ${patchNo ?? ''}。请核对图斑编号。`)
  const target = { kind: 'patch' as const, number: loaded.row.number, townshipId: loaded.row.township_id, military: loaded.row.military }
  const readable = authorize('query', senderOf(ctx), chatScopeOf(ctx), target)
  if (!readable.ok) return ctx.reply(readable.reason)
  const e = loaded.snapshot.evidence
  const { to, where } = await fileTarget(ctx)
  ctx.reply(`正在生成图斑 ${loaded.row.number} 的卷宗（情况说明、图件、现场照片${e.photos + e.flaggedPhotos}张、办理记录及哈希校验），${where}。`, link.patchId)
  ctx.say(to, { kind: 'file', exportOf: { what: 'dossier', patchId: link.patchId } }, link.patchId)
}

export async function handleExportTable(ctx: Context, batch: string | undefined) {
  let table
  try {
    table = await fillingTable(ctx.trx, ctx.tenant.code, batch)
  } catch (error) {
    if (error instanceof ExportError) return ctx.reply(`${error.message}。${error.fix}。`)
    throw error
  }
  // 已整改 = 拆除 + 补办 is checked before anything leaves (DESIGN "Data the system meets")
  if (table.problems.length) {
    const refusal = inconsistencyError(table)
    return ctx.reply(`${refusal.message}\n请核对这些图斑的拆除面积、补办面积、已整改面积后重新导入，再发送「导出」。`)
  }
  const { to, where } = await fileTarget(ctx)
  ctx.reply(`正在导出${batch ? `批次「${batch}」` : '全部'}图斑的填报表（${table.rows.length}行），${where}。`)
  ctx.say(to, { kind: 'file', exportOf: { what: 'table', tenantCode: ctx.tenant.code, ...(batch ? { batch } : {}) } })
}
