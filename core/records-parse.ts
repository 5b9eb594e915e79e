// The county's record commands (issue 12 points 12-14, 16), read apart from the patch grammar:
//   设置审批人 通报|函件 @姓名 · 审批人            — the named approver (004_cc43135be01a58c0.txt:47)
//   约谈 资源镇 [日期] · 问责 资源镇 [日期]         — held / started (001_8c1f6dae78f37652.txt:103)
//   约谈已报 资源镇 · 问责已报 资源镇               — the township's report came in
//   移交 <号> 县水利局 [日期] · 移交反馈 <号> 结果   — hand-over to a department (001_8c1f6dae78f37652.txt:41)
//   认定 <号> 弄虚作假|瞒案不报|压案不查             — a finding (000_7f891be42bc71ff5.txt:41)

export interface DateSpec {
  year?: number
  month: number
  day: number
}

export type RecordIntent =
  | { kind: 'approvers' }
  | { kind: 'setApprover'; document: 'bulletin' | 'letters' }
  | { kind: 'talkRecord'; record: 'talk' | 'accountability'; township: string; date?: DateSpec }
  | { kind: 'talkReported'; record: 'talk' | 'accountability' | 'bulletin'; township: string }
  | { kind: 'handover'; patchNo?: string; department: string; date?: DateSpec }
  | { kind: 'handoverReturn'; patchNo?: string; result: string }
  | { kind: 'finding'; patchNo?: string; finding: string }
  | { kind: 'unknown'; reason: string }

export const RECORDS_HELP =
  '卫片办记录：约谈 乡镇 [日期]｜问责 乡镇 [日期]｜约谈已报 乡镇｜问责已报 乡镇｜通报已报 乡镇｜移交 图斑号 部门 [日期]｜移交反馈 图斑号 处置结果｜认定 图斑号 弄虚作假/瞒案不报/压案不查；管理员：设置审批人 通报/函件 @姓名。'

const DATE = /(?:(\d{4})\s*[-年/.]\s*)?(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?/
const FINDINGS = ['弄虚作假', '瞒案不报', '压案不查'] as const

function dateIn(text: string): { date?: DateSpec; rest: string } {
  const m = DATE.exec(text)
  if (!m) return { rest: text }
  const date: DateSpec = { month: Number(m[2]), day: Number(m[3]), ...(m[1] ? { year: Number(m[1]) } : {}) }
  return { date, rest: (text.slice(0, m.index) + ' ' + text.slice(m.index + m[0].length)).trim() }
}

const words = (s: string): string => s.replace(/@\S+/g, ' ').replace(/[,，:：、。；;]/g, ' ').replace(/\s+/g, ' ').trim()

/**
 * `t`: the normalised message; `rest`: it without the patch number, `patchNo` that number. Undefined
 * when the message is none of these commands.
 */
export function recordCommand(t: string, rest: string, patchNo: string | undefined): RecordIntent | undefined {
  const approver = /^(?:设置|指定|更改)审批人\s*(.*)$/s.exec(t)
  if (approver) {
    const w = words(approver[1] ?? '')
    const document = /^通报/.test(w) ? 'bulletin' : /^(?:函件|函|警示提醒函|建议函)/.test(w) ? 'letters' : undefined
    if (!document) return { kind: 'unknown', reason: '请写明审批的文件：设置审批人 通报 @姓名，或 设置审批人 函件 @姓名。' }
    return { kind: 'setApprover', document }
  }
  if (/^(?:查看)?审批人$/.test(t)) return { kind: 'approvers' }

  const reported = /^(约谈|问责|通报)(?:情况)?已(?:上)?报\s*(.*)$/s.exec(t)
  if (reported) {
    const township = words(reported[2] ?? '')
    const record = reported[1] === '约谈' ? 'talk' : reported[1] === '问责' ? 'accountability' : 'bulletin'
    if (!township) return { kind: 'unknown', reason: `请写明乡镇，如：${reported[1]}已报 资源镇。` }
    return { kind: 'talkReported', record, township }
  }
  const held = /^(约谈|问责|启动问责)(?=\s|$)\s*(.*)$/s.exec(t)
  if (held && !patchNo) {
    const record = held[1] === '约谈' ? 'talk' : 'accountability'
    const { date, rest: after } = dateIn(held[2] ?? '')
    const township = words(after).split(' ')[0] ?? ''
    const word = record === 'talk' ? '约谈' : '问责'
    if (!township) return { kind: 'unknown', reason: `请写明开展${word}的乡镇和日期，如：${word} 资源镇 11月20日（不写日期为今天）。` }
    return { kind: 'talkRecord', record, township, ...(date ? { date } : {}) }
  }

  const returned = /^移交(?:反馈|结果|处置结果)\s*(.*)$/s.exec(rest)
  if (returned) {
    const result = words(returned[1] ?? '')
    if (!result) return { kind: 'unknown', reason: '请写明部门反馈的处置结果，如：移交反馈 图斑号 已拆除并恢复原状。' }
    return { kind: 'handoverReturn', result, ...(patchNo ? { patchNo } : {}) }
  }
  const handover = /^移交(?:给|至|到)?\s*(.*)$/s.exec(rest)
  if (handover && patchNo) {
    const { date, rest: after } = dateIn(handover[1] ?? '')
    const department = words(after).split(' ')[0] ?? ''
    if (!department) return { kind: 'unknown', reason: '请写明接收的部门，如：移交 图斑号 县水利局 11月20日（不写日期为今天）。' }
    return { kind: 'handover', patchNo, department, ...(date ? { date } : {}) }
  }

  const finding = /^认定\s*(.*)$/s.exec(rest)
  if (finding) {
    const what = FINDINGS.find((f) => (finding[1] ?? '').includes(f))
    if (!what) return { kind: 'unknown', reason: `请写明认定的问题：${FINDINGS.join('、')}，如：认定 图斑号 瞒案不报。` }
    return { kind: 'finding', finding: what, ...(patchNo ? { patchNo } : {}) }
  }
  return undefined
}
