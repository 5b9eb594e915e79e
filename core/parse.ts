// What officials actually type, turned into an intent. Tolerant of full-width characters (NFKC),
// spaces, punctuation and word order; never throws. The patch number is optional in replies: the bot
// links a reply to its patch by reply-to.
import { recordCommand, type RecordIntent } from './records-parse.js'
import type { JudgmentProposal, OtherKind, ViolationType } from './judgment.js'
import { normaliseInviteCode } from './invite.js'
import { findPatchNumbers } from './patch-number.js'

export type RectificationMeasure = 'demolished_restored' | 'permits_completed' | 'case_filed'

export type Intent =
  | { kind: 'query'; patchNo?: string }
  | { kind: 'stats'; township?: string }
  | { kind: 'overdue'; township?: string }
  | { kind: 'help' }
  /** staff: what waits for their review or acceptance */
  | { kind: 'reviewQueue' }
  /** staff: confirm the proposal; `proposal` when the judgment was written out (a correction) */
  | { kind: 'confirm'; patchNo?: string; proposal?: JudgmentProposal; plannedMeasure?: 'demolished_restored' | 'permits_completed' }
  | { kind: 'sendBack'; patchNo?: string; reason: string }
  | { kind: 'accept'; patchNo?: string }
  | { kind: 'rejectRectification'; patchNo?: string; reason: string }
  /** staff: a later stage of the case (004_cc43135be01a58c0.txt:29), with its document */
  | { kind: 'caseStage'; patchNo?: string; stage: '调查' | '告知' | '处罚' | '催告' | '移交'; docNo?: string }
  /** staff: the city's 核验 result of a 拆除复耕 (001_8c1f6dae78f37652.txt:41), with its document number */
  | { kind: 'cityVerification'; patchNo?: string; result: 'passed' | 'failed'; docNo: string }
  | {
      kind: 'report'
      patchNo?: string
      proposal: JudgmentProposal
      fieldCheck: boolean
      farmlandMu?: number
      basicFarmlandMu?: number
    }
  /** a document number on its own: what it completes depends on the patch (see documentFor) */
  | { kind: 'document'; patchNo?: string; docNo: string }
  /**
   * a field-check record without a judgment: the county's (001_8c1f6dae78f37652.txt:35) carries its
   * 核查负责人 and 核查意见 (`现场核查 <号> 负责人 <名> 意见 <…>`); a bare 现场核查 / 已到现场 has neither
   */
  | { kind: 'fieldCheck'; patchNo?: string; lead?: string; opinion?: string }
  /** `areaMu`/`farmlandMu`: 拆除面积/拆除耕地面积 or 补办面积/补办耕地面积 of a partial rectification */
  | { kind: 'rectification'; patchNo?: string; measure: RectificationMeasure; docNo?: string; caseNo?: string; areaMu?: number; farmlandMu?: number }
  /** staff: register the people @-mentioned (the mentions themselves come with the message, not the text) */
  | { kind: 'register'; role: RegisterRole; township?: string }
  | { kind: 'unregister' }
  /**
   * staff: bind this group to a township (name or code), the office (卫片办) or the leaders (领导);
   * with `robotKey`, bind a WeCom group robot (消息推送 webhook) instead of the chat written in
   */
  | { kind: 'bind'; target?: string; robotKey?: string }
  /** leader: decide the drafted monthly bulletin; `redraft` asks for a new draft */
  | { kind: 'bulletinDecision'; verb: 'approve' | 'return' | 'redraft'; reason: string }
  /** anyone: take the role of a one-time code printed by `admin invite` */
  | { kind: 'claim'; code: string }
  /** staff: what the county's set-up still lacks */
  | { kind: 'setupStatus' }
  | { kind: 'unknown'; reason: string }
  /** the county's records: 约谈/问责, 移交, findings, the named approver (core/records-parse.ts) */
  | Exclude<RecordIntent, { kind: 'unknown' }>

/** The roles staff can give in the chat; admin is given only outside it. */
export type RegisterRole = 'official' | 'staff' | 'leader'

export const REGISTER_HELP =
  '登记人员：登记 @姓名 干事 乡镇名（乡镇人员，如：登记 @张三 干事 资源镇）｜登记 @姓名 卫片办（县卫片办工作人员）｜登记 @姓名 领导｜注销 @姓名。'

const ROLE_WORDS: [RegExp, RegisterRole][] = [
  [/^(?:县卫片办|卫片办|工作人员|卫片办工作人员|执法大队|staff)/i, 'staff'],
  [/^(?:分管领导|局领导|领导|leader)/i, 'leader'],
  [/^(?:乡镇干事|干事|乡镇人员|乡镇|办事员|专干|国土员|所长|official)/i, 'official'],
]

export const HELP_TEXT =
  '可以发送：查 图斑号｜统计 乡镇｜逾期｜帮助。回复图斑消息：已核查 违法 农村乱占耕地建房 占耕地1.2亩（附照片）' +
  '｜合法 批准文号（附照片）｜设施农业用地（附照片）｜实地未变化（附照片）｜已拆除复耕（附判定后拍摄的照片）｜已补办手续 批准文号。发送「帮助」查看全部指令。'

export const CLAIM_HELP = '认领码由县卫片办管理员在服务器上运行「npm run cli -- admin invite --tenant 县代码」取得，在任意群聊或单聊中发送「认领 认领码」（如：认领 ABCD-EFGH）。'

const MAX_LEN = 2000

export const ROBOT_BIND_HELP =
  '绑定群机器人：请私聊机器人发送「绑定 乡镇名称 webhook 群机器人的key」（如：绑定 资源镇 webhook 693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa），key 也可以是整个 Webhook 地址。'

/**
 * The key of a WeCom group robot, from the key itself or its whole webhook address
 * (…/cgi-bin/webhook/send?key=…), as staff copy it from the robot's page; undefined if neither.
 */
export function robotKeyOf(text: string): string | undefined {
  const trimmed = text.trim()
  const inUrl = /[?&]key=([A-Za-z0-9-]{16,64})(?:&|$)/.exec(trimmed)
  if (inUrl) return inUrl[1]
  return /^[A-Za-z0-9-]{16,64}$/.test(trimmed) ? trimmed : undefined
}

/** 桂政土批〔2022〕15号, 资自然资罚[2024]12号, 武隆府办(2021)37号 … (after NFKC) */
const DOC_NO = /[\u4e00-\u9fa5A-Za-z]{1,16}\s*[〔\[(【][12]\d{3}[〕\])】]\s*第?\s*\d{1,6}\s*号/g

const VIOLATION_WORDS: [RegExp, ViolationType][] = [
  [/农村乱占耕地建房|乱占耕地建房|乱占耕地建住宅|农村(?:村民)?(?:违法|非法)?(?:占地)?建(?:房|住宅)|非法占地(?:修)?建住宅/, '农村乱占耕地建房'],
  [/非农化/, '非农化'],
  [/非粮化/, '非粮化'],
  [/存量建设(?:用地)?(?:违法)?/, '存量建设用地违法'],
  [/新增建设(?:用地)?(?:违法)?|新增违法(?:用地|建设)/, '新增建设用地违法'],
  // only the words of 001_8c1f6dae78f37652.txt:77 (or the 违法类型 value): a bare 破坏耕地 would drop the
  // patch out of the ratio, so it is asked about instead (the violation type is then missing)
  [/农业项目破坏耕地/, '农业项目破坏耕地'],
  [/(?:违法|非法|无证|越界)(?:开采|采矿)|私挖乱采/, '违法采矿'],
]

const OTHER_WORDS: [RegExp, OtherKind][] = [
  [/设施农(?:业)?用地/, '设施农业用地'],
  [/临时用地/, '临时用地'],
  [/农村道路/, '农村道路'],
  [/光伏/, '不改变原用地性质的光伏用地'],
  [/伪变化/, '伪变化'],
  [/实地未变化|未变化|无变化|没有变化|未发生变化/, '实地未变化'],
]

/** The measures as words, longest first, so that a negation takes the whole phrase. */
const MEASURE_WORDS = '(?:拆除复耕|拆除复垦|拆除复绿|拆除|复耕|复垦|复绿|补办(?:完善)?(?:用地)?(?:审批)?手续|补办|完善(?:用地)?手续|办理(?:用地)?手续|立案(?:查处)?)(?:到位|完毕|工作)?'
/**
 * A measure not done: negated (尚未拆除复耕, 未立案), planned (计划拆除复耕, 拟补办), under way
 * (正在拆除) or unfinished (拆除复耕尚未完成). Not a report: 001_8c1f6dae78f37652.txt:73 deducts only
 * what is "已……到位". `无需补办` is not a negation of a measure.
 */
const NOT_DONE = [
  new RegExp(`(?:尚未|暂未|还未|仍未|还没有?|没有|未能|未|没|不能|无法|拟|计划|准备|打算|将要|即将|正在|尚待|待|(?<![无不])需要?)(?:进行|开展|实施|组织|完成|办理|申请|启动)?${MEASURE_WORDS}`, 'g'),
  new RegExp(`${MEASURE_WORDS}(?:尚未|还未|仍未|未|没有|没)(?:完成|到位|完毕|结束|开始)`, 'g'),
]
/**
 * Words that say something was removed or greened but not that farmland was restored: 拆除 without
 * 复耕 is not 拆除复耕到位 (001_8c1f6dae78f37652.txt:73), and 复绿 is not 复耕.
 */
const VAGUE_DEMOLISH = /已拆除|拆除到位|拆除完毕|已拆|复绿|已清理|清理到位|已恢复/
/** 拆除复耕 said in full (or 复耕/复垦 on its own, which includes the demolition) */
const DEMOLISH_FULL = /拆除复耕|复耕到位|已复耕|复垦到位|已复垦|拆除复垦/
const CITY_VERIFICATION = /^(?:市级|市卫片办|市)核验(?:结果)?(通过|合格|不通过|不合格|未通过)$/

const FIELD_CHECK = /现场核查|实地核查|现场查看|实地查看|已到现场|现场勘查|实地踏勘|外业核查/
const PERMITS = /补办|完善(?:了)?(?:用地)?手续|已办理(?:用地)?手续|已取得批文/
const CASE = /立案/

/** Full-width letters, digits, hyphen, @ and the ideographic space only: keeps ，。：for display. */
function light(text: string): string {
  return text
    .slice(0, MAX_LEN)
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF0D\uFF20\u3000]/g, (ch) => ch.normalize('NFKC'))
    .replace(/^\s*(?:@\S+\s+)+/, '')
}

function normalize(text: string): string {
  return text
    .slice(0, MAX_LEN)
    .normalize('NFKC')
    .replace(/^\s*(?:@\S+\s+)+/, '') // leading @mentions of the bot
    .replace(/\s+/g, ' ')
    .trim()
}

/** Punctuation and spaces out, for keyword tests ("已核查,违法" = "已核查违法"). */
function compact(text: string): string {
  return text.replace(/[\s\p{P}\p{S}]+/gu, '')
}

function stripEdges(s: string): string {
  return s.replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
}

function area(text: string, re: RegExp): number | undefined {
  const m = re.exec(text)
  if (!m) return undefined
  const n = Number(m[1])
  return Number.isFinite(n) ? n : undefined
}

export function parseMessage(text: string): Intent {
  try {
    return parseOrThrow(typeof text === 'string' ? text : '')
  } catch {
    return { kind: 'unknown', reason: `这条消息没能识别。${HELP_TEXT}` }
  }
}

function withNo<T extends object>(intent: T, patchNo: string | undefined): T & { patchNo?: string } {
  return patchNo === undefined ? intent : { ...intent, patchNo }
}

function parseOrThrow(raw: string): Intent {
  const t = normalize(raw)
  if (t === '') return { kind: 'unknown', reason: `消息是空的。${HELP_TEXT}` }

  // 绑定 资源镇 webhook <key>: before the patch numbers, which a robot key could pass for
  const robot = /^绑定\s+(\S+)\s+(?:webhook|群机器人|消息推送)(?:\s+(\S+))?$/i.exec(t)
  if (robot) {
    const robotKey = robotKeyOf(robot[2] ?? '')
    return robotKey ? { kind: 'bind', target: robot[1]!, robotKey } : { kind: 'unknown', reason: `没有读到群机器人的 key。${ROBOT_BIND_HELP}` }
  }
  // before the patch numbers: a code can look like one
  const claim = /^认领(?:码)?\s*[:：]?\s*(.*)$/s.exec(t)
  if (claim) {
    const code = normaliseInviteCode(claim[1] ?? '')
    if (code) return { kind: 'claim', code }
    return { kind: 'unknown', reason: claim[1]?.trim() ? `「${claim[1].trim()}」不是认领码（应为 8 位字母数字，如 ABCD-EFGH）。${CLAIM_HELP}` : `请在「认领」后写上认领码。${CLAIM_HELP}` }
  }
  if (/^(?:设置情况|设置状态|配置情况|系统设置情况)$/.test(compact(t))) return { kind: 'setupStatus' }

  const numbers = findPatchNumbers(t)
  const patchNo = numbers[0]
  const docNos = [...t.matchAll(DOC_NO)].map((m) => m[0].replace(/\s+/g, ''))
  // the text with patch numbers and document numbers taken out, for keyword tests
  let rest = t
  for (const d of [...t.matchAll(DOC_NO)].map((m) => m[0])) rest = rest.replace(d, ' ')
  for (const n of numbers) rest = rest.replace(new RegExp(n, 'i'), ' ')
  rest = rest.replace(/\s+/g, ' ').trim()
  const c = compact(rest)

  if (numbers.length > 1 && !/^(?:查|查询|查看)/.test(c)) {
    return { kind: 'unknown', reason: `一条消息只能办理一个图斑（收到 ${numbers.join('、')}），请分开发送。` }
  }

  // plain commands
  if (/^(?:帮助|help|菜单|怎么用|使用说明|说明)$/i.test(c) || /^[?？]+$/.test(t)) return { kind: 'help' }
  // a number alone asks about the patch; a number and a 文号 is the 文号 for it (below)
  if (c === '' && patchNo && docNos.length === 0) return { kind: 'query', patchNo }
  if (/^(?:查询|查看|查)(?:图斑|一下)?(?:进度|情况|状态)?$/.test(c)) return withNo({ kind: 'query' as const }, patchNo)
  if (patchNo && /^(?:进度|情况|状态|怎么样了?|到哪了)$/.test(c)) return { kind: 'query', patchNo }
  const stats = /^统计(?:数据)?(.*)$/.exec(c)
  if (stats) {
    const township = stripEdges(stats[1] ?? '')
    return township ? { kind: 'stats', township } : { kind: 'stats' }
  }
  if (/^(?:待审核?|待验收|审核队列|待办(?:事项)?)$/.test(c)) return { kind: 'reviewQueue' }
  const overdue = /^(?:逾期|超期)(?:图斑|清单|情况|事项)?(.*)$/.exec(c)
  if (overdue) {
    const township = stripEdges(overdue[1] ?? '')
    return township ? { kind: 'overdue', township } : { kind: 'overdue' }
  }

  // people (staff): 登记 @张三 干事 资源镇 / 注销 @张三; the @ names are only for the reader
  const people = peopleCommand(t)
  if (people) return people
  const record = recordCommand(t, rest, patchNo)
  if (record) return record
  const bind = /^绑定(?:\s+(.*?))?\s*$/s.exec(t)
  if (bind) return bind[1]?.trim() ? { kind: 'bind', target: bind[1].trim() } : { kind: 'bind' }
  const decision = /^(同意通报|退回通报|重拟通报)\s*(.*)$/s.exec(t)
  if (decision) {
    const verb = decision[1] === '同意通报' ? 'approve' : decision[1] === '退回通报' ? 'return' : 'redraft'
    // the reason keeps the leader's own punctuation
    return { kind: 'bulletinDecision', verb, reason: stripEdges(light(raw).replace(/^[\s\S]*?(?:同意通报|退回通报|重拟通报)/, '').trim()) }
  }

  // staff: 案件 <号> 调查|告知|处罚 <文号>|催告|移交 (004_cc43135be01a58c0.txt:29)
  const caseStage = /^案件(?:进展)?(调查|告知|处罚|催告|移交)/.exec(c)
  if (caseStage) {
    const stage = caseStage[1] as '调查' | '告知' | '处罚' | '催告' | '移交'
    const docNo = docNos[0]
    return withNo({ kind: 'caseStage' as const, stage, ...(docNo ? { docNo } : {}) }, patchNo)
  }

  // staff: 市级核验 <号> 通过|不通过 <文号> (001_8c1f6dae78f37652.txt:41)
  if (/^(?:市级|市卫片办|市)核验/.test(c)) {
    const m = CITY_VERIFICATION.exec(c.replace(/(?:文号|批复|意见)$/, ''))
    const example = '市级核验 图斑号 通过 桂林土卫片办〔2024〕5号（未通过的写：不通过 文号）'
    if (!m) return { kind: 'unknown', reason: `请写明市级核验结果是通过还是不通过，格式：${example}。` }
    const docNo = docNos[0] ?? caseNumber(rest)
    if (!docNo) return { kind: 'unknown', reason: `请写明市卫片办核验结果的文号，格式：${example}。` }
    const result = m[1] === '通过' || m[1] === '合格' ? 'passed' : 'failed'
    return withNo({ kind: 'cityVerification' as const, result, docNo } as const, patchNo)
  }

  // review commands (staff); the reason keeps the sender's Chinese punctuation
  const reasonAfter = (word: RegExp): string => {
    let r = light(raw)
    for (const n of numbers) r = r.replace(new RegExp(n, 'i'), ' ')
    return stripEdges(r.replace(/\s+/g, ' ').trim().replace(word, ''))
  }

  // staff: 现场核查 <号> 负责人 <名> 意见 <…> (001_8c1f6dae78f37652.txt:35 核查意见, 核查负责人)
  if (/^(?:现场核查|实地核查)/.test(c) && /负责人/.test(c)) {
    const words = reasonAfter(/^[\s\p{P}]*(?:现场核查|实地核查)(?:记录)?/u)
    const m = /^(?:核查)?负责人\s*[:：]?\s*(.+?)\s*[,，;；]?\s*(?:核查)?意见\s*[:：]?\s*(.+)$/su.exec(words)
    const lead = m ? stripEdges(m[1]!) : ''
    const opinion = m ? stripEdges(m[2]!) : ''
    if (!lead || !opinion) return { kind: 'unknown', reason: `请写明核查负责人和核查意见，格式：${FIELD_CHECK_FORMAT}。` }
    return withNo({ kind: 'fieldCheck' as const, lead, opinion }, patchNo)
  }
  if (/^(?:驳回整改|整改不合格|验收不通过|不予验收|驳回)/.test(c)) {
    const reason = reasonAfter(/^[\s\p{P}]*(?:驳回整改|整改不合格|验收不通过|不予验收|驳回)/u)
    if (!reason) return { kind: 'unknown', reason: '退回整改需要写明理由，例如：驳回 图斑号 仍有建筑未拆除。' }
    return withNo({ kind: 'rejectRectification' as const, reason }, patchNo)
  }
  if (/^退回/.test(c)) {
    const reason = reasonAfter(/^[\s\p{P}]*退回/u)
    if (!reason) return { kind: 'unknown', reason: '退回需要写明理由，例如：退回 图斑号 照片不在图斑范围内，请补拍。' }
    return withNo({ kind: 'sendBack' as const, reason }, patchNo)
  }
  if (/^验收(?:通过|合格)?$/.test(c)) return withNo({ kind: 'accept' as const }, patchNo)
  // "确认" with a judgment after it is a staff correction; the bot may treat it as a report when an
  // official sends it (rights come from the role, not from the words)
  if (/^(?:确认|同意)/.test(c)) {
    // 集体会审 chooses the measure (001_8c1f6dae78f37652.txt:37, :43): 拟拆除复耕 / 拟补办
    const plan = /拟(?:进行|采取)?(拆除复耕|拆除|复耕|补办(?:用地)?(?:手续)?|完善(?:用地)?手续)/.exec(c)
    const plannedMeasure = plan ? (/补办|完善/.test(plan[1]!) ? 'permits_completed' as const : 'demolished_restored' as const) : undefined
    const afterVerb = c.replace(/^(?:确认|同意)(?:判定)?/, '')
    const judgedText = plan ? afterVerb.replace(plan[0], '') : afterVerb
    const judged = judgment(judgedText, docNos)
    if (judged && 'ambiguous' in judged) return { kind: 'unknown', reason: judged.ambiguous }
    return withNo({ kind: 'confirm' as const, ...(judged ? { proposal: judged.proposal } : {}), ...(plannedMeasure ? { plannedMeasure } : {}) }, patchNo)
  }

  // a verification report
  const fieldCheck = FIELD_CHECK.test(c)
  const judged = judgment(c, docNos)
  if (judged && 'ambiguous' in judged) return { kind: 'unknown', reason: judged.ambiguous }
  if (judged) {
    const farmlandMu = area(t, /(?:占用?|涉及)?(?<!基本农田|永久)耕地(?:面积)?\s*(\d+(?:\.\d+)?)\s*亩/)
    const basicFarmlandMu = area(t, /(?:永久)?基本农田(?:面积)?\s*(\d+(?:\.\d+)?)\s*亩/)
    const report: Intent = { kind: 'report', proposal: judged.proposal, fieldCheck }
    if (farmlandMu !== undefined) report.farmlandMu = farmlandMu
    if (basicFarmlandMu !== undefined) report.basicFarmlandMu = basicFarmlandMu
    return withNo(report, patchNo)
  }

  // a rectification report: only what is done, and 拆除复耕 only when restoration is said
  // the not-done phrases are taken out; what remains may still report another measure (已立案，未拆除)
  const notDone = NOT_DONE.flatMap((re) => [...c.matchAll(re)].map((m) => m[0]))
  const done = NOT_DONE.reduce((text, re) => text.replace(re, ' '), c)
  const measureSaid = DEMOLISH_FULL.test(done) || VAGUE_DEMOLISH.test(done) || PERMITS.test(done) || CASE.test(done)
  if (notDone.length > 0 && !measureSaid) return { kind: 'unknown', reason: notDoneReason(notDone[0]!) }
  const parts = partAreas(t)
  if ('mixed' in parts) return { kind: 'unknown', reason: parts.mixed }
  if (DEMOLISH_FULL.test(done)) {
    if (parts.measure === 'permits_completed') return { kind: 'unknown', reason: MIXED_AREAS }
    return withNo({ kind: 'rectification' as const, measure: 'demolished_restored' as const, ...parts.areas }, patchNo)
  }
  if (VAGUE_DEMOLISH.test(done)) {
    return {
      kind: 'unknown',
      reason:
        '复耕到位了吗？只拆除（或复绿）还不算拆除复耕到位，未作为整改结果记录。' +
        '复耕到位后请回复：已拆除复耕，并附判定后在现场拍摄的照片。',
    }
  }
  if (PERMITS.test(done)) {
    if (parts.measure === 'demolished_restored') return { kind: 'unknown', reason: MIXED_AREAS }
    const r: Intent = { kind: 'rectification', measure: 'permits_completed', ...parts.areas }
    if (docNos[0]) r.docNo = docNos[0]
    return withNo(r, patchNo)
  }
  if (CASE.test(done)) {
    const r: Intent = { kind: 'rectification', measure: 'case_filed' }
    const caseNo = docNos[0] ?? caseNumber(rest)
    if (caseNo) r.caseNo = caseNo
    return withNo(r, patchNo)
  }
  if (fieldCheck) return withNo({ kind: 'fieldCheck' as const }, patchNo)
  if (docNos.length === 1 && c === '') return withNo({ kind: 'document' as const, docNo: docNos[0]! }, patchNo)
  if (/已核查|核查完毕|核查完成/.test(c)) {
    return { kind: 'unknown', reason: '请写明判定结果：违法（及违法类型）、合法（及批准文号）或其他用地类型，例如：已核查 违法 农村乱占耕地建房。' }
  }
  return { kind: 'unknown', reason: `这条消息没能识别。${HELP_TEXT}` }
}

export const FIELD_CHECK_FORMAT = '现场核查 图斑号 负责人 姓名 意见 核查意见（如：现场核查 JC2026450329001 负责人 张三 意见 已拆除，复耕到位）'

const MIXED_AREAS =
  '一条消息只能上报一种整改方式：拆除复耕的写「已拆除复耕 拆除面积2亩 拆除耕地面积1.5亩」，补办手续的写「已补办手续 批准文号 补办面积3亩 补办耕地面积2亩」，请分开发送。'

const AREA_NUMBER = '\\s*[:：]?\\s*(\\d+(?:\\.\\d+)?)\\s*亩'

/** 拆除面积/拆除耕地面积 or 补办面积/补办耕地面积 (a partial rectification), and which measure they belong to. */
function partAreas(t: string): { measure?: 'demolished_restored' | 'permits_completed'; areas: { areaMu?: number; farmlandMu?: number } } | { mixed: string } {
  const demolishArea = area(t, new RegExp(`(?:拆除|复耕)面积${AREA_NUMBER}`))
  const demolishFarmland = area(t, new RegExp(`(?:拆除|复耕)耕地(?:面积)?${AREA_NUMBER}`))
  const permitArea = area(t, new RegExp(`补办(?:手续)?面积${AREA_NUMBER}`))
  const permitFarmland = area(t, new RegExp(`补办(?:手续)?耕地(?:面积)?${AREA_NUMBER}`))
  const demolish = demolishArea !== undefined || demolishFarmland !== undefined
  const permit = permitArea !== undefined || permitFarmland !== undefined
  if (demolish && permit) return { mixed: MIXED_AREAS }
  const pick = (a: number | undefined, f: number | undefined) => ({ ...(a !== undefined ? { areaMu: a } : {}), ...(f !== undefined ? { farmlandMu: f } : {}) })
  if (demolish) return { measure: 'demolished_restored', areas: pick(demolishArea, demolishFarmland) }
  if (permit) return { measure: 'permits_completed', areas: pick(permitArea, permitFarmland) }
  return { areas: {} }
}

/** The reply to a measure not (yet) done: what was read, that nothing was recorded, and what to send when it is. */
function notDoneReason(words: string): string {
  const what = /立案/.test(words)
    ? '立案由县自然资源局登记，不是整改结果；整改到位后请回复：已拆除复耕（附照片）或 已补办手续 批准文号'
    : /补办|手续/.test(words)
      ? '取得批准文件后请回复：已补办手续 批准文号（如：已补办手续 桂政土批〔2024〕3号）'
      : '复耕到位后请回复：已拆除复耕，并附判定后在现场拍摄的照片'
  return `「${words}」说的是尚未完成或计划中的整改，未作为整改结果记录。${what}。`
}

/** `登记 …` / `注销 …` (after the leading @ of the bot is gone); undefined when it is neither. */
function peopleCommand(t: string): Intent | undefined {
  const m = /^(登记|注销)(?=$|[\s@:：,，])(.*)$/s.exec(t)
  if (!m) return undefined
  if (m[1] === '注销') return { kind: 'unregister' }
  // the words after the mentions: `@张三` in the console, nothing left of it on Feishu
  const words = stripEdges(m[2]!.replace(/@\S+/g, ' ').replace(/[,，:：、]/g, ' ').replace(/\s+/g, ' ').trim())
  let role: RegisterRole | undefined
  let rest = words
  for (const [re, r] of ROLE_WORDS) {
    const found = new RegExp(re.source.replace(/^\^/, '(?:^|\\s)'), re.flags).exec(rest)
    if (found) {
      role = r
      rest = (rest.slice(0, found.index) + ' ' + rest.slice(found.index + found[0].length)).trim()
      break
    }
  }
  const township = stripEdges(rest.replace(/\s+/g, ''))
  // a township on its own names an official of it
  if (!role && township) role = 'official'
  if (!role) return { kind: 'unknown', reason: `请写明角色。${REGISTER_HELP}` }
  return role === 'official' && township ? { kind: 'register', role, township } : { kind: 'register', role }
}

/** 立案 with a number that is not in 〔year〕 form: 案号 xxx / 编号 xxx. */
function caseNumber(rest: string): string | undefined {
  const m = /(?:案号|案件编号|编号|文号)\s*[:：]?\s*([\p{L}\p{N}〔〕\[\]()\-]{3,40})/u.exec(rest)
  return m ? m[1] : undefined
}

type Judged = { proposal: JudgmentProposal } | { ambiguous: string }

function judgment(c: string, docNos: string[]): Judged | undefined {
  const notLegal = /不合法|不符合/.test(c)
  const legal = !notLegal && /合法/.test(c)
  const violation = VIOLATION_WORDS.find(([re]) => re.test(c))?.[1]
  const illegal = notLegal || /违法|非法|违规/.test(c) || violation !== undefined
  const other = OTHER_WORDS.find(([re]) => re.test(c))?.[1]

  if (legal && illegal) {
    return { ambiguous: '同一条消息里既有“合法”又有“违法”，请只写一个判定结果。' }
  }
  if (illegal) {
    const p: JudgmentProposal = { kind: 'illegal' }
    if (violation) p.violationType = violation
    return { proposal: p }
  }
  if (legal) {
    const p: JudgmentProposal = { kind: 'legal' }
    if (docNos[0]) p.approvalNo = docNos[0]
    return { proposal: p }
  }
  if (other) return { proposal: { kind: 'other', otherKind: other } }
  if (/其他用地|其它用地/.test(c)) return { proposal: { kind: 'other' } }
  return undefined
}
