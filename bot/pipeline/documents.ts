// Decisions on drafted documents: the leader approves or returns the monthly bulletin (经局分管负责人
// 同意, 004:47); staff (or the leader) approve or discard a letter. Buttons, or the text commands
// 同意通报 / 退回通报 理由 / 重拟通报 (parsed by core). Nothing reaches a township before approval.
import { arabicDocDate } from '../../core/index.js'
import type { DocumentRow } from '../../db/schema.js'
import { bulletinCard, createBulletinDraft, issuerOf } from '../../render/documents.js'
import type { Inbound } from '../../delivery/channel.js'
import type { Context } from './context.js'

const ACTIONS = new Set(['approveDocument', 'returnDocument', 'discardDocument'])
/** A button on a bulletin or letter card (the text commands arrive as core's `bulletinDecision`). */
export function isDocumentAction(inbound: Inbound): boolean {
  return inbound.kind === 'card_action' && ACTIONS.has(inbound.action?.name ?? '')
}

const LETTER_ROLES = ['staff', 'admin', 'leader']

export async function handleDocument(ctx: Context, typed?: { verb: 'approve' | 'return' | 'redraft'; reason: string }): Promise<void> {
  if (!ctx.person) return ctx.reply('您尚未登记为本系统用户，不能审批文件。')
  let verb: 'approve' | 'return' | 'discard' | 'redraft'
  let doc: DocumentRow | undefined
  let reason = ''
  if (!typed) {
    const { name, value } = ctx.inbound.action!
    verb = name === 'approveDocument' ? 'approve' : name === 'returnDocument' ? 'return' : 'discard'
    doc = await loadDocument(ctx, Number(value.documentId))
    reason = (value.reason ?? '').trim()
  } else {
    if (typed.verb === 'redraft') return redraft(ctx)
    verb = typed.verb
    doc = await latestBulletin(ctx, 'draft')
    reason = typed.reason
  }
  if (!doc) return ctx.reply('没有待审批的通报或函件。')
  if (doc.state !== 'draft') return ctx.reply(`《${doc.title}》已处理（${STATE_LABELS[doc.state]}），无需重复操作。`)

  if (doc.kind === 'bulletin') {
    if (ctx.person.role !== 'leader') return ctx.reply(`通报须经局分管负责人同意后发布，您不能${verb === 'approve' ? '同意' : '退回'}。`)
    if (verb === 'discard') return ctx.reply('通报不能作废；如需修改请「退回」并说明理由。')
    if (verb === 'return' && !reason) return ctx.reply('请说明退回理由，格式：退回通报 理由（如：退回通报 请补充逾期原因）。')
  } else if (!LETTER_ROLES.includes(ctx.person.role)) {
    return ctx.reply('只有县卫片办工作人员或分管领导可以批准、作废函件。')
  }

  const state = verb === 'approve' ? 'sent' : verb === 'return' ? 'returned' : 'discarded'
  const updated = await ctx.trx
    .updateTable('documents')
    .set({ state, decided_by: ctx.person.id, decided_at: ctx.now, reason: reason || null })
    .where('id', '=', doc.id)
    .where('state', '=', 'draft')
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) === 0) return ctx.reply(`《${doc.title}》已由他人处理。`)

  if (doc.kind === 'bulletin' && verb === 'approve') return publishBulletin(ctx, doc)
  if (doc.kind === 'bulletin') {
    ctx.say({ kind: 'office' }, { kind: 'text', text: `分管领导退回《${doc.title}》，理由：${reason}。核实数据后发送「重拟通报」重新生成草稿。` })
    return ctx.reply('已退回，理由已转告县卫片办。')
  }
  if (verb === 'discard') return ctx.reply(`已作废《${doc.title}》，不会发送乡镇。`)
  const township = await ctx.trx.selectFrom('townships').select(['id', 'name']).where('id', '=', doc.township_id ?? -1).executeTakeFirst()
  if (!township) return ctx.reply('该函件没有主送乡镇，未发送。')
  ctx.say({ kind: 'township', townshipId: township.id }, { kind: 'file', documentId: doc.id })
  ctx.say({ kind: 'township', townshipId: township.id }, { kind: 'text', text: `县卫片办发来《${doc.title}》，请查收，认真落实并将落实情况书面报县卫片办。` })
  ctx.reply(`已批准，《${doc.title}》已发送${township.name}群。`)
}

async function publishBulletin(ctx: Context, doc: DocumentRow) {
  if (!('bulletin' in doc.content)) throw new Error(`document ${doc.id} is a bulletin without its content`)
  const { bulletin } = doc.content
  const text = [bulletin.title, ...bulletin.paragraphs, issuerOf(ctx.tenant, ctx.policy), arabicDocDate(bulletin.publishOn)].join('\n')
  const townships = await ctx.trx.selectFrom('townships').select('id').where('tenant_id', '=', ctx.tenant.id).orderBy('code').execute()
  for (const t of townships) ctx.say({ kind: 'township', townshipId: t.id }, { kind: 'text', text })
  ctx.say({ kind: 'office' }, { kind: 'text', text })
  ctx.say({ kind: 'office' }, { kind: 'file', documentId: doc.id })
  ctx.reply(`已同意。《${bulletin.title}》已发布到${townships.length}个乡镇群和卫片办群。`)
}

/** 重拟通报: a new draft of the last returned bulletin, from the data as it is now. */
async function redraft(ctx: Context) {
  if (!['staff', 'admin'].includes(ctx.person!.role)) return ctx.reply('只有县卫片办工作人员可以重拟通报。')
  const returned = await latestBulletin(ctx, 'returned')
  if (!returned?.period) return ctx.reply('没有被退回的通报。')
  const pending = await ctx.trx
    .selectFrom('documents')
    .select('id')
    .where('tenant_id', '=', ctx.tenant.id)
    .where('kind', '=', 'bulletin')
    .where('period', '=', returned.period)
    .where('state', 'in', ['draft', 'sent'])
    .executeTakeFirst()
  if (pending) return ctx.reply('该月通报已有待审批或已发布的版本。')
  const { documentId, bulletin } = await createBulletinDraft(ctx.trx, ctx.tenant, ctx.policy, returned.period, ctx.now)
  ctx.say({ kind: 'leaders' }, { kind: 'card', card: bulletinCard(documentId, bulletin) })
  ctx.reply(`已重新生成《${bulletin.title}》草稿，已报分管领导审批。`)
}

async function loadDocument(ctx: Context, id: number) {
  if (!Number.isInteger(id)) return undefined
  return ctx.trx.selectFrom('documents').selectAll().where('id', '=', id).where('tenant_id', '=', ctx.tenant.id).forUpdate().executeTakeFirst()
}

async function latestBulletin(ctx: Context, state: 'draft' | 'returned') {
  return ctx.trx
    .selectFrom('documents')
    .selectAll()
    .where('tenant_id', '=', ctx.tenant.id)
    .where('kind', '=', 'bulletin')
    .where('state', '=', state)
    .orderBy('id', 'desc')
    .forUpdate()
    .executeTakeFirst()
}

const STATE_LABELS: Record<DocumentRow['state'], string> = {
  draft: '待审批',
  approved: '已同意',
  returned: '已退回',
  sent: '已发送',
  discarded: '已作废',
}
