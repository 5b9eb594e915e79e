import { describe, expect, test } from 'vitest'
import { decideDocument, decideRedraft, type DocumentFacts, type DocumentVerb, type Sender } from '../../core/index.js'

const leader: Sender = { role: 'leader', personId: 7 }
const staff: Sender = { role: 'staff', personId: 3 }
const admin: Sender = { role: 'admin', personId: 1 }
const official: Sender = { role: 'official', townshipId: 1, personId: 20 }
// issue 12 point 13: the county names who approves (004:47 经局分管负责人同意 is one person's consent)
const otherLeader: Sender = { role: 'leader', personId: 8 }
const otherStaff: Sender = { role: 'staff', personId: 4 }
const bulletinApproval = { title: '局分管负责人', person: { id: 7, name: '王局长' } }
const lettersApproval = { title: '县卫片办主任', person: { id: 3, name: '陈工' } }

const bulletin: DocumentFacts = { kind: 'bulletin', state: 'draft', title: '2026年2月排名通报', approval: bulletinApproval }
const letter: DocumentFacts = { kind: 'warning_letter', state: 'draft', title: '警示提醒函', township: { id: 1, name: '资源镇' }, approval: lettersApproval }
const unaddressed: DocumentFacts = { kind: 'supervision_letter', state: 'draft', title: '建议函', approval: lettersApproval }
const unnamed: DocumentFacts = { ...bulletin, approval: { title: '县卫片办主任' } }

type Row = [string, DocumentFacts, DocumentVerb, Sender, string, string | RegExp, string[]?]

// each row: the document, the verb, who, the reason given → the next state and the effects, or the refusal
const TABLE: Row[] = [
  // 004_cc43135be01a58c0.txt:47 每月5号前 … 经局分管负责人同意后 … 排名通报
  ['the leader approves the bulletin: published', bulletin, 'approve', leader, '', 'sent', ['publishBulletin']],
  ['the leader returns it with a reason: the office is told', bulletin, 'return', leader, '请补充逾期原因', 'returned', ['tellOffice', 'reply']],
  ['a return needs a reason', bulletin, 'return', leader, '', /请说明退回理由/],
  ['a bulletin is never discarded', bulletin, 'discard', leader, '', /通报不能作废/],
  ['staff cannot approve the bulletin', bulletin, 'approve', staff, '', /通报须经局分管负责人（王局长）同意后发布，您不能同意/],
  ['another leader cannot either: the approver is a named person (004:47)', bulletin, 'approve', otherLeader, '', /通报须经局分管负责人（王局长）同意后发布/],
  ['nobody named: nobody approves, and the reply says how to name someone', unnamed, 'approve', leader, '', /本县尚未指定通报审批人（县卫片办主任）。请系统管理员发送「设置审批人 通报 @姓名」/],
  ['an admin cannot return it', bulletin, 'return', admin, '理由', /您不能退回/],
  ['an approved bulletin is not decided again', { ...bulletin, state: 'sent' }, 'approve', leader, '', /《2026年2月排名通报》已处理（已发送），无需重复操作/],
  ['a returned one neither', { ...bulletin, state: 'returned' }, 'return', leader, '理由', /已处理（已退回）/],
  // 001_8c1f6dae78f37652.txt:51 县卫片办 … 发警示提醒函
  ['staff approve a letter: to its township', letter, 'approve', staff, '', 'sent', ['deliverLetter', 'reply']],
  ['the named approver discards a letter: nothing sent', letter, 'discard', staff, '', 'discarded', ['reply']],
  ['an official cannot approve a letter', letter, 'approve', official, '', /函件由县卫片办主任（陈工）批准或作废，您不能批准/],
  ['another staff member cannot approve it (the named approver does, 001:161)', letter, 'approve', otherStaff, '', /函件由县卫片办主任（陈工）批准或作废/],
  ['the leader is not the letters approver', letter, 'discard', otherLeader, '', /您不能作废/],
  ['a letter is approved or discarded, not returned', letter, 'return', staff, '理由', /函件只能批准或作废/],
  ['a discarded letter is not decided again', { ...letter, state: 'discarded' }, 'approve', staff, '', /已处理（已作废）/],
  ['a letter without a township is marked sent and says it was not', unaddressed, 'approve', staff, '', 'sent', ['reply']],
]

describe('decideDocument', () => {
  test.each(TABLE)('%s', (_name, doc, verb, sender, reason, expected, effects) => {
    const d = decideDocument(doc, verb, sender, reason)
    if (typeof expected === 'string') {
      expect(d).toMatchObject({ ok: true, next: expected })
      if (d.ok) expect(d.effects.map((e) => e.kind)).toEqual(effects)
    } else {
      expect(d.ok).toBe(false)
      if (!d.ok) expect(d.reason).toMatch(expected)
    }
  })

  test('what it announces', () => {
    const returned = decideDocument(bulletin, 'return', leader, '请补充逾期原因')
    expect(returned.ok && returned.effects).toEqual([
      { kind: 'tellOffice', text: '局分管负责人（王局长）退回《2026年2月排名通报》，理由：请补充逾期原因。核实数据后发送「重拟通报」重新生成草稿。' },
      { kind: 'reply', text: '已退回，理由已转告县卫片办。' },
    ])
    const approved = decideDocument(letter, 'approve', staff, '')
    expect(approved.ok && approved.effects).toEqual([
      { kind: 'deliverLetter', townshipId: 1, text: '县卫片办发来《警示提醒函》，请查收，认真落实并将落实情况书面报县卫片办。' },
      { kind: 'reply', text: '已批准，《警示提醒函》已发送资源镇群。' },
    ])
    const none = decideDocument(unaddressed, 'approve', staff, '')
    expect(none.ok && none.effects).toEqual([{ kind: 'reply', text: '该函件没有主送乡镇，未发送。' }])
  })
})

describe('decideRedraft', () => {
  test.each([
    ['a returned bulletin, nothing newer', { period: '2026-02' }, false, { ok: true, period: '2026-02' }],
    ['nothing returned', undefined, false, { ok: false, reason: '没有被退回的通报。' }],
    ['a returned one without its month', { period: null }, false, { ok: false, reason: '没有被退回的通报。' }],
    ['its month has a draft or a sent version', { period: '2026-02' }, true, { ok: false, reason: '该月通报已有待审批或已发布的版本。' }],
  ])('%s', (_name, returned, live, expected) => {
    expect(decideRedraft(returned, live)).toEqual(expected)
  })
})
