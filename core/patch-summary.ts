// A patch's judgment, measures and deadlines in words, from its snapshot: what the 卷宗's 情况说明 and
// the dashboard's patch page show. The rules stay in core (deadlinesFor, remedyStanding); this only names them.
import { dueText } from './calendar.js'
import { FLAG_LABELS, describeJudgment } from './judgment.js'
import { deadlinesFor } from './lifecycle/deadlines.js'
import { remainingAreas, remediedAreas } from './lifecycle/partial.js'
import { remedyStanding } from './lifecycle/remedy.js'
import { stateLabel } from './lifecycle/states.js'
import type { PatchSnapshot } from './lifecycle/types.js'
import type { Policy } from './policy.js'

export interface PatchSummary {
  state: string
  flags: string[]
  proposal?: string
  judgment?: string
  measures: string[]
  deadlines: Array<{ label: string; due: string; dueText: string; overdue: boolean; rule: string }>
}

const MEASURES = { demolished_restored: '拆除复耕', permits_completed: '补办用地手续', case_filed: '立案查处' } as const
const STANDING = { none: '尚未完成', reported: '已上报，待县级验收', awaiting_city: '待市级核验', accepted: '已验收' } as const

export function patchSummary(s: PatchSnapshot, policy: Policy, today: string): PatchSummary {
  const out: PatchSummary = {
    state: stateLabel(s.state),
    flags: s.flags.map((f) => FLAG_LABELS[f] ?? f),
    measures: [],
    deadlines: deadlinesFor(s, policy).map((d) => ({ label: d.label, due: d.due, dueText: dueText(d.due), overdue: d.due < today, rule: d.rule })),
  }
  if (s.proposal) {
    out.proposal = `${describeJudgment(s.proposal.judgment)}，${s.proposal.reportedOn}上报${s.proposal.missing.length ? `（尚缺：${s.proposal.missing.join('、')}）` : ''}`
  }
  if (s.judgment) out.judgment = `${describeJudgment(s.judgment)}${s.judgedOn ? `，${s.judgedOn}判定` : ''}`
  if (s.plannedMeasure && !s.rectification) out.measures.push(`集体会审拟${MEASURES[s.plannedMeasure]}`)
  const r = s.rectification
  if (r) {
    const parts = [`${MEASURES[r.measure]}，${r.reportedOn}上报`]
    if (r.docNo) parts.push(`文号 ${r.docNo}`)
    if (r.missing.length) parts.push(`尚缺：${r.missing.join('、')}`)
    else parts.push(STANDING[remedyStanding(s)])
    if (r.cityVerification) parts.push(`市级核验${r.cityVerification.result === 'passed' ? '通过' : '不通过'}（${r.cityVerification.docNo}，${r.cityVerification.on}）`)
    if (r.acceptedOn) parts.push(`${r.acceptedOn}验收`)
    out.measures.push(parts.join('；'))
  }
  if (s.judgment?.kind === 'illegal') {
    // what the county accepted so far, part or whole (001_8c1f6dae78f37652.txt:71-73)
    const done = remediedAreas(s)
    const m = (n: number) => `${Math.round(n * 100) / 100}亩`
    out.measures.push(`整改面积：已整改（已验收）${m(done.demolishedMu + done.permittedMu)}（拆除复耕${m(done.demolishedMu)}、补办手续${m(done.permittedMu)}），剩余未整改${m(remainingAreas(s).areaMu)}`)
  }
  if (s.caseRecord) {
    out.measures.push(`案件 ${s.caseRecord.caseNo}：${s.caseRecord.stages.map((st) => `${st.stage}（${st.on}${st.docNo ? `，${st.docNo}` : ''}）`).join('→')}`)
  }
  if (s.closedOn) out.measures.push(`${s.closedOn}办结`)
  return out
}
