// Deciding a drafted document, as a pure transition (STYLE "xstate"): the state it moves to and what
// to announce, or a refusal. The monthly bulletin goes out only with the leader's consent
// (004_cc43135be01a58c0.txt:47) and is returned with a reason rather than discarded; letters
// (警示提醒函, 001_8c1f6dae78f37652.txt:51) are approved to their township or discarded. Nothing
// reaches a township before approval.
import type { Sender } from './access.js'
import { mayDecideDocument, type DocumentVerb } from './authorize.js'

export type DocumentKind = 'bulletin' | 'warning_letter' | 'supervision_letter'
export type DocumentState = 'draft' | 'approved' | 'returned' | 'sent' | 'discarded'

/** Who approves a kind of document: the policy's title and the person the county named (if any). */
export interface DocumentApproval {
  title: string
  person?: { id: number; name: string }
}

export interface DocumentFacts {
  kind: DocumentKind
  state: DocumentState
  title: string
  approval: DocumentApproval
  /** a letter's township, when it has one */
  township?: { id: number; name: string }
}

export type DocumentEffect =
  /** the bulletin's text to every township group and the office, its file to the office */
  | { kind: 'publishBulletin' }
  /** the letter's file and this note to its township group */
  | { kind: 'deliverLetter'; townshipId: number; text: string }
  | { kind: 'tellOffice'; text: string }
  | { kind: 'reply'; text: string }

export type DocumentDecision = { ok: true; next: DocumentState; effects: DocumentEffect[] } | { ok: false; reason: string }

export const DOCUMENT_STATE_LABELS: Record<DocumentState, string> = {
  draft: '待审批',
  approved: '已同意',
  returned: '已退回',
  sent: '已发送',
  discarded: '已作废',
}

const NEXT: Record<DocumentVerb, DocumentState> = { approve: 'sent', return: 'returned', discard: 'discarded' }

export function decideDocument(doc: DocumentFacts, verb: DocumentVerb, sender: Sender, reason: string): DocumentDecision {
  if (doc.state !== 'draft') return { ok: false, reason: `《${doc.title}》已处理（${DOCUMENT_STATE_LABELS[doc.state]}），无需重复操作。` }
  const allowed = mayDecideDocument(doc.kind, verb, sender, doc.approval)
  if (!allowed.ok) return { ok: false, reason: allowed.reason }
  const next = NEXT[verb]

  if (doc.kind === 'bulletin') {
    if (verb === 'discard') return { ok: false, reason: '通报不能作废；如需修改请「退回」并说明理由。' }
    if (verb === 'approve') return { ok: true, next, effects: [{ kind: 'publishBulletin' }] }
    if (!reason) return { ok: false, reason: '请说明退回理由，格式：退回通报 理由（如：退回通报 请补充逾期原因）。' }
    return {
      ok: true,
      next,
      effects: [
        { kind: 'tellOffice', text: `${doc.approval.title}${doc.approval.person ? `（${doc.approval.person.name}）` : ''}退回《${doc.title}》，理由：${reason}。核实数据后发送「重拟通报」重新生成草稿。` },
        { kind: 'reply', text: '已退回，理由已转告县卫片办。' },
      ],
    }
  }

  // a letter card offers 批准 and 作废 only
  if (verb === 'return') return { ok: false, reason: '函件只能批准或作废。' }
  if (verb === 'discard') return { ok: true, next, effects: [{ kind: 'reply', text: `已作废《${doc.title}》，不会发送乡镇。` }] }
  if (!doc.township) return { ok: true, next, effects: [{ kind: 'reply', text: '该函件没有主送乡镇，未发送。' }] }
  return {
    ok: true,
    next,
    effects: [
      { kind: 'deliverLetter', townshipId: doc.township.id, text: `县卫片办发来《${doc.title}》，请查收，认真落实并将落实情况书面报县卫片办。` },
      { kind: 'reply', text: `已批准，《${doc.title}》已发送${doc.township.name}群。` },
    ],
  }
}

/** 重拟通报: a new draft of the last returned bulletin, unless its month already has a live version. */
export function decideRedraft(returned: { period: string | null } | undefined, liveVersion: boolean): { ok: true; period: string } | { ok: false; reason: string } {
  if (!returned?.period) return { ok: false, reason: '没有被退回的通报。' }
  if (liveVersion) return { ok: false, reason: '该月通报已有待审批或已发布的版本。' }
  return { ok: true, period: returned.period }
}
