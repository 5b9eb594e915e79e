// A document number sent on its own ("桂政土批〔2022〕15号") after a report that lacked it: what it
// completes depends on where the patch stands.
import type { Action, PatchSnapshot } from './types.js'

export function actionForDocument(patch: PatchSnapshot, docNo: string): Action | { reason: string } {
  const proposal = patch.proposal
  if (patch.state === 'dispatched' && proposal?.judgment.kind === 'legal' && !proposal.judgment.approvalNo) {
    return { type: 'report', proposal: { kind: 'legal', approvalNo: docNo } }
  }
  const r = patch.rectification
  if (patch.state === 'rectifying' && r?.measure === 'permits_completed' && !r.docNo) {
    return { type: 'reportRectification', measure: 'permits_completed', docNo }
  }
  if (patch.state === 'rectifying' && r?.measure === 'case_filed' && !r.caseNo) {
    return { type: 'reportRectification', measure: 'case_filed', caseNo: docNo }
  }
  return {
    reason:
      `收到文号 ${docNo}，但图斑 ${patch.number} 目前没有等待文号的事项。` +
      // the lines name the patch: an unnamed 「合法 文号」 would link by recency and could land elsewhere
      `如是合法批文，请发送「${patch.number} 合法 ${docNo}」；补办手续发送「${patch.number} 已补办手续 ${docNo}」；立案发送「${patch.number} 已立案 ${docNo}」。`,
  }
}
