// Legality judgments (合法性判定) and what follows from them: the accountability land-use kind and the
// flags 001 wants kept separately.

export type LandUse = 'new_construction' | 'stock_construction' | 'agricultural'

/** 违法类型 as officials and provincial platforms write them. */
export const VIOLATION_TYPES = [
  '农村乱占耕地建房',
  '非农化',
  '非粮化',
  '新增建设用地违法',
  '存量建设用地违法',
  '农业项目破坏耕地',
  '违法采矿',
] as const
export type ViolationType = (typeof VIOLATION_TYPES)[number]

/** 其他用地 kinds of 001_8c1f6dae78f37652.txt:37 plus 伪变化 used by provincial platforms. */
export const OTHER_KINDS = [
  '设施农业用地',
  '临时用地',
  '农村道路',
  '不改变原用地性质的光伏用地',
  '实地未变化',
  '伪变化',
] as const
export type OtherKind = (typeof OTHER_KINDS)[number]

/** A confirmed judgment: everything it needs is present. */
export type Judgment =
  | { kind: 'legal'; approvalNo: string }
  | { kind: 'illegal'; violationType: ViolationType; landUse: LandUse }
  | { kind: 'other'; otherKind: OtherKind }

/** What a township proposes; may still lack a detail (the lifecycle says what is missing). */
export type JudgmentProposal =
  | { kind: 'legal'; approvalNo?: string }
  | { kind: 'illegal'; violationType?: ViolationType; landUse?: LandUse }
  | { kind: 'other'; otherKind?: OtherKind }

export const JUDGMENT_LABELS: Record<Judgment['kind'], string> = {
  legal: '合法',
  illegal: '违法',
  other: '其他用地',
}

/** Accountability land-use kind of a violation type (DESIGN: 违法类型 values are the landUse kinds). */
export function landUseOf(violationType: ViolationType): LandUse {
  switch (violationType) {
    case '存量建设用地违法':
      return 'stock_construction'
    case '农业项目破坏耕地':
    case '非粮化':
      return 'agricultural'
    default:
      return 'new_construction'
  }
}

export const FLAG_LABELS: Record<string, string> = {
  non_agricultural: '非农化',
  new_rural_housing: '新增乱占耕地建房',
  military: '军用土地',
  key_patch: '重点图斑',
  city_verification: '拆除复耕须市级核验',
}

/**
 * 001_8c1f6dae78f37652.txt:33 "对属于“非农化”、新增乱占耕地建房问题要单独标识".
 * policy choice: 新增建设用地违法 occupying 耕地 is also 非农化 (farmland turned to non-farm use).
 */
export function judgmentFlags(j: Judgment, farmlandMu: number): string[] {
  if (j.kind !== 'illegal') return []
  const flags: string[] = []
  const onFarmland = farmlandMu > 0
  if (j.violationType === '非农化' || (j.violationType === '新增建设用地违法' && onFarmland)) flags.push('non_agricultural')
  if (j.violationType === '农村乱占耕地建房' && j.landUse === 'new_construction') flags.push('new_rural_housing')
  return flags
}

/** The complete judgment of a proposal, or the details still missing (Chinese). */
export function completeJudgment(p: JudgmentProposal): { judgment: Judgment } | { missing: string[] } {
  switch (p.kind) {
    case 'legal':
      return p.approvalNo && p.approvalNo.trim()
        ? { judgment: { kind: 'legal', approvalNo: p.approvalNo.trim() } }
        : { missing: ['批准文号（如：桂政土批〔2022〕15号）'] }
    case 'illegal':
      return p.violationType
        ? { judgment: { kind: 'illegal', violationType: p.violationType, landUse: p.landUse ?? landUseOf(p.violationType) } }
        : { missing: [`违法类型（${VIOLATION_TYPES.slice(0, 6).join('、')}）`] }
    case 'other':
      return p.otherKind
        ? { judgment: { kind: 'other', otherKind: p.otherKind } }
        : { missing: [`其他用地类型（${OTHER_KINDS.join('、')}）`] }
  }
}

export function describeJudgment(j: JudgmentProposal): string {
  switch (j.kind) {
    case 'legal':
      return j.approvalNo ? `合法（${j.approvalNo}）` : '合法'
    case 'illegal':
      return j.violationType ? `违法（${j.violationType}）` : '违法'
    case 'other':
      return j.otherKind ? `其他用地（${j.otherKind}）` : '其他用地'
  }
}
