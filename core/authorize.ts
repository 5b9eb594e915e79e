// Who may send which command, and where: one table for every intent of core/parse.ts, for photos and
// location shares, and for the document buttons. Rights come from the sender's people row (role and
// township), never from the message (DESIGN "Security"). Given a target, the patch, document or
// person is checked too. A lifecycle action meets two more checks on its patch: the chat's township
// (mayActOnPatchIn) and the role and township of transition (lifecycle/rights.ts).
import type { ChatKind, ChatScope, Sender } from './access.js'
import type { DocumentApproval, DocumentKind } from './document-decision.js'
import { rolesFor } from './lifecycle/rights.js'
import type { Role } from './lifecycle/types.js'
import { CLAIM_HELP, type Intent } from './parse.js'
import { mayActOnPatchIn, mayReadPatch } from './patch-audience.js'

export type DocumentVerb = 'approve' | 'return' | 'discard'
export type DocumentCommand = 'approveDocument' | 'returnDocument' | 'discardDocument'

export type Command =
  | Exclude<Intent['kind'], 'bulletinDecision'>
  /** a photo or a file; a location share */
  | 'media'
  | 'location'
  /** the buttons on bulletin and letter cards, and 同意通报 / 退回通报 */
  | DocumentCommand
  /** 重拟通报 */
  | 'redraftBulletin'

export type AuthTarget =
  | { kind: 'patch'; number: string; townshipId: number | null; military: boolean }
  | { kind: 'document'; documentKind: DocumentKind; approval: DocumentApproval }
  /** the person a 登记/注销 names: `role` undefined when they have no row; `elsewhere`: another county's */
  | { kind: 'person'; name: string; role: Role | undefined; self: boolean; elsewhere: boolean }

export type AuthorizationCode =
  | 'unregistered'
  | 'forbidden'
  | 'wrong_chat'
  | 'wrong_township'
  | 'military_land'
  | 'not_registered'
  | 'elsewhere'
  | 'self'
  | 'admin_only'
  | 'read_only_level'

export type Authorization = { ok: true } | { ok: false; code: AuthorizationCode; reason: string }

export const DOCUMENT_VERB: Record<DocumentCommand, DocumentVerb> = {
  approveDocument: 'approve',
  returnDocument: 'return',
  discardDocument: 'discard',
}

interface Rule {
  /** roles that may send it; absent: anyone, registered or not */
  roles?: readonly Role[]
  /** chats it is not for */
  notIn?: readonly ChatKind[]
  /** the refusal for a sender without a people row; `forbidden` when absent */
  unregistered?: string | ((chat: ChatScope) => string)
  forbidden?: string
}

/** 县卫片办 */
const COUNTY: readonly Role[] = ['staff', 'admin']
const REGISTERED: readonly Role[] = ['official', 'staff', 'admin', 'leader']

const toAct = (chat: ChatScope) =>
  `您尚未登记为本系统用户，不能办理图斑。请联系县卫片办工作人员在群内发送「登记 @您的名字 干事 ${chat.townshipName ?? '乡镇名'}」为您登记。`
// 001_8c1f6dae78f37652.txt:33 "县级判定上报": the county office confirms, sends back and accepts
const REVIEW = '只有县卫片办工作人员可以确认、退回或验收图斑。'
const DOCUMENTS = '您尚未登记为本系统用户，不能审批文件。'
const PEOPLE = (verb: string): Rule => ({
  roles: COUNTY,
  unregistered: `您尚未登记为本系统用户，不能${verb}人员。请联系县卫片办。`,
  forbidden: `只有县卫片办工作人员可以${verb}人员。`,
})
const RECORD = (what: string): Rule => ({
  roles: COUNTY,
  notIn: ['township'],
  unregistered: `您尚未登记为县卫片办工作人员，不能登记${what}。`,
  forbidden: `${what}由县卫片办工作人员在卫片办群或私聊中登记。`,
})
const review = (type: 'confirm' | 'sendBack' | 'accept' | 'rejectRectification' | 'recordCityVerification'): Rule => ({ roles: rolesFor(type), unregistered: toAct, forbidden: REVIEW })

const RULES: Record<Command, Rule> = {
  help: {},
  unknown: {},
  query: {}, // what may be read is decided on the patch (mayReadPatch)
  stats: {}, // and on the township (readScope)
  overdue: {},
  // the county's queue (other townships' numbers, military land) is the office's (001_8c1f6dae78f37652.txt:35 集体会审)
  reviewQueue: {
    roles: ['staff', 'admin', 'leader'],
    notIn: ['township'],
    forbidden: '「待审核」仅供县卫片办工作人员在卫片办群或私聊中使用。查询本乡镇图斑请发送「查 图斑号」或「统计」。',
  },
  report: { roles: REGISTERED, unregistered: toAct },
  document: { roles: REGISTERED, unregistered: toAct },
  fieldCheck: { roles: REGISTERED, unregistered: toAct },
  rectification: { roles: REGISTERED, unregistered: toAct },
  confirm: review('confirm'),
  sendBack: review('sendBack'),
  accept: review('accept'),
  rejectRectification: review('rejectRectification'),
  // 001_8c1f6dae78f37652.txt:41 "县自然资源局……依法立案查处": the case's later stages are the county's
  caseStage: { roles: COUNTY, unregistered: toAct, forbidden: '案件查处进展由县自然资源局（县卫片办）工作人员登记。' },
  // 001_8c1f6dae78f37652.txt:41 the county office records the city's 核验 result
  cityVerification: { ...review('recordCityVerification'), forbidden: '只有县卫片办工作人员可以登记市级核验结果。' },
  media: { roles: REGISTERED, unregistered: '您尚未登记为本系统用户，照片未计入举证。请联系县卫片办登记。' },
  location: { roles: REGISTERED, unregistered: '您尚未登记为本系统用户，位置未计入举证。请联系县卫片办登记。' },
  // policy choice: the office manages people and groups; admins are made outside the chat
  register: PEOPLE('登记'),
  unregister: PEOPLE('注销'),
  // an unregistered sender is told exactly how to become someone who may (the first administrator has no one to ask)
  bind: { roles: COUNTY, unregistered: `您尚未登记为县卫片办工作人员，不能绑定群聊。${CLAIM_HELP}认领后再发送「绑定 乡镇名称」（如：绑定 资源镇）。`, forbidden: '只有县卫片办工作人员可以绑定群聊。' },
  // anyone: the one-time code itself is the right (decideClaim)
  claim: {},
  setupStatus: { roles: COUNTY, unregistered: '您尚未登记为本系统用户。请联系县卫片办。', forbidden: '只有县卫片办工作人员可以查看设置情况。' },
  // who decides which document is decided on the document (mayDecideDocument)
  approveDocument: { roles: REGISTERED, unregistered: DOCUMENTS },
  returnDocument: { roles: REGISTERED, unregistered: DOCUMENTS },
  discardDocument: { roles: REGISTERED, unregistered: DOCUMENTS },
  redraftBulletin: { roles: COUNTY, unregistered: DOCUMENTS, forbidden: '只有县卫片办工作人员可以重拟通报。' },
  // --- issue 12 points 12-14: the county's records and the named approver ---
  approvers: { roles: REGISTERED, unregistered: DOCUMENTS },
  // policy choice: who approves is an administrator's setting, like the people the office manages
  setApprover: { roles: ['admin'], unregistered: DOCUMENTS, forbidden: '只有系统管理员可以设置审批人。' },
  // 001_8c1f6dae78f37652.txt:103 the township reports to the county, which keeps the record
  talkRecord: RECORD('约谈、问责'),
  talkReported: RECORD('约谈、问责'),
  // 001_8c1f6dae78f37652.txt:41 "移交相关部门处置并做好记录" is the county's; records stay out of township groups
  // (a patch may be military land, 001_8c1f6dae78f37652.txt:61)
  handover: RECORD('移交'),
  handoverReturn: RECORD('移交'),
  // 000_7f891be42bc71ff5.txt:41 found "实地验收等工作中": the county's 验收
  finding: RECORD('认定'),
}

/** Every command, in the table's order. */
export const COMMANDS = Object.keys(RULES) as readonly Command[]

/** What a city or province chat may send: its figures, binding itself, claiming, people of its own level (查 of one patch stays with the county). */
const LEVEL_COMMANDS: ReadonlySet<Command> = new Set<Command>(['help', 'unknown', 'stats', 'overdue', 'bind', 'claim', 'register', 'unregister'])

const PATCH_ACTIONS: ReadonlySet<Command> = new Set<Command>([
  'report', 'document', 'fieldCheck', 'rectification', 'confirm', 'sendBack', 'accept', 'rejectRectification', 'cityVerification', 'caseStage', 'media', 'location',
])

/** The command an intent asks for (同意通报 / 退回通报 / 重拟通报 are document commands). */
/** The command a patch card's button sends (its action name), for a check before the click is answered. */
export function buttonCommand(action: string): Command | undefined {
  const buttons: Record<string, Command> = { report: 'report', query: 'query', confirm: 'confirm', accept: 'accept', sendBack: 'sendBack', rejectRectification: 'rejectRectification' }
  return Object.hasOwn(buttons, action) ? buttons[action] : undefined
}

export function commandOf(intent: Intent): Command {
  if (intent.kind !== 'bulletinDecision') return intent.kind
  return intent.verb === 'approve' ? 'approveDocument' : intent.verb === 'return' ? 'returnDocument' : 'redraftBulletin'
}

/**
 * May `sender` (undefined: no people row) send `command` in `chat` — and, given its target, to that
 * patch, document or person? A refusal carries a stable code and the reply, in Chinese.
 */
export function authorize(command: Command, sender: Sender | undefined, chat: ChatScope, target?: AuthTarget): Authorization {
  // policy choice: a city or province reads its counties' figures (统计, 逾期, 查) and acts on none of
  // their patches — 判定 and 整改 stay the county's (001_8c1f6dae78f37652.txt:33 "县级判定上报")
  if (chat.level && !LEVEL_COMMANDS.has(command)) {
    const who = chat.level === 'city' ? '市级' : '省级'
    return { ok: false, code: 'read_only_level', reason: `${who}群只能查看所辖各县的统计和逾期情况（发送「统计」「统计 县名」「逾期」），图斑的核查、判定、整改由各县办理。` }
  }
  const rule = RULES[command]
  const forbidden = rule.forbidden ?? '您没有办理此项的权限。'
  if (rule.roles && !sender) {
    const reason = typeof rule.unregistered === 'function' ? rule.unregistered(chat) : rule.unregistered ?? forbidden
    return { ok: false, code: 'unregistered', reason }
  }
  if (rule.roles && sender && !rule.roles.includes(sender.role)) return { ok: false, code: 'forbidden', reason: forbidden }
  if (rule.notIn && chat.kind !== 'unbound' && rule.notIn.includes(chat.kind)) return { ok: false, code: 'wrong_chat', reason: forbidden }
  if (!target) return { ok: true }

  if (target.kind === 'patch' && command === 'query') return mayReadPatch(sender, chat, target)
  if (target.kind === 'patch' && PATCH_ACTIONS.has(command)) return mayActOnPatchIn(chat, target)
  if (target.kind === 'document' && command in DOCUMENT_VERB && sender) {
    return mayDecideDocument(target.documentKind, DOCUMENT_VERB[command as DocumentCommand], sender, target.approval)
  }
  if (target.kind === 'person' && (command === 'register' || command === 'unregister') && sender) return mayManage(command, sender, target)
  return { ok: true }
}

/**
 * A bulletin or letter is decided by the one person the county named for it (its approver setting),
 * not by anyone of a role: 004_cc43135be01a58c0.txt:47 "经局分管负责人同意后" names an office held by one
 * person; in 资源县 the 卫片办's director (001_8c1f6dae78f37652.txt:161, policy bulletin/letters.approvedBy).
 * No one named: nobody may decide, and the reply says how an administrator names someone.
 */
export function mayDecideDocument(kind: DocumentKind, verb: DocumentVerb, sender: Sender, approval: DocumentApproval): Authorization {
  const bulletin = kind === 'bulletin'
  const what = bulletin ? '通报' : '函件'
  const person = approval.person
  if (!person) {
    return {
      ok: false,
      code: 'forbidden',
      reason: `本县尚未指定${what}审批人（${approval.title}）。请系统管理员发送「设置审批人 ${what} @姓名」指定后再审批。`,
    }
  }
  if (sender.personId === person.id) return { ok: true }
  if (bulletin) {
    return { ok: false, code: 'forbidden', reason: `通报须经${approval.title}（${person.name}）同意后发布，您不能${verb === 'approve' ? '同意' : '退回'}。` }
  }
  return { ok: false, code: 'forbidden', reason: `函件由${approval.title}（${person.name}）批准或作废，您不能${verb === 'approve' ? '批准' : '作废'}。` }
}

/** 登记 / 注销 of one person: not oneself, not another county's, and an admin only by an admin. */
function mayManage(command: 'register' | 'unregister', sender: Sender, person: Extract<AuthTarget, { kind: 'person' }>): Authorization {
  const register = command === 'register'
  if (!register && (person.role === undefined || person.elsewhere)) {
    return { ok: false, code: 'not_registered', reason: `${person.name} 未登记，无需注销。` }
  }
  if (register && person.elsewhere) return { ok: false, code: 'elsewhere', reason: `${person.name} 已登记在其他单位，不能在本县登记。` }
  if (person.self) {
    return { ok: false, code: 'self', reason: register ? '不能更改自己的登记，请由另一位县卫片办工作人员办理。' : '不能注销自己，请由另一位县卫片办工作人员办理。' }
  }
  if (person.role === 'admin' && sender.role !== 'admin') {
    return { ok: false, code: 'admin_only', reason: `${person.name} 是系统管理员，只能由管理员${register ? '更改' : '注销'}。` }
  }
  return { ok: true }
}
