// The 填报 table (001_8c1f6dae78f37652.txt:45 "逐一填报"): one row per patch in the columns the
// provincial platforms take (DESIGN "Data the system meets"), and the consistency rule of provincial
// statistics checked before a row leaves: 已整改 = 拆除 + 补办, 总 = 已整改 + 剩余未整改.
import { JUDGMENT_LABELS, FLAG_LABELS } from './judgment.js'
import { remainingAreas, remediedAreas } from './lifecycle/partial.js'
import { remedyStanding } from './lifecycle/remedy.js'
import { stateLabel } from './lifecycle/states.js'
import type { PatchSnapshot } from './lifecycle/types.js'

/** What a column can hold: one field of the row. */
export const FILLING_FIELDS = {
  number: '监测编号',
  townshipCode: '行政区代码（乡镇）',
  townshipName: '行政区名称',
  batch: '监测批次',
  category: '图斑类型',
  areaMu: '监测面积（亩）',
  farmlandMu: '监测耕地面积（亩）',
  basicFarmlandMu: '永久基本农田面积（亩）',
  judgment: '合法性判定结果',
  judgmentDetail: '判定细类',
  violationType: '违法类型',
  approvalNo: '批准文号',
  rectified: '是否整改',
  measure: '整改方式',
  demolishedMu: '拆除面积（亩）',
  demolishedFarmlandMu: '拆除耕地面积（亩）',
  permittedMu: '补办面积（亩）',
  permittedFarmlandMu: '补办耕地面积（亩）',
  rectifiedMu: '已整改面积（亩）',
  remainingMu: '剩余未整改面积（亩）',
  checkedOn: '核查日期',
  caseNo: '立案编号',
  state: '办理状态',
  remarks: '备注',
} as const
export type FillingField = keyof typeof FILLING_FIELDS

export interface FillingColumn {
  field: FillingField
  /** the column name in the sheet, as the county's platform wants it */
  header: string
}

/**
 * The default column set: the pinyin-initial names of DESIGN "Data the system meets" where the
 * platforms have one, Chinese where they do not. A county replaces it in its policy (filling.columns).
 */
export const DEFAULT_FILLING_COLUMNS: FillingColumn[] = [
  { field: 'number', header: 'JCBH' },
  { field: 'townshipCode', header: 'XZQDM' },
  { field: 'townshipName', header: 'XZQMC' },
  { field: 'batch', header: '监测批次' },
  { field: 'category', header: 'TBLX' },
  { field: 'areaMu', header: 'JCMJ' },
  { field: 'farmlandMu', header: 'JCGDMJ' },
  { field: 'basicFarmlandMu', header: 'YJJBNTMJ' },
  { field: 'judgment', header: 'PDJG' },
  { field: 'judgmentDetail', header: '判定细类' },
  { field: 'violationType', header: 'WFLX' },
  { field: 'approvalNo', header: 'PZWH' },
  { field: 'rectified', header: '是否整改' },
  { field: 'measure', header: '整改方式' },
  { field: 'demolishedMu', header: '拆除面积' },
  { field: 'demolishedFarmlandMu', header: '拆除耕地面积' },
  { field: 'permittedMu', header: '补办面积' },
  { field: 'permittedFarmlandMu', header: '补办耕地面积' },
  { field: 'rectifiedMu', header: '已整改面积' },
  { field: 'remainingMu', header: '剩余未整改面积' },
  { field: 'checkedOn', header: '核查日期' },
  { field: 'state', header: '办理状态' },
  { field: 'remarks', header: '备注' },
]

export type FillingValue = string | number
type AreaField = 'areaMu' | 'farmlandMu' | 'basicFarmlandMu' | 'demolishedMu' | 'demolishedFarmlandMu' | 'permittedMu' | 'permittedFarmlandMu' | 'rectifiedMu' | 'remainingMu'
/** Areas in 亩 as numbers, the rest as text. */
export type FillingRow = { [K in FillingField]: K extends AreaField ? number : string }

export interface FillingInput {
  snapshot: PatchSnapshot
  townshipName: string
  batch: string
  /** the patch's attributes as imported: a platform table that already carries 拆除/补办 areas keeps them */
  attributes: Record<string, unknown>
}

const MEASURE_LABELS = { demolished_restored: '拆除复耕', permits_completed: '补办用地手续', case_filed: '立案查处' } as const

/**
 * Area columns a provincial table may already hold (a batch re-imported from the platform): the
 * declared figure wins over the one derived from the patch's state, and the check below compares them.
 */
const DECLARED: Record<'demolishedMu' | 'permittedMu' | 'rectifiedMu' | 'remainingMu', string[]> = {
  demolishedMu: ['拆除面积', 'CCMJ'],
  permittedMu: ['补办面积', 'BBMJ'],
  rectifiedMu: ['已整改面积', 'YZGMJ'],
  remainingMu: ['剩余未整改面积', '未整改面积', 'WZGMJ'],
}

const round2 = (n: number) => Math.round(n * 100) / 100

function declared(attributes: Record<string, unknown>, keys: string[]): number | undefined {
  for (const key of keys) {
    const v = attributes[key]
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
    if (Number.isFinite(n)) return n
  }
  return undefined
}

/** One patch as a row of the table: every field, whichever columns the county shows. */
export function fillingRow(input: FillingInput): FillingRow {
  const s = input.snapshot
  const j = s.judgment
  const r = s.rectification
  // what counts as 整改 is what the county accepted (001_8c1f6dae78f37652.txt:73 "已……到位"); a
  // filed case does not end the violation (004_cc43135be01a58c0.txt:29)
  // (a part of the patch may be accepted: core's remediedAreas, 001_8c1f6dae78f37652.txt:71-73)
  const accepted = remedyStanding(s) === 'accepted'
  const done = remediedAreas(s)
  const demolishedMu = declared(input.attributes, DECLARED.demolishedMu) ?? done.demolishedMu
  const permittedMu = declared(input.attributes, DECLARED.permittedMu) ?? done.permittedMu
  const rectifiedMu = declared(input.attributes, DECLARED.rectifiedMu) ?? demolishedMu + permittedMu
  const remainingMu = declared(input.attributes, DECLARED.remainingMu) ?? (j?.kind === 'illegal' ? remainingAreas(s).areaMu : 0)
  const remarks: string[] = []
  if (!j) remarks.push(s.proposal ? '乡镇已上报，待县级判定' : '尚未判定')
  for (const f of s.flags) if (FLAG_LABELS[f]) remarks.push(FLAG_LABELS[f]!)
  if (r && !accepted && r.missing.length === 0) remarks.push(`${MEASURE_LABELS[r.measure]}已上报，待验收`)
  if (j?.kind === 'illegal' && rectifiedMu > 0 && remainingMu > 0) remarks.push('部分整改')
  return {
    number: s.number,
    townshipCode: s.townshipCode,
    townshipName: input.townshipName,
    batch: input.batch,
    category: s.category,
    areaMu: round2(s.areaMu),
    farmlandMu: round2(s.farmlandMu),
    basicFarmlandMu: round2(s.basicFarmlandMu),
    judgment: j ? (j.kind === 'other' ? '其他' : JUDGMENT_LABELS[j.kind]) : '',
    judgmentDetail: j ? (j.kind === 'legal' ? '批文' : j.kind === 'illegal' ? (j.landUse === 'agricultural' ? '非粮违法' : '非农违法') : j.otherKind) : '',
    violationType: j?.kind === 'illegal' ? j.violationType : '',
    approvalNo: j?.kind === 'legal' ? j.approvalNo : r?.measure === 'permits_completed' && r.docNo ? r.docNo : '',
    rectified: j?.kind !== 'illegal' ? '' : rectifiedMu > 0 ? '是' : '否',
    measure: r && r.measure !== 'case_filed' ? MEASURE_LABELS[r.measure] : s.caseRecord ? MEASURE_LABELS.case_filed : '',
    demolishedMu: round2(demolishedMu),
    demolishedFarmlandMu: round2(done.demolishedFarmlandMu),
    permittedMu: round2(permittedMu),
    permittedFarmlandMu: round2(done.permittedFarmlandMu),
    rectifiedMu: round2(rectifiedMu),
    remainingMu: round2(remainingMu),
    checkedOn: s.proposal?.reportedOn ?? '',
    caseNo: s.caseRecord?.caseNo ?? '',
    state: stateLabel(s.state),
    remarks: remarks.join('；'),
  }
}

/**
 * The consistency rule of provincial statistics (DESIGN "Data the system meets"): 已整改 = 拆除 + 补办,
 * and for a violation 监测面积 = 已整改 + 剩余未整改; no area negative. Each problem in Chinese, naming
 * the figures, so whoever fixes the row knows which one.
 */
export function fillingProblems(row: FillingRow, toleranceMu: number): string[] {
  const [demolished, permitted, rectified, remaining, total] = [row.demolishedMu, row.permittedMu, row.rectifiedMu, row.remainingMu, row.areaMu]
  const off = (a: number, b: number) => Math.abs(a - b) > toleranceMu + 1e-9
  const problems: string[] = []
  for (const [label, v] of [['拆除面积', demolished], ['补办面积', permitted], ['已整改面积', rectified], ['剩余未整改面积', remaining]] as const) {
    if (v < 0) problems.push(`${label}为负数（${v}亩）`)
  }
  if (off(rectified, demolished + permitted)) {
    problems.push(`已整改面积${rectified}亩 ≠ 拆除面积${demolished}亩 + 补办面积${permitted}亩`)
  }
  if (row.judgment === '违法' && off(total, rectified + remaining)) {
    problems.push(`监测面积${total}亩 ≠ 已整改面积${rectified}亩 + 剩余未整改面积${remaining}亩`)
  }
  return problems
}

/** The header row and the cells of `rows` in the county's column order. */
export function fillingCells(rows: FillingRow[], columns: readonly FillingColumn[]): { headers: string[]; cells: FillingValue[][] } {
  return { headers: columns.map((c) => c.header), cells: rows.map((r) => columns.map((c) => r[c.field])) }
}

/** Problems of a county's column set, in Chinese (policy validation). */
export function fillingColumnProblems(columns: unknown): string[] {
  if (!Array.isArray(columns) || columns.length === 0) return ['填报表的列不能为空']
  const problems: string[] = []
  const headers = new Set<string>()
  for (const c of columns as Array<Partial<FillingColumn>>) {
    if (!c || typeof c.field !== 'string' || !Object.hasOwn(FILLING_FIELDS, c.field)) {
      problems.push(`填报表的列「${String(c?.field)}」不存在，可用的有：${Object.keys(FILLING_FIELDS).join('、')}`)
    }
    if (typeof c?.header !== 'string' || c.header.trim() === '') problems.push(`填报表的列「${String(c?.field)}」缺少表头`)
    else if (headers.has(c.header)) problems.push(`填报表的表头「${c.header}」重复`)
    else headers.add(c.header)
  }
  if (!(columns as FillingColumn[]).some((c) => c?.field === 'number')) problems.push('填报表必须包含监测编号（number）列')
  return problems
}
