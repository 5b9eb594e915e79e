// The one place a patch changes state. Pure: returns the next patch, the events to append and the
// messages to send, or a refusal a person can read. Never throws for a business refusal, never
// mutates its input.
import { CalendarRangeError, chinaDate } from '../calendar.js'
import { classifyPatch } from '../classify.js'
import { FLAG_LABELS, completeJudgment, describeJudgment, judgmentFlags } from '../judgment.js'
import type { Judgment } from '../judgment.js'
import type { Policy } from '../policy.js'
import { deadlineLines, deadlinesFor, dueMap } from './deadlines.js'
import { FIELD_CHECK_HELP, issueFacts, missingForRectification, missingForReport } from './evidence-rules.js'
import { addRemedy, leavesNothing, recordAreas, rectificationAreaRefusal, remainingAreas } from './partial.js'
import { needsCityVerification } from './remedy.js'
import { checkRights } from './rights.js'
import { ACTION_VERBS, ALLOWED_STATES, STATE_HINTS, stateLabel } from './states.js'
import { CASE_STAGES } from './types.js'
import type {
  Action,
  Actor,
  OutgoingIntent,
  PatchEvent,
  PatchSnapshot,
  RefusalCode,
  TransitionResult,
} from './types.js'

const MEASURE_LABELS = {
  demolished_restored: '已拆除复耕',
  permits_completed: '已补办用地手续',
  case_filed: '已立案查处',
} as const

interface Draft {
  patch: PatchSnapshot
  events: PatchEvent[]
  messages: OutgoingIntent[]
}

function refuse(code: RefusalCode, reason: string): TransitionResult {
  return { ok: false, code, reason }
}

const mmdd = (date: string): string => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`

function numbered(items: string[]): string {
  return items.length === 1 ? items[0]! : items.map((m, i) => `${i + 1}）${m}`).join('；')
}

export function transition(
  patch: PatchSnapshot,
  action: Action,
  actor: Actor,
  policy: Policy,
  now: Date,
): TransitionResult {
  // actions come from parsed chat text and stored rows: a malformed one is refused, not thrown
  const malformed = checkShape(action)
  if (malformed) return refuse('invalid_input', malformed)
  // 004_cc43135be01a58c0.txt:29 立案 is a step of the case procedure, recorded by the 县自然资源局
  // (001_8c1f6dae78f37652.txt:41); it does not end the violation, so it is no rectification to report
  const notRemedy = caseIsNoRemedy(patch, action, actor)
  if (notRemedy) return notRemedy
  // 001_8c1f6dae78f37652.txt:61/103 军用土地 is the county office's, reported as a confidential item: no
  // township acts on it (nor learns of it through a refusal that names it)
  if (patch.military && actor.role === 'official') {
    return refuse('military_land', '该图斑涉及军用土地，由县卫片办以机要件单独办理，乡镇不能在此办理。')
  }
  // 001_8c1f6dae78f37652.txt:35 the field check of a key patch is the county's record, with its 负责人 and 意见
  if (action.type === 'addEvidence' && action.kind === 'field_check') {
    return refuse(actor.role === 'official' ? 'forbidden' : 'invalid_input', `${FIELD_CHECK_HELP}（图斑 ${patch.number}）`)
  }
  const rights = checkRights(patch, action, actor)
  if (!rights.ok) return refuse(rights.code, rights.reason)
  if (!ALLOWED_STATES[action.type].includes(patch.state)) {
    return refuse(
      'wrong_state',
      `图斑 ${patch.number} 当前状态为「${stateLabel(patch.state)}」，不能${ACTION_VERBS[action.type]}。${hintFor(patch)}`,
    )
  }
  const at = now.toISOString()
  const today = chinaDate(now)
  const draft: Draft = { patch: structuredClone(patch), events: [], messages: [] }
  const ev = (type: string, data: Record<string, unknown> = {}): void => {
    draft.events.push({ type, at, actor: actor.personId, data })
  }
  const say = (to: OutgoingIntent['to'], text: string): void => {
    draft.messages.push({ to, text })
  }
  const township = { kind: 'township', townshipCode: patch.townshipCode } as const

  try {
    const refusal = apply(draft, action, actor, policy, today, at, ev, say, township)
    if (refusal) return refusal
    draft.patch.due = dueMap(deadlinesFor(draft.patch, policy))
  } catch (e) {
    // past the holiday data the system says so instead of guessing a due date
    if (e instanceof CalendarRangeError) return refuse('calendar_range', e.message)
    throw e
  }
  return { ok: true, patch: draft.patch, events: draft.events, messages: draft.messages }
}

const CASE_NOT_REMEDY = '立案是案件查处的一个环节，不是整改结果，由县自然资源局登记；图斑仍在整改中。'

function caseIsNoRemedy(patch: PatchSnapshot, action: Action, actor: Actor): TransitionResult | undefined {
  const howToRemedy = '整改到位后请回复：已拆除复耕（附判定后拍摄的现场照片）或 已补办手续 批准文号。'
  if (action.type === 'reportRectification' && action.measure === 'case_filed') {
    return refuse('invalid_input', `${CASE_NOT_REMEDY}${howToRemedy}（图斑 ${patch.number}）`)
  }
  if (action.type === 'recordCase' && actor.role === 'official') {
    return refuse('forbidden', `${CASE_NOT_REMEDY}立案情况请由县自然资源局（县卫片办）登记。${howToRemedy}（图斑 ${patch.number}）`)
  }
  return undefined
}

function checkShape(action: Action): string | undefined {
  if (!action || typeof action !== 'object' || !(action.type in ACTION_VERBS)) return '无法识别的操作。'
  if (action.type === 'report') {
    const kind = (action.proposal as { kind?: unknown } | undefined)?.kind
    if (kind !== 'legal' && kind !== 'illegal' && kind !== 'other') return '请写明判定结果：违法、合法或其他用地类型。'
  }
  if (action.type === 'reportRectification' && !(action.measure in MEASURE_LABELS)) {
    return '请写明整改方式：已拆除复耕、已补办手续或已立案。'
  }
  if (action.type === 'addEvidence' && !(action.kind in EVIDENCE_LABELS)) return '无法识别的举证材料类型。'
  if (action.type === 'recordCase' && !CASE_STAGES.includes(action.stage)) {
    return `请写明案件查处环节：${CASE_STAGES.join('、')}。`
  }
  if (action.type === 'recordFieldCheck' && (typeof action.lead !== 'string' || typeof action.opinion !== 'string')) {
    return `请写明核查负责人和核查意见。${FIELD_CHECK_HELP}`
  }
  if (action.type === 'recordCityVerification' && action.result !== 'passed' && action.result !== 'failed') {
    return '请写明市级核验结果：通过或不通过，例如：市级核验 图斑号 通过 桂林土卫片办〔2024〕5号。'
  }
  return undefined
}

function hintFor(patch: PatchSnapshot): string {
  if (patch.state === 'dispatched' && patch.proposal && patch.proposal.missing.length > 0) {
    return `已记录的核查结果还缺：${numbered(patch.proposal.missing)}。`
  }
  if (patch.state === 'rectifying' && patch.rectification && patch.rectification.missing.length > 0) {
    return `已记录的整改结果还缺：${numbered(patch.rectification.missing)}。`
  }
  return STATE_HINTS[patch.state]
}

type Ev = (type: string, data?: Record<string, unknown>) => void
type Say = (to: OutgoingIntent['to'], text: string) => void
type Township = { kind: 'township'; townshipCode: string }

function apply(
  draft: Draft,
  action: Action,
  actor: Actor,
  policy: Policy,
  today: string,
  at: string,
  ev: Ev,
  say: Say,
  township: Township,
): TransitionResult | undefined {
  const p = draft.patch
  switch (action.type) {
    case 'push': {
      // 001_8c1f6dae78f37652.txt:61 军用土地 goes separately as a confidential document, never to a group
      if (p.military && !action.confidential) {
        return refuse(
          'military_land',
          `图斑 ${p.number} 涉及军用土地，须以机要件单独上报，不能推送到乡镇群。请按机要方式处理后登记为“机要推送”。`,
        )
      }
      p.state = 'dispatched'
      const c = classifyPatch(issueFacts(p), policy)
      addFlag(p, p.military ? 'military' : undefined)
      addFlag(p, c.key ? 'key_patch' : undefined)
      ev('pushed', { confidential: action.confidential === true, key: c.key, keyReasons: c.keyReasons })
      const due = dueMap(deadlinesFor(p, policy))
      if (p.military) {
        // 001_8c1f6dae78f37652.txt:61/103: the office hears that one came, never which or where
        say({ kind: 'office' }, '新下发军用土地图斑1个，已登记为机要件处理，未推送乡镇群；编号和位置不在群内显示，请按机要件方式单独办理、上报。')
      } else {
        const dueText = due.verification ? `，请于${mmdd(due.verification)}前核查上报` : ''
        // 001_8c1f6dae78f37652.txt:35 the county organises the key patches' field check
        const key = c.key ? `【重点图斑，县卫片办将组织实地核查】` : ''
        say(
          township,
          `${key}新图斑 ${p.number}：${p.category}，面积${p.areaMu}亩，耕地${p.farmlandMu}亩，永久基本农田${p.basicFarmlandMu}亩${dueText}。` +
            '回复本消息：已核查 违法/合法/其他用地类型，并附现场照片。',
        )
      }
      return undefined
    }

    case 'pushFailed': {
      if (p.proposal) return refuse('wrong_state', `图斑 ${p.number} 已有乡镇上报的核查结果，推送视为已送达。`)
      p.state = 'issued'
      ev('push_failed', { reason: action.reason })
      say({ kind: 'office' }, `图斑 ${p.number} 的推送未能送达乡镇群（${action.reason}），已退回「已下发」，不计为已推送；重新发送成功后才开始计为已推送。`)
      return undefined
    }

    case 'report': {
      // a township's 「现场核查」/「已到现场」 in its report is its own visit, not the county's field check
      // of 001_8c1f6dae78f37652.txt:35: it is not recorded as one (missingForReport says who makes it)
      const missing = missingForReport(p, action.proposal, policy)
      p.proposal = { judgment: action.proposal, reportedOn: today, by: actor.personId, missing }
      if (action.farmlandMu !== undefined) {
        if (!Number.isFinite(action.farmlandMu) || action.farmlandMu < 0) {
          return refuse('invalid_input', `耕地面积应为非负数，例如：占耕地1.2亩。`)
        }
        p.proposal.farmlandMu = action.farmlandMu
      }
      const what = describeJudgment(action.proposal)
      if (missing.length > 0) {
        p.state = 'dispatched'
        ev('proposal_recorded', { proposal: action.proposal, missing })
        say({ kind: 'actor' }, `已记录图斑 ${p.number} 核查结果：${what}。还缺：${numbered(missing)}。补齐后自动提交县卫片办审核。`)
        return undefined
      }
      submitReport(draft, ev, say)
      return undefined
    }

    case 'addEvidence': {
      if (action.kind === 'photo' && action.flagged) {
        p.evidence.flaggedPhotos += 1
        const why = action.flagReasons?.length ? action.flagReasons.join('、') : '拍摄地点或时间不符'
        ev('evidence_flagged', { kind: 'photo', reasons: action.flagReasons ?? [] })
        say({ kind: 'actor' }, `图斑 ${p.number} 的照片已收到，但${why}，不计入举证。请在图斑现场重新拍摄。`)
        say({ kind: 'office' }, `提示：图斑 ${p.number} 收到一张存疑照片（${why}），已存档，未计入举证。`)
        return undefined
      }
      switch (action.kind) {
        case 'photo':
          p.evidence.photos += 1
          break
        case 'location':
          p.evidence.locations += 1
          break
        case 'document':
          p.evidence.documents += 1
          break
        case 'field_check':
          break // refused above: the county records it with recordFieldCheck
      }
      ev('evidence_added', { kind: action.kind })
      if (recheckPending(draft, policy, today, ev, say)) return undefined
      say({ kind: 'actor' }, `已收到图斑 ${p.number} 的${EVIDENCE_LABELS[action.kind]}。`)
      return undefined
    }

    case 'recordFieldCheck': {
      const lead = action.lead.trim()
      const opinion = action.opinion.trim()
      if (!lead || !opinion) {
        return refuse('reason_required', `登记实地核查需要写明核查负责人和核查意见，例如：现场核查 ${p.number} 负责人 张三 意见 已拆除，复耕到位。`)
      }
      const need = policy.evidenceChecks.fieldCheck.photosRequired
      if (p.evidence.photos < need) {
        return refuse(
          'reason_required',
          `图斑 ${p.number} 还没有可计入的现场照片，实地核查记录须附现场照片（现场照片入卷宗）。请先在现场拍照并回复图斑卡片发送，再发送「现场核查 ${p.number} 负责人 ${lead} 意见 ${opinion}」。`,
        )
      }
      p.evidence.fieldCheck = true
      p.evidence.fieldCheckAt = at
      ev('field_checked', { kind: 'field_check', lead, opinion })
      say(township, `县卫片办已完成图斑 ${p.number} 的实地核查（核查负责人：${lead}）。核查意见：${opinion}`)
      if (recheckPending(draft, policy, today, ev, say)) return undefined
      say({ kind: 'actor' }, `已登记图斑 ${p.number} 实地核查：负责人 ${lead}，意见：${opinion}。`)
      return undefined
    }

    case 'confirm': {
      let judgment: Judgment
      if (action.judgment) {
        const checked = completeJudgment(action.judgment)
        if ('missing' in checked) return refuse('invalid_input', `判定结果不完整，还缺：${numbered(checked.missing)}。`)
        judgment = checked.judgment
      } else {
        const checked = p.proposal ? completeJudgment(p.proposal.judgment) : undefined
        if (!checked || 'missing' in checked) {
          return refuse('nothing_to_confirm', `图斑 ${p.number} 没有完整的核查结果可确认，请写明判定结果，或退回乡镇补充。`)
        }
        judgment = checked.judgment
      }
      p.judgment = judgment
      p.judgedOn = today
      p.judgedAt = at
      p.photosAtJudgment = p.evidence.photos
      if (action.plannedMeasure) p.plannedMeasure = action.plannedMeasure
      const newFlags = judgmentFlags(judgment, p.proposal?.farmlandMu ?? p.farmlandMu)
      for (const f of newFlags) addFlag(p, f)
      p.state = 'judged'
      ev('judged', { judgment, corrected: action.judgment !== undefined, flags: newFlags })
      if (judgment.kind !== 'illegal') {
        p.state = 'closed'
        p.closedOn = today
        ev('closed', { reason: judgment.kind })
        say(township, `图斑 ${p.number} 已判定为${describeJudgment(judgment)}，已办结。`)
        say({ kind: 'actor' }, `已确认图斑 ${p.number}：${describeJudgment(judgment)}，已办结。`)
        return undefined
      }
      p.state = 'rectifying'
      const deadlines = deadlinesFor(p, policy)
      ev('rectification_started', { due: dueMap(deadlines) })
      const planned = p.plannedMeasure ? `集体会审确定的整改方式：${PLANNED_LABELS[p.plannedMeasure]}。` : '整改方式未确定（以较长期限计）。'
      // the same lines as the card's 期限 (deadlineLines): every open step, the 报告 one too
      say(
        township,
        `图斑 ${p.number} 已判定为${describeJudgment(judgment)}。${planned}期限：${deadlineLines(p, policy, today).join('；')}。` +
          '整改后回复：已拆除复耕（附判定后拍摄的现场照片）/已补办手续 批准文号。',
      )
      const c = classifyPatch({ ...issueFacts(p), judgment: 'illegal', violationType: judgment.violationType }, policy)
      const extra: string[] = []
      if (newFlags.length) extra.push(`已单独标识：${newFlags.map((f) => FLAG_LABELS[f] ?? f).join('、')}`)
      if (c.departments.length > 1) extra.push(`涉及部门：${c.departments.join('、')}`)
      if (!p.plannedMeasure) extra.push(`整改措施未确定，确认时可写：确认 ${p.number} 拟拆除复耕（或 拟补办）`)
      say({ kind: 'actor' }, `已确认图斑 ${p.number}：${describeJudgment(judgment)}，进入整改。${extra.join('；')}`)
      return undefined
    }

    case 'sendBack': {
      const reason = action.reason?.trim() ?? ''
      if (!reason) return refuse('reason_required', `退回需要写明理由，例如：退回 ${p.number} 照片不在图斑范围内，请补拍。`)
      p.state = 'dispatched'
      const previous = p.proposal
      p.proposal = undefined
      ev('sent_back', { reason, proposal: previous?.judgment })
      say(township, `图斑 ${p.number} 核查结果被退回：${reason}。请修改后重新上报。`)
      say({ kind: 'actor' }, `已退回图斑 ${p.number}。`)
      return undefined
    }

    case 'reportRectification': {
      const docNo = action.docNo?.trim() || undefined
      const caseNo = action.caseNo?.trim() || undefined
      const areas = rectificationAreaRefusal(p, action.measure, action.areaMu, action.farmlandMu)
      if (areas) return refuse('invalid_input', areas)
      const missing = missingForRectification(p, action.measure, docNo, caseNo, policy)
      p.rectification = { measure: action.measure, reportedOn: today, missing }
      if (docNo) p.rectification.docNo = docNo
      if (caseNo) p.rectification.caseNo = caseNo
      if (action.areaMu !== undefined) p.rectification.areaMu = action.areaMu
      if (action.farmlandMu !== undefined) p.rectification.farmlandMu = action.farmlandMu
      if (missing.length > 0) {
        ev('rectification_recorded', { measure: action.measure, docNo, caseNo, missing, areaMu: action.areaMu, farmlandMu: action.farmlandMu })
        say({ kind: 'actor' }, `已记录图斑 ${p.number} 整改情况：${MEASURE_LABELS[action.measure]}${partText(p)}。还缺：${numbered(missing)}。补齐后自动提交验收。`)
        // the county's own part (001_8c1f6dae78f37652.txt:35): the office hears that it has a field check to make
        const check = missing.find((m) => m.startsWith('县卫片办的实地核查记录'))
        if (check) say({ kind: 'office' }, `图斑 ${p.number} 上报拆除复耕，还缺${check}。`)
        return undefined
      }
      submitRectification(draft, policy, today, ev, say)
      return undefined
    }

    case 'accept': {
      const r = p.rectification
      // 001_8c1f6dae78f37652.txt:41 a larger 拆除复耕 is verified by the city; the county accepts after it
      if (needsCityVerification(r, p.flags) && r?.cityVerification?.result !== 'passed') {
        return refuse(
          'city_verification_pending',
          `图斑 ${p.number} 的拆除复耕须向市卫片办提交申请核验，尚未登记市级核验结果，暂不能验收。` +
            `收到市级核验结果后发送：市级核验 ${p.number} 通过 文号（未通过的：市级核验 ${p.number} 不通过 文号）。`,
        )
      }
      if (r) r.acceptedOn = today
      if (r && (r.measure === 'demolished_restored' || r.measure === 'permits_completed')) {
        const covered = recordAreas(p, r)
        const after = addRemedy(p, r)
        // a partial rectification: the accepted part is deducted, the rest stays in 整改中 (issue 12 point 5)
        if (!leavesNothing(p, after)) {
          p.remedied = after
          const left = remainingAreas(p)
          p.state = 'rectifying'
          p.rectification = undefined
          p.rectifiedOn = undefined
          ev('accepted', { partial: true, rectification: r, areaMu: covered.areaMu, farmlandMu: covered.farmlandMu, remaining: left })
          const rest = `剩余未整改${fmtMu(left.areaMu)}（其中耕地${fmtMu(left.farmlandMu)}）`
          say(township, `图斑 ${p.number} 已验收${MEASURE_LABELS[r.measure]}${fmtMu(covered.areaMu)}（耕地${fmtMu(covered.farmlandMu)}），${rest}，请继续整改后上报。`)
          say({ kind: 'actor' }, `已验收图斑 ${p.number} 部分整改：${MEASURE_LABELS[r.measure]}${fmtMu(covered.areaMu)}（耕地${fmtMu(covered.farmlandMu)}）；${rest}，图斑仍在整改中。`)
          return undefined
        }
        p.remedied = after
      }
      p.state = 'accepted'
      ev('accepted', {})
      p.state = 'closed'
      p.closedOn = today
      ev('closed', { reason: 'accepted' })
      say(township, `图斑 ${p.number} 整改已验收，已办结。`)
      say({ kind: 'actor' }, `已验收图斑 ${p.number}，已办结。`)
      return undefined
    }

    case 'recordCase': {
      const c = p.caseRecord
      const caseNo = action.caseNo?.trim() || undefined
      const docNo = action.docNo?.trim() || undefined
      if (!c) {
        if (action.stage !== '立案' || !caseNo) {
          return refuse('reason_required', `图斑 ${p.number} 尚未登记立案。请先发送：立案 ${p.number} 案件编号（如：资自然资立〔2026〕12号）。`)
        }
      } else {
        if (CASE_STAGES.indexOf(action.stage) <= CASE_STAGES.indexOf(c.stage)) {
          return refuse('invalid_input', `图斑 ${p.number} 的案件（${c.caseNo}）已到「${c.stage}」环节，不能再登记「${action.stage}」。环节顺序：${CASE_STAGES.join('—')}。`)
        }
      }
      // policy choice: a 处罚 is recorded with its 处罚决定书 number, the document the dossier keeps (001_8c1f6dae78f37652.txt:45)
      if (action.stage === '处罚' && !docNo) {
        return refuse('reason_required', `登记「处罚」需要写明处罚决定书文号，例如：案件 ${p.number} 处罚 资自然资罚〔2026〕12号。`)
      }
      const step = { stage: action.stage, on: today, by: actor.personId, ...(docNo ? { docNo } : {}) }
      const record = c ? { ...c, stage: action.stage, stages: [...c.stages, step] } : { caseNo: caseNo!, stage: action.stage, stages: [step] }
      p.caseRecord = record
      ev('case_stage', { stage: action.stage, caseNo: record.caseNo, docNo })
      const still = p.state === 'rectifying' ? '立案不等于整改到位，图斑仍在整改中，须拆除复耕或补办手续并经验收。' : ''
      if (action.stage === '立案') {
        say(township, `图斑 ${p.number} 已由县自然资源局立案查处（${record.caseNo}）。${still}`)
      }
      say({ kind: 'actor' }, `已登记图斑 ${p.number} 案件（${record.caseNo}）：${action.stage}${docNo ? `（${docNo}）` : ''}。${still}`)
      return undefined
    }

    case 'recordCityVerification': {
      const r = p.rectification
      if (!needsCityVerification(r, p.flags)) {
        return refuse('invalid_input', `图斑 ${p.number} 的整改不需要市级核验，可直接验收：验收 ${p.number}。`)
      }
      const docNo = action.docNo?.trim() ?? ''
      if (!docNo) {
        return refuse('reason_required', `登记市级核验结果需要写明市卫片办的文号，例如：市级核验 ${p.number} 通过 桂林土卫片办〔2024〕5号。`)
      }
      const record = { result: action.result, docNo, on: today, by: actor.personId }
      if (action.result === 'passed') {
        r!.cityVerification = record
        ev('city_verified', { result: 'passed', docNo })
        say(township, `图斑 ${p.number} 拆除复耕已通过市级核验（${docNo}），等待县卫片办验收。`)
        say({ kind: 'actor' }, `已登记图斑 ${p.number} 市级核验通过（${docNo}）。请验收：验收 ${p.number}。`)
        return undefined
      }
      // not passed: the 拆除复耕 is not 到位 (001_8c1f6dae78f37652.txt:73); back to rectifying, as a rejection
      p.state = 'rectifying'
      p.rectification = undefined
      p.rectifiedOn = undefined
      ev('city_verification_failed', { result: 'failed', docNo, rectification: { ...r, cityVerification: record } })
      say(township, `图斑 ${p.number} 拆除复耕未通过市级核验（${docNo}），整改未到位。请按市级核验意见继续整改，整改到位后重新上报：已拆除复耕（附判定后拍摄的现场照片）。`)
      say({ kind: 'actor' }, `已登记图斑 ${p.number} 市级核验不通过（${docNo}），图斑退回整改中。`)
      return undefined
    }

    case 'rejectRectification': {
      const reason = action.reason?.trim() ?? ''
      if (!reason) return refuse('reason_required', `退回整改需要写明理由，例如：驳回 ${p.number} 仍有建筑未拆除。`)
      p.state = 'rectifying'
      const previous = p.rectification
      p.rectification = undefined
      p.rectifiedOn = undefined
      ev('rectification_rejected', { reason, rectification: previous })
      say(township, `图斑 ${p.number} 整改未通过验收：${reason}。请继续整改后重新上报。`)
      say({ kind: 'actor' }, `已退回图斑 ${p.number} 的整改结果。`)
      return undefined
    }
  }
}

const fmtMu = (n: number): string => `${Math.round(n * 100) / 100}亩`

/** ：拆除面积2亩、拆除耕地面积1.5亩 — the part a report covers, when it says. */
function partText(p: PatchSnapshot): string {
  const r = p.rectification
  if (!r || (r.areaMu === undefined && r.farmlandMu === undefined)) return ''
  const words = r.measure === 'permits_completed' ? ['补办面积', '补办耕地面积'] : ['拆除面积', '拆除耕地面积']
  const parts = [r.areaMu !== undefined ? `${words[0]}${fmtMu(r.areaMu)}` : '', r.farmlandMu !== undefined ? `${words[1]}${fmtMu(r.farmlandMu)}` : ''].filter(Boolean)
  return `（${parts.join('、')}）`
}

/** A pending report or rectification may be complete now that a piece arrived; true when one was pending. */
function recheckPending(draft: Draft, policy: Policy, today: string, ev: Ev, say: Say): boolean {
  const p = draft.patch
  if (p.state === 'dispatched' && p.proposal && p.proposal.missing.length > 0) {
    const missing = missingForReport(p, p.proposal.judgment, policy)
    p.proposal.missing = missing
    if (missing.length === 0) submitReport(draft, ev, say)
    else say({ kind: 'actor' }, `已收到图斑 ${p.number} 的材料。还缺：${numbered(missing)}。`)
    return true
  }
  if (p.state === 'rectifying' && p.rectification && p.rectification.missing.length > 0) {
    const r = p.rectification
    r.missing = missingForRectification(p, r.measure, r.docNo, r.caseNo, policy)
    if (r.missing.length === 0) submitRectification(draft, policy, today, ev, say)
    else say({ kind: 'actor' }, `已收到图斑 ${p.number} 的材料。还缺：${numbered(r.missing)}。`)
    return true
  }
  return false
}

const PLANNED_LABELS = { demolished_restored: '拟拆除复耕', permits_completed: '拟补办用地手续' } as const

const EVIDENCE_LABELS = { photo: '照片', location: '位置', document: '材料', field_check: '实地核查记录' } as const

function addFlag(p: PatchSnapshot, flag: string | undefined): void {
  if (flag && !p.flags.includes(flag)) p.flags.push(flag)
}

function submitReport(draft: Draft, ev: Ev, say: Say): void {
  const p = draft.patch
  const proposal = p.proposal!
  p.state = 'reported'
  ev('reported', { proposal: proposal.judgment, farmlandMu: proposal.farmlandMu })
  const what = describeJudgment(proposal.judgment)
  say({ kind: 'actor' }, `已收到图斑 ${p.number} 核查结果：${what}，已提交县卫片办审核。`)
  const key = p.flags.includes('key_patch') ? '【重点图斑】' : ''
  say({ kind: 'office' }, `${key}图斑 ${p.number} 上报：${what}。请审核：确认 ${p.number} 或 退回 ${p.number} 理由。`)
}

function submitRectification(draft: Draft, policy: Policy, today: string, ev: Ev, say: Say): void {
  const p = draft.patch
  const r = p.rectification!
  p.state = 'rectified'
  p.rectifiedOn = today
  ev('rectified', { measure: r.measure, docNo: r.docNo, caseNo: r.caseNo, areaMu: r.areaMu, farmlandMu: r.farmlandMu })
  say({ kind: 'actor' }, `已收到图斑 ${p.number} 整改结果：${MEASURE_LABELS[r.measure]}${partText(p)}，已提交县卫片办验收。`)
  let extra = ''
  if (r.measure === 'demolished_restored') {
    const c = classifyPatch({ ...issueFacts(p), judgment: 'illegal', measure: 'demolished_restored' }, policy)
    // 001_8c1f6dae78f37652.txt:41 larger 拆除复耕 go to the city for verification
    if (c.cityVerification) {
      addFlag(p, 'city_verification')
      r.cityVerificationRequired = true
      extra = `该图斑拆除复耕须向市卫片办提交申请核验，登记市级核验结果后方可验收（市级核验 ${p.number} 通过 文号）。`
    }
  }
  const doc = r.docNo ? `（${r.docNo}）` : r.caseNo ? `（${r.caseNo}）` : ''
  const ask = r.cityVerificationRequired
    ? `现场不符的可驳回：驳回 ${p.number} 理由。`
    : `请验收：验收 ${p.number} 或 驳回 ${p.number} 理由。`
  say({ kind: 'office' }, `图斑 ${p.number} 上报整改：${MEASURE_LABELS[r.measure]}${partText(p)}${doc}。${extra}${ask}`)
}
