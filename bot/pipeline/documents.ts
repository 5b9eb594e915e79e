// Decisions on drafted documents — buttons on bulletin and letter cards, or the text commands 同意通报 /
// 退回通报 理由 / 重拟通报 (parsed by core). Who may decide, and what a decision moves and announces,
// is core's decideDocument; this file loads the document, asks, and writes.
import { DOCUMENT_VERB, chinaDate, decideDocument, decideRedraft, dueText, recordDue, type DocumentCommand, type DocumentEffect, type DocumentFacts } from '../../core/index.js'
import { insertRecord } from '../../db/queries/county-records.js'
import type { DocumentRow } from '../../db/schema.js'
import { decideDraft, documentForDecision, hasLiveBulletin, latestBulletin } from '../../db/queries/documents.js'
import { townshipName, townshipsOf } from '../../db/queries/townships.js'
import { approverOf } from '../../db/queries/approvers.js'
import { bulletinCard, createBulletinDraft, issuerOf, publishedBulletinCard } from '../../render/documents.js'
import type { Inbound } from '../../delivery/channel.js'
import type { Context } from './context.js'
import { senderOf } from './scope-of.js'

/** A button on a bulletin or letter card (the text commands arrive as core's `bulletinDecision`). */
export function documentCommandOf(inbound: Inbound): DocumentCommand | undefined {
  const name = inbound.kind === 'card_action' ? inbound.action?.name : undefined
  return name && name in DOCUMENT_VERB ? (name as DocumentCommand) : undefined
}

/** Runs after authorize: the sender is registered. */
export async function handleDocument(ctx: Context, typed?: { verb: 'approve' | 'return' | 'redraft'; reason: string }): Promise<void> {
  let command: DocumentCommand
  let doc: DocumentRow | undefined
  let reason = ''
  if (!typed) {
    const { value } = ctx.inbound.action!
    command = documentCommandOf(ctx.inbound)!
    doc = await documentForDecision(ctx.trx, ctx.tenant.id, Number(value.documentId))
    reason = (value.reason ?? '').trim()
  } else {
    if (typed.verb === 'redraft') return redraft(ctx)
    command = typed.verb === 'approve' ? 'approveDocument' : 'returnDocument'
    doc = await latestBulletin(ctx.trx, ctx.tenant.id, 'draft')
    reason = typed.reason
  }
  if (!doc) return ctx.reply('没有待审批的通报或函件。')

  const decision = decideDocument(await factsOf(ctx, doc), DOCUMENT_VERB[command], senderOf(ctx)!, reason)
  if (!decision.ok) return ctx.reply(decision.reason)
  const decided = await decideDraft(ctx.trx, doc.id, { state: decision.next, by: ctx.person!.id, at: ctx.now, reason: reason || null })
  if (!decided) return ctx.reply(`《${doc.title}》已由他人处理。`)
  for (const effect of decision.effects) await perform(ctx, doc, effect)
}

async function factsOf(ctx: Context, doc: DocumentRow): Promise<DocumentFacts> {
  // the county's named approver of the kind (issue 12 point 13), under the policy's title
  const bulletin = doc.kind === 'bulletin'
  const person = await approverOf(ctx.trx, ctx.tenant.id, bulletin ? 'bulletin' : 'letters')
  const approval = { title: bulletin ? ctx.policy.bulletin.approvedBy : ctx.policy.letters.approvedBy, ...(person ? { person } : {}) }
  const facts: DocumentFacts = { kind: doc.kind, state: doc.state, title: doc.title, approval }
  if (doc.kind === 'bulletin' || doc.township_id === null) return facts
  const name = await townshipName(ctx.trx, doc.township_id)
  return name !== undefined ? { ...facts, township: { id: doc.township_id, name } } : facts
}

async function perform(ctx: Context, doc: DocumentRow, effect: DocumentEffect) {
  switch (effect.kind) {
    case 'publishBulletin':
      return publishBulletin(ctx, doc)
    case 'deliverLetter':
      ctx.say({ kind: 'township', townshipId: effect.townshipId }, { kind: 'file', documentId: doc.id })
      return ctx.say({ kind: 'township', townshipId: effect.townshipId }, { kind: 'text', text: effect.text })
    case 'tellOffice':
      return ctx.say({ kind: 'office' }, { kind: 'text', text: effect.text })
    case 'reply':
      return ctx.reply(effect.text)
  }
}

async function publishBulletin(ctx: Context, doc: DocumentRow) {
  if (!('bulletin' in doc.content)) throw new Error(`document ${doc.id} is a bulletin without its content`)
  const { bulletin } = doc.content
  // the same ranking and figures as the .docx, as a card with the chart (old drafts have no table: their text)
  const card = publishedBulletinCard(bulletin, issuerOf(ctx.tenant, ctx.policy), ctx.policy)
  const townships = await townshipsOf(ctx.trx, ctx.tenant.id)
  for (const t of townships) ctx.say({ kind: 'township', townshipId: t.id }, { kind: 'card', card })
  ctx.say({ kind: 'office' }, { kind: 'card', card })
  ctx.say({ kind: 'office' }, { kind: 'file', documentId: doc.id })
  // 003_2681e0387a043106.txt:103 (荥阳 only): each township reports on the public 通报 within 3 working days
  let owed = ''
  if (ctx.policy.deadlines.bulletinReport.enabled) {
    const today = chinaDate(ctx.now)
    const due = recordDue('bulletin', today, ctx.policy)!
    for (const t of townships) {
      await insertRecord(ctx.trx, { tenantId: ctx.tenant.id, kind: 'bulletin', townshipId: t.id, heldOn: today, dueOn: due.due, recordedBy: ctx.person?.id ?? null, at: ctx.now })
      ctx.say({ kind: 'township', townshipId: t.id }, { kind: 'text', text: `请于${dueText(due.due)}前将${due.label.replace(/（.*）$/, '')}。` })
    }
    owed = `各乡镇须于${dueText(due.due)}前上报公开通报的有关情况，收到后发送「通报已报 乡镇」登记。`
  }
  ctx.reply(`已同意。《${bulletin.title}》已发布到${townships.length}个乡镇群和卫片办群。${owed}`)
}

/** 重拟通报: a new draft of the last returned bulletin, from the data as it is now. */
async function redraft(ctx: Context) {
  const returned = await latestBulletin(ctx.trx, ctx.tenant.id, 'returned')
  const live = returned?.period ? await hasLiveBulletin(ctx.trx, ctx.tenant.id, returned.period) : false
  const decision = decideRedraft(returned, live)
  if (!decision.ok) return ctx.reply(decision.reason)
  const { documentId, bulletin } = await createBulletinDraft(ctx.trx, ctx.tenant, ctx.policy, decision.period, ctx.now)
  ctx.say({ kind: 'leaders' }, { kind: 'card', card: bulletinCard(documentId, bulletin) })
  ctx.reply(`已重新生成《${bulletin.title}》草稿，已报${bulletin.approvedBy}审批。`)
}


