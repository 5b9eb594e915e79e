// The patch as core/ sees it; the database maps its rows to this shape.
import type { Judgment, JudgmentProposal } from '../judgment.js'
import type { DepartmentTrigger, PeriodUnit } from '../policy.js'

export type PatchState =
  | 'issued'
  | 'dispatched'
  | 'reported'
  | 'judged'
  | 'rectifying'
  | 'rectified'
  | 'accepted'
  | 'closed'

export type RectificationMeasure = 'demolished_restored' | 'permits_completed' | 'case_filed'

export interface EvidenceSummary {
  /** photos that count as proof (not flagged) */
  photos: number
  /** photos flagged as far from the patch or too old: kept, never counted as proof */
  flaggedPhotos: number
  locations: number
  documents: number
  /** a field-check record (实地核查) exists */
  fieldCheck: boolean
  /** ISO instant of the latest county field check (001_8c1f6dae78f37652.txt:35), when known */
  fieldCheckAt?: string
}

/** The township's proposal; `missing` non-empty means it is recorded but not yet complete. */
export interface ProposalRecord {
  judgment: JudgmentProposal
  reportedOn: string
  by: string
  missing: string[]
  /** 耕地 area the township measured, when it gave one */
  farmlandMu?: number
}

/** The city's result on a 拆除复耕 submitted for 核验 (001_8c1f6dae78f37652.txt:41), with its document. */
export interface CityVerificationRecord {
  result: 'passed' | 'failed'
  docNo: string
  /** YYYY-MM-DD the result was recorded */
  on: string
  /** personId of the staff who recorded it */
  by: string
}

export interface RectificationRecord {
  measure: RectificationMeasure
  reportedOn: string
  docNo?: string
  caseNo?: string
  /** what is still needed before it counts as reported; empty when complete */
  missing: string[]
  /** set when submitted: this 拆除复耕 goes to the city for 核验 before the county may accept it */
  cityVerificationRequired?: boolean
  cityVerification?: CityVerificationRecord
  /** YYYY-MM-DD of the county's 验收 */
  acceptedOn?: string
  /** 拆除面积/拆除耕地面积 or 补办面积/补办耕地面积 when only part is rectified; absent: all that remains */
  areaMu?: number
  farmlandMu?: number
}

/** What the county has accepted so far, in 亩 (a partial rectification leaves the rest in 整改中). */
export interface RemediedAreas {
  demolishedMu: number
  demolishedFarmlandMu: number
  permittedMu: number
  permittedFarmlandMu: number
}

/**
 * The stages of 004_cc43135be01a58c0.txt:29 "发现-核查-制止-立案-调查-告知-处罚-催告-移交". The first three
 * are the patch's own cycle (下发, 核查上报, 判定); the case record starts at 立案.
 */
export const CASE_STAGES = ['立案', '调查', '告知', '处罚', '催告', '移交'] as const
export type CaseStage = (typeof CASE_STAGES)[number]

/** A case (案件) inside 整改中: filed by the 县自然资源局 (001_8c1f6dae78f37652.txt:41), not a rectification. */
export interface CaseRecord {
  caseNo: string
  stage: CaseStage
  /** every stage reached, in order, with its date and document */
  stages: Array<{ stage: CaseStage; on: string; by: string; docNo?: string }>
}

export interface PatchSnapshot {
  id: string
  /** 监测编号 / 图斑编号 */
  number: string
  townshipCode: string
  kind: 'land' | 'mineral'
  /** 图斑类型, e.g. 新增非农建设类 */
  category: string
  areaMu: number
  farmlandMu: number
  basicFarmlandMu: number
  redLineMu: number
  /** YYYY-MM-DD, the ministry's issue date */
  issuedOn: string
  /** YYYY-MM-DD, the county received it (002's 15 days count from here) */
  receivedOn?: string
  military: boolean
  state: PatchState
  proposal?: ProposalRecord
  judgment?: Judgment
  judgedOn?: string
  /** ISO instant of the judgment: a rectification photo must be taken after it */
  judgedAt?: string
  /** areas accepted by earlier partial 验收 (and the last one, once closed) */
  remedied?: RemediedAreas
  /** photos counted at judgment: a 拆除复耕 needs one more than this (a photo taken after judgment) */
  photosAtJudgment?: number
  /** 集体会审's planned measure; decides which rectification period applies */
  plannedMeasure?: 'demolished_restored' | 'permits_completed'
  rectification?: RectificationRecord
  /** the case record (立案 onwards); a filed case does not end the violation */
  caseRecord?: CaseRecord
  rectifiedOn?: string
  closedOn?: string
  evidence: EvidenceSummary
  flags: string[]
  /** routing zones the patch lies in (002_ad387473bb9415ab.txt:46-60), from the county's zone layers */
  zones?: DepartmentTrigger[]
  /** open step → due date (YYYY-MM-DD), recomputed on every transition */
  due: Record<string, string>
}

export type Role = 'official' | 'staff' | 'leader' | 'admin' | 'system'

export interface Actor {
  personId: string
  role: Role
  townshipCode?: string
}

export type EvidenceKind = 'photo' | 'location' | 'document' | 'field_check'

export type Action =
  /** system/staff: send the patch to its township; `confidential` for military land (机要件) */
  | { type: 'push'; confidential?: boolean }
  /**
   * system: the pushed card was given up by the outbox (the platform refused it for good): the
   * township never got it, so the patch is not "dispatched"; it waits, issued, to be sent again
   */
  | { type: 'pushFailed'; reason: string }
  | { type: 'report'; proposal: JudgmentProposal; farmlandMu?: number; fieldCheck?: boolean }
  | { type: 'addEvidence'; kind: EvidenceKind; flagged?: boolean; flagReasons?: string[] }
  /** staff: confirm the proposal, or correct it with `judgment` (集体会审) */
  | { type: 'confirm'; judgment?: Judgment; plannedMeasure?: 'demolished_restored' | 'permits_completed' }
  | { type: 'sendBack'; reason: string }
  | { type: 'reportRectification'; measure: RectificationMeasure; docNo?: string; caseNo?: string; areaMu?: number; farmlandMu?: number }
  /** staff: the county's field check of a key patch (001_8c1f6dae78f37652.txt:35): its 核查负责人 and 核查意见 */
  | { type: 'recordFieldCheck'; lead: string; opinion: string }
  | { type: 'accept' }
  /** staff: 立案 with its number, or a later stage of 004_cc43135be01a58c0.txt:29 (with its document) */
  | { type: 'recordCase'; stage: CaseStage; caseNo?: string; docNo?: string }
  /** staff: the city's 核验 result of a 拆除复耕 (001_8c1f6dae78f37652.txt:41), with its document number */
  | { type: 'recordCityVerification'; result: 'passed' | 'failed'; docNo: string }
  | { type: 'rejectRectification'; reason: string }

export interface PatchEvent {
  type: string
  /** ISO instant */
  at: string
  /** personId */
  actor: string
  data: Record<string, unknown>
}

export type Recipient =
  | { kind: 'township'; townshipCode: string }
  | { kind: 'office' }
  | { kind: 'leaders' }
  | { kind: 'actor' }

export interface OutgoingIntent {
  to: Recipient
  /** Chinese, short enough for a phone */
  text: string
}

export type TransitionResult =
  | { ok: true; patch: PatchSnapshot; events: PatchEvent[]; messages: OutgoingIntent[] }
  | { ok: false; code: RefusalCode; reason: string }

export type RefusalCode =
  | 'forbidden'
  | 'wrong_township'
  | 'wrong_state'
  | 'military_land'
  | 'reason_required'
  | 'invalid_input'
  | 'nothing_to_confirm'
  /** 验收 waits for the city's 核验 result (001_8c1f6dae78f37652.txt:41) */
  | 'city_verification_pending'
  /** the date is past the installed holiday data */
  | 'calendar_range'

export interface Deadline {
  step: string
  due: string
  unit: PeriodUnit | 'fixed'
  /** seedfile:line */
  rule: string
  label: string
}
