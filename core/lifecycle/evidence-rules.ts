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
  if (c.key && !patch.evidence.fieldCheck) missing.push(countyFieldCheck(patch, c.keyReasons))
  return missing
}

/**
 * 001_8c1f6dae78f37652.txt:35: a key patch's field check is the county's — the 卫片办 organises it,
 * issues a 核查意见 and names a 核查负责人 — so a township's 「已到现场」 does not make it.
 */
export function countyFieldCheck(patch: Pick<PatchSnapshot, 'number'>, reasons: string[]): string {
  return (
    `县卫片办的实地核查记录（重点图斑：${reasons.join('；')}）：由县卫片办组织实地核查、出具核查意见并明确核查负责人，` +
    `核查后由卫片办发送「现场核查 ${patch.number} 负责人 姓名 意见 核查意见」；乡镇回复「已到现场」不能代替`
  )
}

/** FIELD_CHECK_HELP: what 现场核查 is, for 帮助 and refusals. */
export const FIELD_CHECK_HELP =
  '现场核查：重点图斑（推送卡片上标有「重点图斑」）由县卫片办组织逐一实地核查，出具核查意见并明确核查负责人；' +
  '卫片办工作人员在现场拍照后发送「现场核查 图斑号 负责人 姓名 意见 核查意见」登记。乡镇回复「已到现场」不算实地核查记录。'

/** The 拆除复耕 reasons of 001_8c1f6dae78f37652.txt:35 alone (永久基本农田/红线 ≥ 5亩, 耕地 ≥ 25亩). */
export function demolitionKeyReasons(patch: PatchSnapshot, policy: Policy): string[] {
  const before = classifyPatch({ ...issueFacts(patch), judgment: 'illegal' }, policy).keyReasons
  return classifyPatch({ ...issueFacts(patch), judgment: 'illegal', measure: 'demolished_restored' }, policy).keyReasons.filter((r) => !before.includes(r))
}

/** Whether the county's field check was recorded after the judgment (a check of the demolition, not of the first report). */
function checkedSinceJudgment(patch: PatchSnapshot): boolean {
  const at = patch.evidence.fieldCheckAt
  if (!at || !patch.judgedOn) return false
  const judged = patch.judgedAt ?? `${patch.judgedOn}T00:00:00+08:00`
  return new Date(at).getTime() >= new Date(judged).getTime()
}

export function missingForRectification(
  patch: PatchSnapshot,
  measure: RectificationMeasure,
  docNo: string | undefined,
  caseNo: string | undefined,
  policy: Policy,
): string[] {
  switch (measure) {
    case 'demolished_restored': {
      // a photo taken after the judgment: more counted photos than at judgment time (a photo whose EXIF
      // time is before the judgment is flagged, so it is not counted: core/evidence.ts photoVerdict)
      const missing = patch.evidence.photos > (patch.photosAtJudgment ?? 0) ? [] : ['拆除复耕后的现场照片（判定后拍摄，带拍摄时间的原图）']
      // 001_8c1f6dae78f37652.txt:35 拆除复耕 on 永久基本农田/红线 ≥ 5亩 or 耕地 ≥ 25亩: the county checks it on site
      const reasons = demolitionKeyReasons(patch, policy)
      if (reasons.length > 0 && !checkedSinceJudgment(patch)) missing.push(countyFieldCheck(patch, reasons))
      return missing
    }
    case 'permits_completed':
      return docNo ? [] : ['补办用地手续的批准文号（如：桂政土批〔2024〕3号）']
    case 'case_filed':
      return caseNo ? [] : ['立案的案件编号或处罚决定书文号（如：资自然资罚〔2024〕12号）']
  }
}
