import { actionForDocument, authorize, commandOf, type Action, type Command, type Intent, type JudgmentProposal } from '../../core/index.js'
import { loadPatch } from '../../db/queries/patches.js'
import { applyAction } from './apply-action.js'
import { handleHelp, handleOverdue, handleQuery, handleReviewQueue, handleStats } from './commands.js'
import { BIND_HELP, handleBind } from './bind.js'
import type { Context } from './context.js'
import { documentCommandOf, handleDocument } from './documents.js'
import { handleRegister, handleUnregister } from './people.js'
import { handleClaim } from './claim.js'
import { handleSetupStatus } from './setup-status.js'
import { handleRecord } from './records.js'
import { handleLocation, handleMedia } from './evidence.js'
import { resolvePatch } from './resolve-patch.js'
import { howToWrite } from './platform-notes.js'
import { chatScopeOf, senderOf } from './scope-of.js'

/** One inbound message → core's authorization for what it asks → the handler for it. */
export async function route(ctx: Context): Promise<void> {
  const button = documentCommandOf(ctx.inbound) // bulletin and letter buttons (jobs/)
  if (button) return allowed(ctx, button) ? handleDocument(ctx) : undefined
  switch (ctx.inbound.kind) {
    case 'image':
    case 'file':
      return allowed(ctx, 'media') ? handleMedia(ctx) : undefined
    case 'location':
      return allowed(ctx, 'location') ? handleLocation(ctx) : undefined
    case 'unsupported':
      return handleUnsupported(ctx)
    case 'card_action':
      return handleIntent(ctx, intentFromAction(ctx))
    case 'text':
      return handleIntent(ctx, ctx.intent ?? { kind: 'help' })
    case 'joined':
      return ctx.reply(`卫片执法助手已加入。本群已绑定为「${ctx.chat.name}」；如需更改，${BIND_HELP}${howToWrite(ctx.inbound.platform) ?? ''}`)
  }
}

/** Whether the sender may send it here; if not, core's reason is the reply. */
function allowed(ctx: Context, command: Command): boolean {
  const verdict = authorize(command, senderOf(ctx), chatScopeOf(ctx))
  if (!verdict.ok) ctx.reply(verdict.reason)
  return verdict.ok
}

async function handleIntent(ctx: Context, intent: Intent): Promise<void> {
  if (!allowed(ctx, commandOf(intent))) return
  switch (intent.kind) {
    case 'bind':
      return handleBind(ctx, intent.target, intent.robotKey)
    case 'bulletinDecision':
      return handleDocument(ctx, intent)
    case 'help':
      return handleHelp(ctx)
    case 'query':
      return handleQuery(ctx, intent.patchNo)
    case 'stats':
      return handleStats(ctx, intent.township)
    case 'overdue':
      return handleOverdue(ctx, intent.township)
    case 'reviewQueue':
      return handleReviewQueue(ctx)
    case 'unknown':
      return ctx.reply(intent.reason)
    case 'register':
      return handleRegister(ctx, intent.role, intent.township)
    case 'unregister':
      return handleUnregister(ctx)
    case 'claim':
      return handleClaim(ctx, intent.code)
    case 'setupStatus':
      return handleSetupStatus(ctx)
    case 'approvers':
    case 'setApprover':
    case 'talkRecord':
    case 'talkReported':
    case 'handover':
    case 'handoverReturn':
    case 'finding':
      return handleRecord(ctx, intent)
  }
  const purpose = intent.kind === 'document' ? { wants: 'document' as const, example: intent.docNo } : intent.kind === 'report' ? { report: intent.proposal } : undefined
  const link = await resolvePatch(ctx, intent.patchNo, true, purpose)
  if ('error' in link) return ctx.reply(link.error)
  if (intent.kind === 'document') {
    const patch = await loadPatch(ctx.trx, link.patchId)
    const action = patch && actionForDocument(patch.snapshot, intent.docNo)
    if (!action) return ctx.reply('未找到该图斑。')
    return 'reason' in action ? ctx.reply(action.reason, link.patchId) : void (await applyAction(ctx, link.patchId, action))
  }
  const action = actionOf(intent)
  if (action) await applyAction(ctx, link.patchId, action)
}

function actionOf(intent: Intent): Action | undefined {
  switch (intent.kind) {
    case 'report':
      return {
        type: 'report',
        proposal: intent.proposal,
        fieldCheck: intent.fieldCheck,
        ...(intent.farmlandMu !== undefined ? { farmlandMu: intent.farmlandMu } : {}),
      }
    case 'fieldCheck':
      // the county's record (001_8c1f6dae78f37652.txt:35) names its 负责人 and 意见; a bare 现场核查 is
      // no record, and core says who makes one and how
      if (intent.lead && intent.opinion) return { type: 'recordFieldCheck', lead: intent.lead, opinion: intent.opinion }
      return { type: 'addEvidence', kind: 'field_check' }
    case 'rectification':
      // 立案 is the county's case record, not a rectification (004_cc43135be01a58c0.txt:29, 001_8c1f6dae78f37652.txt:41)
      if (intent.measure === 'case_filed') return { type: 'recordCase', stage: '立案', ...(intent.caseNo ? { caseNo: intent.caseNo } : {}) }
      return {
        type: 'reportRectification',
        measure: intent.measure,
        ...(intent.docNo ? { docNo: intent.docNo } : {}),
        ...(intent.caseNo ? { caseNo: intent.caseNo } : {}),
        ...(intent.areaMu !== undefined ? { areaMu: intent.areaMu } : {}),
        ...(intent.farmlandMu !== undefined ? { farmlandMu: intent.farmlandMu } : {}),
      }
    case 'confirm':
      return {
        type: 'confirm',
        ...(intent.proposal ? { judgment: intent.proposal as never } : {}),
        ...(intent.plannedMeasure ? { plannedMeasure: intent.plannedMeasure } : {}),
      }
    case 'sendBack':
      return { type: 'sendBack', reason: intent.reason }
    case 'accept':
      return { type: 'accept' }
    case 'rejectRectification':
      return { type: 'rejectRectification', reason: intent.reason }
    case 'cityVerification':
      return { type: 'recordCityVerification', result: intent.result, docNo: intent.docNo }
    case 'caseStage':
      return { type: 'recordCase', stage: intent.stage, ...(intent.docNo ? { docNo: intent.docNo } : {}) }
    default:
      return undefined
  }
}

/** A card button is a typed command: the same intents as text. */
function intentFromAction(ctx: Context): Intent {
  const action = ctx.inbound.action
  const value = action?.value ?? {}
  switch (action?.name) {
    case 'report': {
      const kind = value.judgment as JudgmentProposal['kind']
      if (!['legal', 'illegal', 'other'].includes(kind)) break
      return { kind: 'report', proposal: { kind } as JudgmentProposal, fieldCheck: false }
    }
    case 'query':
      return { kind: 'query' }
    case 'confirm':
      return { kind: 'confirm' }
    case 'accept':
      return { kind: 'accept' }
    case 'sendBack':
    case 'rejectRectification':
      if (value.reason) return { kind: action.name, reason: value.reason }
      return {
        kind: 'unknown',
        reason: `请回复退回理由，格式：${action.name === 'sendBack' ? '退回' : '驳回'} 图斑编号 理由（如：退回 JC2026450329001 照片不清晰）。`,
      }
  }
  return { kind: 'unknown', reason: '无法识别的按钮操作，请直接回复文字。发送「帮助」查看可用指令。' }
}

const UNSUPPORTED_LABELS: Record<string, string> = { audio: '语音', media: '视频', video: '视频', sticker: '表情', share_chat: '群名片', share_user: '个人名片' }

/** Voice, video and the like: kept (the inbound store has them), and the sender told what works. */
function handleUnsupported(ctx: Context) {
  // a sticker is chatter in a group, not a request: kept, not answered
  if (ctx.inbound.text === 'sticker') return
  const label = UNSUPPORTED_LABELS[ctx.inbound.text ?? ''] ?? '这类'
  ctx.reply(`暂不能识别${label}消息。请发送文字（如「已核查 违法 农村乱占耕地建房」）、现场照片或位置。`)
}
