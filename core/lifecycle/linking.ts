// Which patch a message that names none is about. A bare 批准文号 or a photo completes a step that
// waits for it — not "the patch this person touched last": when exactly one step waits, it is that
// one; when several could, the sender is asked; a report the sender did not name is never changed.
import type { JudgmentProposal } from '../judgment.js'
import { actionForDocument } from './document-for.js'
import type { PatchSnapshot } from './types.js'

export type Wanted = 'document' | 'photo'

const JUDGMENT_LABELS: Record<JudgmentProposal['kind'], string> = { legal: '合法', illegal: '违法', other: '其他用地' }

/** Whether the patch's open step waits for a document number (文号) or a photo. */
export function waitsFor(patch: PatchSnapshot, what: Wanted): boolean {
  if (what === 'document') return !('reason' in actionForDocument(patch, '-'))
  if (patch.state === 'dispatched' && patch.proposal) return patch.proposal.missing.some((m) => m.includes('照片'))
  const r = patch.rectification
  // a 拆除复耕 may wait for the county's field check only (001:35): that is no photo the township sends
  return patch.state === 'rectifying' && r?.measure === 'demolished_restored' && r.missing.some((m) => m.includes('照片'))
}

/** What the step waits for, in the words of the list the sender is shown. */
function waitingLabel(patch: PatchSnapshot, what: Wanted): string {
  if (patch.state === 'rectifying') {
    const m = patch.rectification?.measure
    return m === 'case_filed' ? '已立案，待案件编号' : m === 'permits_completed' ? '已补办手续，待批准文号' : '已拆除复耕，待现场照片'
  }
  const kind = patch.proposal ? JUDGMENT_LABELS[patch.proposal.judgment.kind] : ''
  return what === 'document' ? `${kind}，待批准文号` : `${kind}，待现场照片`
}

export type WaitingChoice =
  /** exactly one step waits: link it */
  | { link: string }
  /** several could: list them and ask */
  | { ask: string }
  /** none waits */
  | { none: true }

/**
 * Among the patches a person has an open step on (most recent first), the one a bare 文号 or photo
 * completes. `example` is what they sent, for the line that names the patch.
 */
export function chooseWaiting(candidates: PatchSnapshot[], what: Wanted, example = what === 'document' ? '桂政土批〔2022〕15号' : ''): WaitingChoice {
  const seen = new Set<string>()
  const waiting = candidates.filter((p) => !seen.has(p.id) && seen.add(p.id) && waitsFor(p, what))
  if (waiting.length === 1) return { link: waiting[0]!.id }
  if (waiting.length === 0) return { none: true }
  const noun = what === 'document' ? '文号' : '照片'
  const list = waiting.map((p, i) => `${i + 1}. ${p.number}（${waitingLabel(p, what)}）`).join('\n')
  const how =
    what === 'document'
      ? `请写明图斑编号重新发送，如「${waiting[0]!.number} ${example}」，或回复该图斑卡片发送。`
      : '请回复对应的图斑卡片发送照片，或先发送图斑编号再发照片。'
  return { ask: `有 ${waiting.length} 个图斑在等${noun}，未自动关联：\n${list}\n${how}` }
}

/**
 * A report (合法 / 违法 / 其他用地) that names no patch, linked to the patch the sender touched last:
 * it may complete that patch's recorded proposal (add the 文号 or the type it lacks), never change
 * what is recorded — neither the judgment nor a detail already given.
 */
export function unnamedReportRefusal(patch: PatchSnapshot, proposal: JudgmentProposal): string | undefined {
  const recorded = patch.proposal?.judgment
  if (!recorded) return undefined
  const changes =
    recorded.kind !== proposal.kind ||
    Object.entries(proposal).some(([key, value]) => {
      const was = (recorded as Record<string, unknown>)[key]
      return value !== undefined && was !== undefined && was !== value
    })
  if (!changes) return undefined
  const was = describe(recorded)
  const now = JUDGMENT_LABELS[proposal.kind]
  return (
    `图斑 ${patch.number} 已记录为「${was}」，未写明图斑编号的消息不会更改它。` +
    `如确需改为「${now}」，请写明图斑编号（如「${patch.number} ${now} …」），或回复该图斑卡片。`
  )
}

function describe(j: JudgmentProposal): string {
  const detail = j.kind === 'legal' ? j.approvalNo : j.kind === 'illegal' ? j.violationType : j.otherKind
  return detail ? `${JUDGMENT_LABELS[j.kind]}（${detail}）` : JUDGMENT_LABELS[j.kind]
}
