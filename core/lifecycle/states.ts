// Chinese labels of the states and of what each action does, for replies and refusals.
import type { Action, PatchState } from './types.js'

const STATE_LABELS: Record<PatchState, string> = {
  issued: '已下发',
  dispatched: '已推送',
  reported: '已核查上报',
  judged: '已判定',
  rectifying: '整改中',
  rectified: '已整改',
  accepted: '已验收',
  closed: '已办结',
}

export function stateLabel(state: PatchState): string {
  return STATE_LABELS[state] ?? state
}

export const ACTION_VERBS: Record<Action['type'], string> = {
  push: '推送',
  pushFailed: '撤回推送',
  report: '再上报核查结果',
  addEvidence: '再补充举证材料',
  confirm: '确认判定',
  sendBack: '退回核查结果',
  reportRectification: '上报整改结果',
  accept: '验收',
  recordCityVerification: '登记市级核验结果',
  recordCase: '登记案件查处进展',
  rejectRectification: '退回整改结果',
  recordFieldCheck: '登记实地核查',
}

/** The states in which each action applies. */
export const ALLOWED_STATES: Record<Action['type'], readonly PatchState[]> = {
  push: ['issued'],
  // only before the township answered: once it has reported, it evidently has the patch
  pushFailed: ['dispatched'],
  report: ['dispatched', 'reported'],
  addEvidence: ['issued', 'dispatched', 'reported', 'judged', 'rectifying', 'rectified', 'accepted'],
  confirm: ['reported'],
  sendBack: ['reported'],
  reportRectification: ['rectifying'],
  accept: ['rectified'],
  recordCityVerification: ['rectified'],
  recordCase: ['rectifying', 'rectified'],
  rejectRectification: ['rectified'],
  recordFieldCheck: ['dispatched', 'reported', 'rectifying', 'rectified'],
}

/** What can be sent instead, in each state. */
export const STATE_HINTS: Record<PatchState, string> = {
  issued: '图斑尚未推送到乡镇，请等待推送。',
  dispatched: '请先回复核查结果，如：已核查 违法 农村乱占耕地建房 占耕地1.2亩（附现场照片）。',
  reported: '核查结果已上报，等待县卫片办审核（确认或退回）。',
  judged: '图斑已判定，请按判定结果办理。',
  rectifying: '请上报整改结果，如：已拆除复耕（附判定后拍摄的现场照片）、已补办手续 批准文号。',
  rectified: '整改结果已上报，等待县卫片办验收。',
  accepted: '图斑已验收，无需再操作。',
  closed: '图斑已办结，无需再操作。',
}

export const ALL_STATES = Object.keys(STATE_LABELS) as PatchState[]

/**
 * The state each event leaves a patch in, as transition.ts writes them (events that change no state
 * — evidence, the county's field check, case stages, a recorded but incomplete rectification, a
 * passed 核验 — are absent). `verify` replays a patch's events through it and compares with the
 * stored state.
 */
export const STATE_AFTER_EVENT: Readonly<Record<string, PatchState>> = {
  imported: 'issued',
  pushed: 'dispatched',
  push_failed: 'issued',
  proposal_recorded: 'dispatched',
  reported: 'reported',
  sent_back: 'dispatched',
  judged: 'judged',
  closed: 'closed',
  rectification_started: 'rectifying',
  rectified: 'rectified',
  rectification_rejected: 'rectifying',
  city_verification_failed: 'rectifying',
  accepted: 'accepted',
}

/** The state a patch's events, in order, produce; undefined for no events at all. */
export function stateFromEvents(events: ReadonlyArray<{ type: string; data?: Record<string, unknown> }>): PatchState | undefined {
  let state: PatchState | undefined
  for (const e of events) {
    // a partial 验收 deducts what was accepted; the rest stays in 整改中 (001_8c1f6dae78f37652.txt:71-73)
    if (e.type === 'accepted' && e.data?.partial === true) state = 'rectifying'
    else state = STATE_AFTER_EVENT[e.type] ?? state
  }
  return state
}
