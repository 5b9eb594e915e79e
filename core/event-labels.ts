// What each event type of the patch's log is called, for people: the chat's `查`, the dossier's
// timeline and the dashboard read the same words.
export const EVENT_LABELS: Record<string, string> = {
  imported: '导入',
  pushed: '推送',
  proposal_recorded: '上报待补',
  evidence_added: '举证',
  evidence_flagged: '存疑照片',
  reported: '核查上报',
  judged: '判定',
  sent_back: '退回',
  rectification_started: '整改开始',
  rectification_recorded: '整改待补',
  rectified: '整改上报',
  accepted: '验收',
  city_verified: '市级核验通过',
  case_stage: '案件进展',
  city_verification_failed: '市级核验不通过',
  rectification_rejected: '驳回整改',
  closed: '办结',
}

export const eventLabel = (type: string): string => EVENT_LABELS[type] ?? type
