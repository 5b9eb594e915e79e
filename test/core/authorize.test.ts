import { describe, expect, test } from 'vitest'
import { COMMANDS, authorize, commandOf, helpFor, parseMessage, type ChatScope, type Command, type Sender, type AuthTarget } from '../../core/index.js'

const ZIYUAN = 1
const ZHONGFENG = 2
const official: Sender = { role: 'official', townshipId: ZIYUAN }
const staff: Sender = { role: 'staff', personId: 3 }
const admin: Sender = { role: 'admin', personId: 1 }
const leader: Sender = { role: 'leader', personId: 7 }
const townshipGroup: ChatScope = { kind: 'township', townshipId: ZIYUAN, townshipName: '资源镇' }
const office: ChatScope = { kind: 'office' }
const direct: ChatScope = { kind: 'direct' }
const leaders: ChatScope = { kind: 'leader' }
const unbound: ChatScope = { kind: 'unbound' }

const patch = (townshipId: number, military = false): AuthTarget => ({ kind: 'patch', number: 'JC1', townshipId, military })
// issue 12 point 13: named approvers — the leader (7) bulletins, a staff member (3) letters
const bulletin: AuthTarget = { kind: 'document', documentKind: 'bulletin', approval: { title: '局分管负责人', person: { id: 7, name: '王局长' } } }
const letter: AuthTarget = { kind: 'document', documentKind: 'warning_letter', approval: { title: '县卫片办主任', person: { id: 3, name: '陈工' } } }
const person = (o: Partial<Extract<AuthTarget, { kind: 'person' }>> = {}): AuthTarget => ({ kind: 'person', name: '张三', role: 'official', self: false, elsewhere: false, ...o })

type Row = [string, Command, Sender | undefined, ChatScope, AuthTarget | undefined, true | string, RegExp?]

// each row: what is sent, by whom, where, to what → ok, or the refusal's code (and its reply)
const TABLE: Row[] = [
  // anyone may ask for help, 查, 统计, 逾期 (what they see is decided on the patch and the township)
  ['help, unregistered', 'help', undefined, townshipGroup, undefined, true],
  ['查, unregistered', 'query', undefined, townshipGroup, undefined, true],
  ['统计, official', 'stats', official, direct, undefined, true],
  // 查 on the patch itself (001_8c1f6dae78f37652.txt:61 military land never in a township group)
  ['查 military land in its township group', 'query', official, townshipGroup, patch(ZIYUAN, true), 'military_land', /军用土地.*机要件/],
  // issue 12 point 15 changes this (001:61/103): the office hears counts only, never a number
  ['查 military land in the office', 'query', staff, office, patch(ZIYUAN, true), 'military_land', /编号和位置不在聊天中显示/],
  ['001:61 a report on military land in the office group', 'report', official, office, patch(ZIYUAN, true), 'military_land', /机要件/],
  ['查 another township’s patch, official', 'query', official, direct, patch(ZHONGFENG), 'wrong_township', /不属于本乡镇/],
  // 待审核: the office's queue (001_8c1f6dae78f37652.txt:35 集体会审)
  ['待审核, staff in the office', 'reviewQueue', staff, office, undefined, true],
  ['待审核, leader in a direct chat', 'reviewQueue', leader, direct, undefined, true],
  ['待审核, staff in a township group', 'reviewQueue', staff, townshipGroup, undefined, 'wrong_chat', /仅供县卫片办/],
  ['待审核, official', 'reviewQueue', official, direct, undefined, 'forbidden', /仅供县卫片办/],
  ['待审核, unregistered', 'reviewQueue', undefined, office, undefined, 'unregistered', /仅供县卫片办/],
  // reports need a people row; the example names the group's township
  ['a report, unregistered', 'report', undefined, townshipGroup, undefined, 'unregistered', /尚未登记.*「登记 @您的名字 干事 资源镇」/],
  ['a report, unregistered, direct chat', 'report', undefined, direct, undefined, 'unregistered', /「登记 @您的名字 干事 乡镇名」/],
  ['a report, official', 'report', official, townshipGroup, undefined, true],
  ['a report on another township’s patch in this group', 'report', official, townshipGroup, patch(ZHONGFENG), 'wrong_township', /不属于资源镇，本群只能办理资源镇的图斑/],
  ['已整改, official', 'rectification', official, townshipGroup, patch(ZIYUAN), true],
  ['a document number, unregistered', 'document', undefined, townshipGroup, undefined, 'unregistered', /不能办理图斑/],
  // 001_8c1f6dae78f37652.txt:33 县级判定上报: only the county office confirms, sends back, accepts
  ['确认, official', 'confirm', official, townshipGroup, undefined, 'forbidden', /只有县卫片办工作人员可以确认、退回或验收图斑/],
  ['退回, leader', 'sendBack', leader, office, undefined, 'forbidden', /只有县卫片办工作人员/],
  ['验收, admin', 'accept', admin, office, undefined, true],
  ['驳回, staff in a township group', 'rejectRectification', staff, townshipGroup, undefined, true],
  ['确认, unregistered', 'confirm', undefined, office, undefined, 'unregistered', /尚未登记/],
  // 001_8c1f6dae78f37652.txt:41 the county office records the city's 核验 result
  ['市级核验, staff in the office', 'cityVerification', staff, office, patch(ZIYUAN), true],
  ['市级核验, official', 'cityVerification', official, townshipGroup, undefined, 'forbidden', /只有县卫片办工作人员可以登记市级核验结果/],
  ['市级核验, leader', 'cityVerification', leader, direct, undefined, 'forbidden', /登记市级核验结果/],
  // photos and locations
  ['a photo, unregistered', 'media', undefined, townshipGroup, undefined, 'unregistered', /照片未计入举证/],
  ['a location, unregistered', 'location', undefined, townshipGroup, undefined, 'unregistered', /位置未计入举证/],
  ['a photo, official', 'media', official, townshipGroup, undefined, true],
  // people and groups: the office's (policy choice)
  ['登记, official', 'register', official, townshipGroup, undefined, 'forbidden', /只有县卫片办工作人员可以登记人员/],
  ['登记, unregistered', 'register', undefined, office, undefined, 'unregistered', /尚未登记.*不能登记人员/],
  ['注销, leader', 'unregister', leader, office, undefined, 'forbidden', /只有县卫片办工作人员可以注销人员/],
  ['登记 a new person', 'register', staff, office, person({ role: undefined }), true],
  ['登记 oneself', 'register', staff, office, person({ role: 'staff', self: true }), 'self', /不能更改自己的登记/],
  ['登记 another county’s person', 'register', staff, office, person({ elsewhere: true }), 'elsewhere', /张三 已登记在其他单位/],
  ['登记 an admin, by staff', 'register', staff, office, person({ role: 'admin' }), 'admin_only', /张三 是系统管理员，只能由管理员更改/],
  ['登记 an admin, by an admin', 'register', admin, office, person({ role: 'admin' }), true],
  ['注销 someone without a row', 'unregister', staff, office, person({ role: undefined }), 'not_registered', /张三 未登记，无需注销/],
  ['注销 another county’s person', 'unregister', staff, office, person({ elsewhere: true }), 'not_registered', /未登记，无需注销/],
  ['注销 oneself', 'unregister', staff, office, person({ role: 'staff', self: true }), 'self', /不能注销自己/],
  ['注销 an admin, by staff', 'unregister', staff, office, person({ role: 'admin' }), 'admin_only', /只能由管理员注销/],
  ['绑定, staff in an unknown chat', 'bind', staff, unbound, undefined, true],
  ['绑定, official', 'bind', official, townshipGroup, undefined, 'forbidden', /只有县卫片办工作人员可以绑定群聊/],
  ['绑定, unregistered: told how to claim', 'bind', undefined, unbound, undefined, 'unregistered', /不能绑定群聊.*admin invite.*认领/],
  // documents: the bulletin needs the leader (004_cc43135be01a58c0.txt:47 经局分管负责人同意后)
  ['同意通报, unregistered', 'approveDocument', undefined, leaders, undefined, 'unregistered', /不能审批文件/],
  ['同意通报, leader', 'approveDocument', leader, leaders, bulletin, true],
  ['同意通报, staff', 'approveDocument', staff, office, bulletin, 'forbidden', /通报须经局分管负责人（王局长）同意后发布，您不能同意/],
  ['退回通报, official', 'returnDocument', official, townshipGroup, bulletin, 'forbidden', /您不能退回/],
  // letters: the county office's (001_8c1f6dae78f37652.txt:51), and the leader's (policy choice)
  ['批准 a letter, staff', 'approveDocument', staff, office, letter, true],
  ['作废 a letter, the leader who is not its approver', 'discardDocument', leader, leaders, letter, 'forbidden', /函件由县卫片办主任（陈工）批准或作废，您不能作废/],
  ['批准 a letter, official', 'approveDocument', official, townshipGroup, letter, 'forbidden', /函件由县卫片办主任（陈工）批准或作废/],
  // the records and the approver setting (issue 12 points 12-14)
  ['设置审批人, admin', 'setApprover', admin, direct, undefined, true],
  ['设置审批人, staff', 'setApprover', staff, office, undefined, 'forbidden', /只有系统管理员可以设置审批人/],
  ['约谈 资源镇, staff in the office (001:103)', 'talkRecord', staff, office, undefined, true],
  ['约谈 资源镇, official', 'talkRecord', official, direct, undefined, 'forbidden', /由县卫片办工作人员/],
  ['移交, staff in a township group: not there (military land, 001:61)', 'handover', staff, townshipGroup, undefined, 'wrong_chat'],
  ['认定 瞒案不报, staff (000:41)', 'finding', staff, office, undefined, true],
  ['重拟通报, staff', 'redraftBulletin', staff, office, undefined, true],
  ['重拟通报, leader', 'redraftBulletin', leader, leaders, undefined, 'forbidden', /只有县卫片办工作人员可以重拟通报/],
  ['重拟通报, unregistered', 'redraftBulletin', undefined, office, undefined, 'unregistered', /不能审批文件/],
]

describe('authorize', () => {
  test.each(TABLE)('%s', (_name, command, sender, chat, target, expected, reason) => {
    const r = authorize(command, sender, chat, target)
    expect(r.ok ? true : r.code).toBe(expected)
    if (!r.ok && reason) expect(r.reason).toMatch(reason)
  })

  test('without a people row only help, 查, 统计, 逾期, 认领 and the unknown reply go through', () => {
    const open = COMMANDS.filter((c) => authorize(c, undefined, office).ok)
    expect(open.sort()).toEqual(['claim', 'help', 'overdue', 'query', 'stats', 'unknown'])
  })

  test('county staff in the office group may send every command but the administrator\'s approver setting', () => {
    expect(COMMANDS.filter((c) => !authorize(c, staff, office).ok)).toEqual(['setApprover'])
    expect(COMMANDS.filter((c) => !authorize(c, admin, office).ok)).toEqual([])
  })

  test('every refusal has a reply in Chinese', () => {
    for (const c of COMMANDS) {
      for (const s of [undefined, official, leader]) {
        const r = authorize(c, s, townshipGroup)
        if (!r.ok) expect(r.reason).toMatch(/[\u4e00-\u9fa5]/)
      }
    }
  })
})

describe('commandOf', () => {
  test.each([
    ['同意通报', 'approveDocument'],
    ['退回通报 请补充逾期原因', 'returnDocument'],
    ['重拟通报', 'redraftBulletin'],
    ['确认 JC2026450329001', 'confirm'],
    ['绑定 资源镇', 'bind'],
    ['待审核', 'reviewQueue'],
  ])('%s → %s', (text, command) => {
    expect(commandOf(parseMessage(text))).toBe(command)
  })
})

// ── issue 12 console finding: 帮助 lists what the role may send (001:33 县级判定上报 is the office's, 004:47 the leader approves) ──
describe('helpFor: each role its own commands', () => {
  test.each<[string, Parameters<typeof helpFor>[0], Parameters<typeof helpFor>[1], string[], string[]]>([
    ['004:47 a leader: the bulletin decisions, no township replies', 'leader', 'leader', ['同意通报', '退回通报'], ['已拆除复耕', '已核查 违法', '待审核']],
    ['001:33 a township official: the replies, no review commands', 'official', 'township', ['已核查 违法', '拆除面积', '不算实地核查记录'], ['待审核', '验收 图斑号', '同意通报']],
    ['001:35 staff: the review commands and the county\'s 现场核查', 'staff', 'office', ['待审核', '现场核查 图斑号 负责人 姓名 意见 核查意见', '市级核验'], ['同意通报']],
    ['unregistered in a township group: the replies and how to be registered', undefined, 'township', ['已核查 违法', '联系县卫片办'], ['待审核']],
  ])('%s', (_name, role, chat, has, hasNot) => {
    const text = helpFor(role, chat)
    for (const h of has) expect(text).toContain(h)
    for (const h of hasNot) expect(text).not.toContain(h)
  })
})
