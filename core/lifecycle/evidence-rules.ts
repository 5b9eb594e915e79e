// What a report or a rectification still lacks. A report that lacks something is recorded and waits;
// the reply says exactly what to send.
import { classifyPatch } from '../classify.js'
import type { PatchFacts } from '../classify.js'
import { completeJudgment } from '../judgment.js'
import type { JudgmentProposal } from '../judgment.js'
import type { Policy } from '../policy.js'
import type { PatchSnapshot, RectificationMeasure } from './types.js'

/** Facts of the patch as issued (before any judgment): what 001:35 selects key patches on. */
export function issueFacts(patch: PatchSnapshot): PatchFacts {
  return {
    kind: patch.kind,
    category: patch.category,
    areaMu: patch.areaMu,
    farmlandMu: patch.farmlandMu,
    basicFarmlandMu: patch.basicFarmlandMu,
    redLineMu: patch.redLineMu,
    military: patch.military,
    ...(patch.zones?.length ? { zones: patch.zones } : {}),
  }
}

export function missingForReport(patch: PatchSnapshot, proposal: JudgmentProposal, policy: Policy): string[] {
  const missing: string[] = []
  const complete = completeJudgment(proposal)
  // 001_8c1f6dae78f37652.txt:37 合法 needs a valid approval; 违法/其他 need their kind
  if ('missing' in complete) missing.push(...complete.missing)
  // 001_8c1f6dae78f37652.txt:45 现场照片 in the dossier: every field result is shown on the ground
  // (policy.evidence.reportPhotos), 实地未变化 and 设施农业用地 as much as 违法 (000_7f891be42bc71ff5.txt:33 瞒报)
  const photos = policy.evidence.reportPhotos
  if (photos.kinds.includes(proposal.kind) && patch.evidence.photos < photos.minimum) {
    const have = patch.evidence.flaggedPhotos > 0 ? `；已收到的${patch.evidence.flaggedPhotos}张存疑照片不计入` : ''
    missing.push(`至少${photos.minimum}张现场照片（在图斑现场拍摄${have}）`)
  }
  // 001_8c1f6dae78f37652.txt:35 key patches are checked in the field one by one
  const facts: PatchFacts = { ...issueFacts(patch), otherKind: proposal.kind === 'other' ? proposal.otherKind : undefined }
  const c = classifyPatch(facts, policy)
  if (c.key && !patch.evidence.fieldCheck) {
    missing.push(`实地核查记录（重点图斑：${c.keyReasons.join('；')}）：到现场核查后回复「现场核查」`)
  }
  return missing
}

export function missingForRectification(
  patch: PatchSnapshot,
  measure: RectificationMeasure,
  docNo: string | undefined,
  caseNo: string | undefined,
): string[] {
  switch (measure) {
    case 'demolished_restored':
      // a photo taken after the judgment: more counted photos than at judgment time
      return patch.evidence.photos > (patch.photosAtJudgment ?? 0) ? [] : ['拆除复耕后的现场照片（判定后拍摄）']
    case 'permits_completed':
      return docNo ? [] : ['补办用地手续的批准文号（如：桂政土批〔2024〕3号）']
    case 'case_filed':
      return caseNo ? [] : ['立案的案件编号或处罚决定书文号（如：资自然资罚〔2024〕12号）']
  }
}
