import { describe, expect, test } from 'vitest'
import { actionForDocument, deadlineLines, defaultPolicy, resolvePolicy, stateLabel, transition, wulongOverrides, zichuanOverrides } from '../../core/index.js'
import { ok, patchSnapshot, refused } from '../support/patch-snapshot.js'
import type { Action, Actor, PatchSnapshot, PatchState, TransitionResult } from '../../core/index.js'

const NOW = new Date('2026-11-23T02:00:00Z') // 2026-11-23 10:00 in China, a Monday
const ZIYUAN = '450329100'
const official: Actor = { personId: 'p-official', role: 'official', townshipCode: ZIYUAN }
const otherOfficial: Actor = { personId: 'p-other', role: 'official', townshipCode: '450329101' }
const staff: Actor = { personId: 'p-staff', role: 'staff' }
const admin: Actor = { personId: 'p-admin', role: 'admin' }
const leader: Actor = { personId: 'p-leader', role: 'leader' }
const system: Actor = { personId: 'system', role: 'system' }

const patch = patchSnapshot


const run = (p: PatchSnapshot, a: Action, actor: Actor, policy = defaultPolicy): TransitionResult => transition(p, a, actor, policy, NOW)
const withPhoto = (p: PatchSnapshot, n = 1): PatchSnapshot => ({ ...p, evidence: { ...p.evidence, photos: n } })

describe('push (issued → dispatched)', () => {
  test('system pushes to the township with the verification due date (001:53, 10 calendar days)', () => {
    const r = ok(run(patch({ state: 'issued' }), { type: 'push' }, system))
    expect(r.patch.state).toBe('dispatched')
    expect(r.patch.due.verification).toBe('2026-11-30')
    expect(r.events.map((e) => e.type)).toEqual(['pushed'])
    expect(r.messages[0]!.to).toEqual({ kind: 'township', townshipCode: ZIYUAN })
    expect(r.messages[0]!.text).toContain('11月30日前核查上报')
  })
  test('001:61 military land is never pushed to an ordinary group', () => {
    const r = refused(run(patch({ state: 'issued', military: true }), { type: 'push' }, system))
    expect(r.code).toBe('military_land')
    expect(r.reason).toContain('机要件')
  })
  test('001:61 military land goes the confidential way, told to the office only', () => {
    const r = ok(run(patch({ state: 'issued', military: true }), { type: 'push', confidential: true }, staff))
    expect(r.patch.state).toBe('dispatched')
    expect(r.patch.flags).toContain('military')
    expect(r.messages.every((m) => m.to.kind === 'office')).toBe(true)
  })
  test('001:35 a key patch is flagged and the township told it needs a field check', () => {
    const r = ok(run(patch({ state: 'issued', farmlandMu: 60 }), { type: 'push' }, system))
    expect(r.patch.flags).toContain('key_patch')
    expect(r.messages[0]!.text).toContain('重点图斑')
  })
  test('an official cannot push', () => {
    expect(refused(run(patch({ state: 'issued' }), { type: 'push' }, official)).code).toBe('forbidden')
  })
})

describe('report (dispatched → reported), evidence rules', () => {
  const illegal: Action = { type: 'report', proposal: { kind: 'illegal', violationType: '农村乱占耕地建房' }, farmlandMu: 1.2 }

  test('a 违法 proposal with a photo is reported and the office is asked to review', () => {
    const r = ok(run(withPhoto(patch()), illegal, official))
    expect(r.patch.state).toBe('reported')
    expect(r.patch.proposal).toMatchObject({ judgment: { kind: 'illegal' }, missing: [], farmlandMu: 1.2, reportedOn: '2026-11-23', by: 'p-official' })
    expect(r.events.map((e) => e.type)).toEqual(['reported'])
    expect(r.messages.map((m) => m.to.kind)).toEqual(['actor', 'office'])
    expect(r.patch.due.verification).toBeUndefined()
  })
  test('a 违法 proposal without a photo is recorded; the patch stays dispatched and the reply says what is missing', () => {
    const r = ok(run(patch(), illegal, official))
    expect(r.patch.state).toBe('dispatched')
    expect(r.patch.proposal!.missing).toEqual(['至少1张现场照片（在图斑现场拍摄）'])
    expect(r.events.map((e) => e.type)).toEqual(['proposal_recorded'])
    expect(r.messages).toHaveLength(1)
    expect(r.messages[0]!.text).toContain('还缺：至少1张现场照片')
    expect(r.patch.due.verification).toBe('2026-11-30')
  })
  test('the photo that arrives later completes the report', () => {
    const pending = ok(run(patch(), illegal, official)).patch
    const r = ok(run(pending, { type: 'addEvidence', kind: 'photo' }, official))
    expect(r.patch.state).toBe('reported')
    expect(r.events.map((e) => e.type)).toEqual(['evidence_added', 'reported'])
    expect(r.messages.some((m) => m.to.kind === 'office')).toBe(true)
  })
  test('a flagged photo does not count, and the office is told', () => {
    const pending = ok(run(patch(), illegal, official)).patch
    const r = ok(run(pending, { type: 'addEvidence', kind: 'photo', flagged: true, flagReasons: ['拍摄位置距图斑约900米，超过500米'] }, official))
    expect(r.patch.state).toBe('dispatched')
    expect(r.patch.evidence).toMatchObject({ photos: 0, flaggedPhotos: 1 })
    expect(r.events.map((e) => e.type)).toEqual(['evidence_flagged'])
    expect(r.messages.find((m) => m.to.kind === 'office')!.text).toContain('900米')
    expect(r.messages.find((m) => m.to.kind === 'actor')!.text).toContain('不计入举证')
  })
  test('001:37 a 合法 proposal needs the approval number', () => {
    const r = ok(run(patch(), { type: 'report', proposal: { kind: 'legal' } }, official))
    expect(r.patch.state).toBe('dispatched')
    expect(r.patch.proposal!.missing[0]).toContain('批准文号')
    const done = ok(run(withPhoto(patch()), { type: 'report', proposal: { kind: 'legal', approvalNo: '桂政土批〔2022〕15号' } }, official))
    expect(done.patch.state).toBe('reported')
  })
  test('a 违法 proposal needs its violation type', () => {
    const r = ok(run(withPhoto(patch()), { type: 'report', proposal: { kind: 'illegal' } }, official))
    expect(r.patch.proposal!.missing[0]).toContain('违法类型')
  })
  // issue 12 changes this: 其他用地 and 合法 need a photo too (001:45 现场照片 in every dossier, 002:33 合法,
  // 000:33 瞒报 by 设施农用地、临时用地)
  test.each<[string, Action]>([
    ['001:37 其他用地 实地未变化', { type: 'report', proposal: { kind: 'other', otherKind: '实地未变化' } }],
    ['000:33 设施农业用地', { type: 'report', proposal: { kind: 'other', otherKind: '设施农业用地' } }],
    ['000:33 临时用地', { type: 'report', proposal: { kind: 'other', otherKind: '临时用地' } }],
    ['002:33 合法', { type: 'report', proposal: { kind: 'legal', approvalNo: '桂政土批〔2022〕15号' } }],
  ])('001:45 %s needs an on-site photo like 违法', (_name, action) => {
    const pending = ok(run(patch(), action, official))
    expect(pending.patch.state).toBe('dispatched')
    expect(pending.patch.proposal!.missing).toEqual(['至少1张现场照片（在图斑现场拍摄）'])
    expect(pending.messages[0]!.text).toContain('还缺：至少1张现场照片')
    expect(ok(run(withPhoto(patch()), action, official)).patch.state).toBe('reported')
  })
  test('a flagged photo is named as not counting', () => {
    const p = patch({ evidence: { photos: 0, flaggedPhotos: 1, locations: 0, documents: 0, fieldCheck: false } })
    const r = ok(run(p, { type: 'report', proposal: { kind: 'other', otherKind: '实地未变化' } }, official))
    expect(r.patch.proposal!.missing).toEqual(['至少1张现场照片（在图斑现场拍摄；已收到的1张存疑照片不计入）'])
  })
  test('001:45 a county may set the photo rule in its profile', () => {
    const lenient = resolvePolicy({ evidence: { reportPhotos: { kinds: ['illegal'] } } })
    expect(ok(run(patch(), { type: 'report', proposal: { kind: 'other', otherKind: '设施农业用地' } }, official, lenient)).patch.state).toBe('reported')
  })
  // issue 12 point 8 changes this: the field check of a key patch is the county's record (001:35)
  test('001:35 a key patch needs the county office\'s field-check record; a township\'s 现场核查 is not one', () => {
    const key = withPhoto(patch({ farmlandMu: 55 }))
    const pending = ok(run(key, illegal, official))
    expect(pending.patch.state).toBe('dispatched')
    expect(pending.patch.proposal!.missing[0]).toContain('县卫片办的实地核查记录（重点图斑：疑似违法占用耕地55亩，达到50亩）')
    expect(pending.patch.proposal!.missing[0]).toContain('现场核查 JC2026450329001 负责人 姓名 意见 核查意见')
    expect(pending.patch.proposal!.missing[0]).toContain('乡镇回复「已到现场」不能代替')
    const townshipSays = ok(run(key, { ...illegal, fieldCheck: true } as Action, official))
    expect(townshipSays.patch.state).toBe('dispatched')
    expect(townshipSays.patch.evidence.fieldCheck).toBe(false)
    const later = ok(run(pending.patch, { type: 'recordFieldCheck', lead: '张三', opinion: '现场为新建厂房，占用耕地' }, staff))
    expect(later.patch.state).toBe('reported')
    expect(later.events.map((e) => e.type)).toEqual(['field_checked', 'reported'])
    expect(later.events[0]!.data).toMatchObject({ lead: '张三', opinion: '现场为新建厂房，占用耕地' })
    expect(later.messages.find((m) => m.to.kind === 'township')!.text).toContain('核查负责人：张三')
  })
  test('a report can be corrected while awaiting review', () => {
    const reported = ok(run(withPhoto(patch()), illegal, official)).patch
    const r = ok(run(reported, { type: 'report', proposal: { kind: 'other', otherKind: '实地未变化' } }, official))
    expect(r.patch.state).toBe('reported')
    expect(r.patch.proposal!.judgment).toEqual({ kind: 'other', otherKind: '实地未变化' })
  })
  test('only an official of the patch own township may report', () => {
    expect(refused(run(patch(), illegal, otherOfficial)).code).toBe('wrong_township')
    expect(refused(run(patch(), illegal, staff)).code).toBe('forbidden')
    expect(refused(run(patch(), illegal, leader)).code).toBe('forbidden')
    expect(refused(run(patch(), illegal, { ...official, townshipCode: undefined })).code).toBe('wrong_township')
  })
  test('a negative area is refused', () => {
    expect(refused(run(withPhoto(patch()), { ...illegal, farmlandMu: -1 } as Action, official)).code).toBe('invalid_input')
  })
})

describe('confirm (reported → judged → closed | rectifying)', () => {
  const reported = (proposal: Action & { type: 'report' }, p = withPhoto(patch())): PatchSnapshot => ok(run(p, proposal, official)).patch

  test('legal: judged then closed in the same transition', () => {
    const p = reported({ type: 'report', proposal: { kind: 'legal', approvalNo: '桂政土批〔2022〕15号' } })
    const r = ok(run(p, { type: 'confirm' }, staff))
    expect(r.patch.state).toBe('closed')
    expect(r.patch.judgment).toEqual({ kind: 'legal', approvalNo: '桂政土批〔2022〕15号' })
    expect(r.events.map((e) => e.type)).toEqual(['judged', 'closed'])
    expect(r.patch.due).toEqual({})
  })
  test('other: closed', () => {
    const p = reported({ type: 'report', proposal: { kind: 'other', otherKind: '临时用地' } })
    expect(ok(run(p, { type: 'confirm' }, admin)).patch.state).toBe('closed')
  })
  test('illegal: rectifying with 001:43 due dates; 004:41 working-day steps only in the 淄川 preset', () => {
    const p = reported({ type: 'report', proposal: { kind: 'illegal', violationType: '农村乱占耕地建房' } })
    // issue 12 point 16: the 资源县 profile is 001 alone
    expect(ok(run(p, { type: 'confirm' }, staff)).patch.due).toEqual({ rectify_unplanned: '2027-02-23' })
    const r = ok(run(p, { type: 'confirm' }, staff, resolvePolicy(zichuanOverrides)))
    expect(r.patch.state).toBe('rectifying')
    expect(r.events.map((e) => e.type)).toEqual(['judged', 'rectification_started'])
    expect(r.patch.judgedOn).toBe('2026-11-23')
    expect(r.patch.photosAtJudgment).toBe(1)
    // issue 12 changes this: no measure chosen → one clock (the longer, 3 months), said to be unchosen
    expect(r.patch.due).toEqual({
      rectify_unplanned: '2027-02-23',
      new_violation_report: '2026-11-25',
      new_violation_escalate: '2026-11-26',
    })
    // 001:33 new 乱占耕地建房 flagged separately
    expect(r.patch.flags).toContain('new_rural_housing')
    // one core function for the message and the card (deadlineLines): the 004:41 报告 step is in both
    const told = r.messages.find((m) => m.to.kind === 'township')!.text
    expect(told).toContain('整改方式未确定')
    expect(told).toContain(deadlineLines(r.patch, defaultPolicy, '2026-11-23').join('；'))
    expect(told).toContain('2026-11-25前新增违法：书面报告制止、整改情况（2个工作日内）（剩2天）')
    expect(told).toMatch(/2027-02-23（预估.*）前整改到位（整改措施未确定）（3个月内）/)
    expect(r.messages.find((m) => m.to.kind === 'actor')!.text).toContain('拟拆除复耕')
  })
  test('001:37/43 集体会审 拟拆除复耕: only the one-month clock, named in the message', () => {
    const p = reported({ type: 'report', proposal: { kind: 'illegal', violationType: '农村乱占耕地建房' } })
    const r = ok(run(p, { type: 'confirm', plannedMeasure: 'demolished_restored' }, staff))
    expect(r.patch.due.rectify_demolish).toBe('2026-12-23')
    expect(r.patch.due.rectify_permits).toBeUndefined()
    expect(r.patch.due.rectify_unplanned).toBeUndefined()
    expect(r.messages.find((m) => m.to.kind === 'township')!.text).toContain('集体会审确定的整改方式：拟拆除复耕')
    expect(r.messages.find((m) => m.to.kind === 'township')!.text).toContain('2026-12-23前拆除复耕（一个月内）')
  })
  test('001:33 非农化 is flagged', () => {
    const p = reported({ type: 'report', proposal: { kind: 'illegal', violationType: '非农化' } })
    expect(ok(run(p, { type: 'confirm' }, staff)).patch.flags).toContain('non_agricultural')
  })
  test('the office can correct the judgment when confirming (集体会审) and plan the measure', () => {
    const p = reported({ type: 'report', proposal: { kind: 'other', otherKind: '设施农业用地' } })
    const r = ok(
      run(p, { type: 'confirm', judgment: { kind: 'illegal', violationType: '新增建设用地违法', landUse: 'new_construction' }, plannedMeasure: 'permits_completed' }, staff),
    )
    expect(r.patch.state).toBe('rectifying')
    expect(r.patch.due.rectify_permits).toBe('2027-02-23')
    expect(r.patch.due.rectify_demolish).toBeUndefined()
    expect(r.events[0]!.data).toMatchObject({ corrected: true })
  })
  test('an incomplete correction is refused', () => {
    const p = reported({ type: 'report', proposal: { kind: 'other', otherKind: '设施农业用地' } })
    expect(refused(run(p, { type: 'confirm', judgment: { kind: 'legal', approvalNo: ' ' } }, staff)).code).toBe('invalid_input')
  })
  test('001:33 only the county office judges', () => {
    const p = reported({ type: 'report', proposal: { kind: 'other', otherKind: '临时用地' } })
    expect(refused(run(p, { type: 'confirm' }, official)).code).toBe('forbidden')
    expect(refused(run(p, { type: 'confirm' }, leader)).code).toBe('forbidden')
  })
})

describe('sendBack (reported → dispatched)', () => {
  const reported = ok(run(withPhoto(patch()), { type: 'report', proposal: { kind: 'illegal', violationType: '非粮化' } }, official)).patch
  test('needs a reason', () => {
    const r = refused(run(reported, { type: 'sendBack', reason: '  ' }, staff))
    expect(r.code).toBe('reason_required')
    expect(r.reason).toContain('退回需要写明理由')
  })
  test('tells the township the reason', () => {
    const r = ok(run(reported, { type: 'sendBack', reason: '照片不在图斑范围内' }, staff))
    expect(r.patch.state).toBe('dispatched')
    expect(r.patch.proposal).toBeUndefined()
    expect(r.events[0]).toMatchObject({ type: 'sent_back', actor: 'p-staff', data: { reason: '照片不在图斑范围内' } })
    expect(r.messages[0]).toEqual({ to: { kind: 'township', townshipCode: ZIYUAN }, text: expect.stringContaining('照片不在图斑范围内') })
  })
})

describe('rectification (rectifying → rectified → accepted → closed)', () => {
  const rectifying = (): PatchSnapshot => {
    const reported = ok(run(withPhoto(patch()), { type: 'report', proposal: { kind: 'illegal', violationType: '农村乱占耕地建房' } }, official)).patch
    return ok(run(reported, { type: 'confirm' }, staff)).patch
  }

  test('拆除复耕 needs a photo taken after the judgment', () => {
    const r = ok(run(rectifying(), { type: 'reportRectification', measure: 'demolished_restored' }, official))
    expect(r.patch.state).toBe('rectifying')
    expect(r.patch.rectification!.missing).toEqual(['拆除复耕后的现场照片（判定后拍摄，带拍摄时间的原图）'])
    expect(r.patch.due.rectify_permits).toBeUndefined()
    expect(r.patch.due.new_violation_report).toBeUndefined()
    const done = ok(run(r.patch, { type: 'addEvidence', kind: 'photo' }, official))
    expect(done.patch.state).toBe('rectified')
    expect(done.events.map((e) => e.type)).toEqual(['evidence_added', 'rectified'])
    expect(done.patch.due).toEqual({})
  })
  test('补办 needs the approval number', () => {
    const missing = ok(run(rectifying(), { type: 'reportRectification', measure: 'permits_completed' }, official))
    expect(missing.patch.rectification!.missing[0]).toContain('批准文号')
    const r = ok(run(rectifying(), { type: 'reportRectification', measure: 'permits_completed', docNo: '桂政土批〔2024〕3号' }, official))
    expect(r.patch.state).toBe('rectified')
    expect(r.patch.rectification!.docNo).toBe('桂政土批〔2024〕3号')
  })
  // issue 12 changes this: a township's 已立案 no longer moves the patch to 已整改 (004:29, 001:41)
  test('004:29 立案 is no rectification: a township report of it is refused with what to send', () => {
    const r = refused(run(rectifying(), { type: 'reportRectification', measure: 'case_filed', caseNo: '资自然资罚〔2024〕12号' }, official))
    expect(r.code).toBe('invalid_input')
    expect(r.reason).toContain('立案是案件查处的一个环节，不是整改结果')
    expect(r.reason).toContain('已拆除复耕')
    const own = refused(run(rectifying(), { type: 'recordCase', stage: '立案', caseNo: '资自然资立〔2026〕12号' }, official))
    expect(own.code).toBe('forbidden')
    expect(own.reason).toContain('由县自然资源局（县卫片办）登记')
  })
  test('001:41 a large 拆除复耕 is flagged for city verification', () => {
    const base = rectifying()
    const big = { ...base, farmlandMu: 12, evidence: { ...base.evidence, photos: 2 } }
    const r = ok(run(big, { type: 'reportRectification', measure: 'demolished_restored' }, official))
    expect(r.patch.flags).toContain('city_verification')
    expect(r.messages.find((m) => m.to.kind === 'office')!.text).toContain('市卫片办')
  })
  test('accept closes; rejection sends it back with the reason', () => {
    const rectified = ok(run(rectifying(), { type: 'reportRectification', measure: 'permits_completed', docNo: '桂政土批〔2024〕3号' }, official)).patch
    const accepted = ok(run(rectified, { type: 'accept' }, staff))
    expect(accepted.patch.state).toBe('closed')
    expect(accepted.events.map((e) => e.type)).toEqual(['accepted', 'closed'])
    expect(refused(run(rectified, { type: 'rejectRectification', reason: '' }, staff)).code).toBe('reason_required')
    const rejected = ok(run(rectified, { type: 'rejectRectification', reason: '仍有建筑未拆除' }, staff))
    expect(rejected.patch.state).toBe('rectifying')
    expect(rejected.patch.rectification).toBeUndefined()
    expect(rejected.messages[0]!.text).toContain('仍有建筑未拆除')
    expect(refused(run(rectified, { type: 'accept' }, official)).code).toBe('forbidden')
  })
})

describe('refusals name the current state and say what to send instead', () => {
  const states: PatchState[] = ['issued', 'dispatched', 'reported', 'judged', 'rectifying', 'rectified', 'accepted', 'closed']
  test('report in 已判定', () => {
    const r = refused(run(patch({ state: 'judged' }), { type: 'report', proposal: { kind: 'other', otherKind: '临时用地' } }, official))
    expect(r.code).toBe('wrong_state')
    expect(r.reason).toContain('图斑 JC2026450329001 当前状态为「已判定」，不能再上报核查结果')
  })
  test('a pending report tells what it still lacks', () => {
    const pending = ok(run(patch(), { type: 'report', proposal: { kind: 'illegal', violationType: '非农化' } }, official)).patch
    expect(refused(run(pending, { type: 'confirm' }, staff)).reason).toContain('还缺：至少1张现场照片')
  })
  test.each(states)('every action is either applied or refused in state %s, never thrown', (state) => {
    const actions: Action[] = [
      { type: 'push' },
      { type: 'report', proposal: { kind: 'other', otherKind: '临时用地' } },
      { type: 'addEvidence', kind: 'document' },
      { type: 'confirm' },
      { type: 'sendBack', reason: 'x' },
      { type: 'reportRectification', measure: 'case_filed', caseNo: 'x' },
      { type: 'accept' },
      { type: 'rejectRectification', reason: 'x' },
    ]
    for (const a of actions) {
      for (const actor of [official, staff, system]) {
        const r = run(patch({ state }), a, actor)
        if (!r.ok) {
          expect(r.reason.length).toBeGreaterThan(5)
          if (r.code === 'wrong_state') expect(r.reason).toContain(`「${stateLabel(state)}」`)
        }
      }
    }
  })
})

test('a malformed action is refused, not thrown', () => {
  expect(refused(run(patch(), { type: 'fly' } as unknown as Action, official)).code).toBe('invalid_input')
  expect(refused(run(patch(), { type: 'report', proposal: { kind: 'maybe' } } as unknown as Action, official)).code).toBe('invalid_input')
  expect(refused(run(patch({ state: 'rectifying' }), { type: 'reportRectification', measure: 'x' } as unknown as Action, official)).code).toBe('invalid_input')
})

test('never mutates its input', () => {
  const p = withPhoto(patch())
  const frozen = JSON.parse(JSON.stringify(p))
  Object.freeze(p)
  Object.freeze(p.evidence)
  Object.freeze(p.flags)
  ok(run(p, { type: 'report', proposal: { kind: 'illegal', violationType: '非农化' } }, official))
  expect(p).toEqual(frozen)
})

test('events carry the instant and the actor', () => {
  const r = ok(run(patch({ state: 'issued' }), { type: 'push' }, system))
  expect(r.events[0]).toMatchObject({ at: '2026-11-23T02:00:00.000Z', actor: 'system' })
})

test('002:33 武隆: the judgment is due 15 days after receipt', () => {
  const wulong = resolvePolicy(wulongOverrides)
  const r = ok(run(patch({ state: 'issued', receivedOn: '2026-11-21' }), { type: 'push' }, system, wulong))
  expect(r.patch.due.judgment).toBe('2026-12-06')
})

test('past the holiday data the transition goes ahead on estimated working days (004:41)', () => {
  const p = withPhoto(patch({ issuedOn: '2026-12-20' }))
  const reported = ok(run(p, { type: 'report', proposal: { kind: 'illegal', violationType: '非农化' } }, official)).patch
  const r = transition(reported, { type: 'confirm' }, staff, defaultPolicy, new Date('2026-12-29T02:00:00Z'))
  const due = Object.values(ok(r).patch.due)
  expect(due.some((d) => d.startsWith('2027-'))).toBe(true)
})

describe('a document number on its own completes what waits for it', () => {
  const base = patch({ state: 'dispatched' })
  test.each([
    ['a 合法 report without its approval number (001:37)', { ...base, proposal: { judgment: { kind: 'legal' as const }, reportedOn: '2026-11-23', by: '1', missing: ['批准文号'] } }, { type: 'report', proposal: { kind: 'legal', approvalNo: '桂政土批〔2022〕15号' } }],
    ['a 补办 rectification without its number (001:43)', { ...base, state: 'rectifying' as const, rectification: { measure: 'permits_completed' as const, reportedOn: '2026-11-23', missing: ['批准文号'] } }, { type: 'reportRectification', measure: 'permits_completed', docNo: '桂政土批〔2022〕15号' }],
    ['a 立案 without its case number', { ...base, state: 'rectifying' as const, rectification: { measure: 'case_filed' as const, reportedOn: '2026-11-23', missing: ['案件编号'] } }, { type: 'reportRectification', measure: 'case_filed', caseNo: '桂政土批〔2022〕15号' }],
  ])('%s', (_name, p, expected) => {
    expect(actionForDocument(p, '桂政土批〔2022〕15号')).toEqual(expected)
  })
  test('nothing waiting: a reason that says what to send', () => {
    const r = actionForDocument(base, '桂政土批〔2022〕15号')
    expect('reason' in r && r.reason).toMatch(/合法 桂政土批〔2022〕15号/)
  })
})

// ── issue 12 point 8: the key patches' field check is the county's (001:35) ──
describe('001:35 the county office records the field check, with 负责人, 意见 and a photo', () => {
  const check: Action = { type: 'recordFieldCheck', lead: '张三', opinion: '现场为新建厂房' }
  test.each<[string, Actor, PatchSnapshot, Action, string]>([
    ['001:35 a township official may not record it', official, withPhoto(patch()), check, 'forbidden'],
    ['001:35 a leader may not record it', leader, withPhoto(patch()), check, 'forbidden'],
    ['001:35 without its 负责人', staff, withPhoto(patch()), { ...check, lead: ' ' } as Action, 'reason_required'],
    ['001:35 without its 意见', staff, withPhoto(patch()), { ...check, opinion: '' } as Action, 'reason_required'],
    ['001:45 without a counted on-site photo', staff, patch(), check, 'reason_required'],
    ['001:35 a township\'s bare 现场核查 (addEvidence field_check) is refused', official, withPhoto(patch()), { type: 'addEvidence', kind: 'field_check' }, 'forbidden'],
    ['001:35 staff too must give 负责人 and 意见', staff, withPhoto(patch()), { type: 'addEvidence', kind: 'field_check' }, 'invalid_input'],
  ])('%s', (_name, actor, p, action, code) => {
    const r = refused(run(p, action, actor))
    expect(r.code).toBe(code)
    expect(r.reason.length).toBeGreaterThan(10)
  })
  test('001:35 the refusal to a township says what 现场核查 is and who sends it', () => {
    const r = refused(run(withPhoto(patch()), { type: 'addEvidence', kind: 'field_check' }, official))
    expect(r.reason).toContain('由县卫片办组织逐一实地核查')
    expect(r.reason).toContain('现场核查 图斑号 负责人 姓名 意见 核查意见')
    expect(r.reason).toContain('乡镇回复「已到现场」不算实地核查记录')
  })
  test('001:35 recorded by staff with a photo: the evidence and its instant', () => {
    const r = ok(run(withPhoto(patch()), check, staff))
    expect(r.patch.evidence).toMatchObject({ fieldCheck: true, fieldCheckAt: '2026-11-23T02:00:00.000Z' })
    expect(r.events[0]).toMatchObject({ type: 'field_checked', data: { kind: 'field_check', lead: '张三', opinion: '现场为新建厂房' } })
  })
})

describe('001:35 拆除复耕 on 永久基本农田/红线 ≥ 5亩 or 耕地 ≥ 25亩 waits for the county\'s field check after judgment', () => {
  const judgedAt = '2026-11-23T02:00:00.000Z'
  const rectifying = (over: Partial<PatchSnapshot>, fieldCheckAt?: string): PatchSnapshot =>
    patch({
      state: 'rectifying', judgedOn: '2026-11-23', judgedAt, photosAtJudgment: 1,
      judgment: { kind: 'illegal', violationType: '新增建设用地违法', landUse: 'new_construction' },
      evidence: { photos: 2, flaggedPhotos: 0, locations: 0, documents: 0, fieldCheck: fieldCheckAt !== undefined, ...(fieldCheckAt ? { fieldCheckAt } : {}) },
      ...over,
    })
  const demolish: Action = { type: 'reportRectification', measure: 'demolished_restored' }
  test.each<[string, Partial<PatchSnapshot>, string | undefined, boolean]>([
    ['耕地 24.9亩: below the 25亩 line', { farmlandMu: 24.9, areaMu: 30 }, undefined, false],
    ['001:35 耕地 25亩: "25亩以上" includes 25', { farmlandMu: 25, areaMu: 30 }, undefined, true],
    ['001:35 永久基本农田 5亩', { farmlandMu: 6, basicFarmlandMu: 5, areaMu: 8 }, undefined, true],
    ['001:35 生态保护红线 5亩', { farmlandMu: 1, redLineMu: 5, areaMu: 8 }, undefined, true],
    ['永久基本农田 4.9亩', { farmlandMu: 6, basicFarmlandMu: 4.9, areaMu: 8 }, undefined, false],
    ['001:35 耕地 25亩, checked before the judgment: that was the first check, not of the demolition', { farmlandMu: 25, areaMu: 30 }, '2026-11-20T02:00:00.000Z', true],
    ['001:35 耕地 25亩, checked after the judgment', { farmlandMu: 25, areaMu: 30 }, '2026-11-23T03:00:00.000Z', false],
  ])('%s → waits for the field check: %s', (_name, over, checkedAt, waits) => {
    const r = ok(run(rectifying(over, checkedAt), demolish, official))
    expect(r.patch.state).toBe(waits ? 'rectifying' : 'rectified')
    if (!waits) return
    expect(r.patch.rectification!.missing[0]).toContain('县卫片办的实地核查记录（重点图斑：拆除复耕涉及')
    expect(r.messages.find((m) => m.to.kind === 'office')!.text).toContain('现场核查 JC2026450329001 负责人 姓名 意见')
  })
  test('001:35 the county\'s record completes the waiting 拆除复耕', () => {
    const waiting = ok(run(rectifying({ farmlandMu: 25, areaMu: 30 }), demolish, official)).patch
    const later = new Date('2026-11-24T02:00:00Z')
    const r = ok(transition(waiting, { type: 'recordFieldCheck', lead: '李四', opinion: '已拆除，复耕到位' }, staff, defaultPolicy, later))
    expect(r.patch.state).toBe('rectified')
    expect(r.events.map((e) => e.type)).toEqual(['field_checked', 'rectified'])
  })
})

// ── issue 12 point 5: partial rectification (DESIGN: 已整改 = 拆除 + 补办, 总 = 已整改 + 未整改) ──
describe('partial rectification: 拆除面积/补办面积, only accepted areas, the rest stays in 整改中', () => {
  const judged = (over: Partial<PatchSnapshot> = {}): PatchSnapshot =>
    patch({
      state: 'rectifying', judgedOn: '2026-11-23', judgedAt: '2026-11-23T01:00:00.000Z', photosAtJudgment: 0, areaMu: 5, farmlandMu: 4,
      judgment: { kind: 'illegal', violationType: '新增建设用地违法', landUse: 'new_construction' },
      evidence: { photos: 1, flaggedPhotos: 0, locations: 0, documents: 0, fieldCheck: false },
      ...over,
    })
  const demolish = (areaMu?: number, farmlandMu?: number): Action => ({ type: 'reportRectification', measure: 'demolished_restored', ...(areaMu !== undefined ? { areaMu } : {}), ...(farmlandMu !== undefined ? { farmlandMu } : {}) })
  test.each<[string, Action, string]>([
    ['a negative 拆除面积', demolish(-1), '拆除面积应为大于0的数'],
    ['拆除面积 above the patch', demolish(6), '超过图斑 JC2026450329001 剩余未整改面积5亩'],
    ['拆除耕地面积 above the 耕地', demolish(5, 4.5), '超过图斑 JC2026450329001 剩余未整改耕地4亩'],
    ['耕地 above its own area', demolish(2, 3), '拆除耕地面积3亩不能大于拆除面积2亩'],
    ['补办面积 above what remains', { type: 'reportRectification', measure: 'permits_completed', docNo: '桂政土批〔2026〕3号', areaMu: 5.5 }, '补办面积5.5亩超过'],
  ])('refused: %s', (_name, action, text) => {
    const r = refused(run(judged(), action, official))
    expect(r.code).toBe('invalid_input')
    expect(r.reason).toContain(text)
  })
  test('001:73 a partial 拆除复耕 accepted: deducted area recorded, the patch stays in 整改中 with the rest', () => {
    const reported = ok(run(judged(), demolish(2, 1.5), official))
    expect(reported.patch.state).toBe('rectified')
    expect(reported.messages.find((m) => m.to.kind === 'office')!.text).toContain('已拆除复耕（拆除面积2亩、拆除耕地面积1.5亩）')
    const accepted = ok(run(reported.patch, { type: 'accept' }, staff))
    expect(accepted.patch.state).toBe('rectifying')
    expect(accepted.patch.rectification).toBeUndefined()
    expect(accepted.patch.remedied).toEqual({ demolishedMu: 2, demolishedFarmlandMu: 1.5, permittedMu: 0, permittedFarmlandMu: 0 })
    expect(accepted.events[0]).toMatchObject({ type: 'accepted', data: { partial: true, remaining: { areaMu: 3, farmlandMu: 2.5 } } })
    expect(accepted.messages.find((m) => m.to.kind === 'township')!.text).toContain('剩余未整改3亩（其中耕地2.5亩）')
    // the rest runs on 集体会审's clock (here none was chosen: the unplanned one, 001:43)
    expect(accepted.patch.due.rectify_unplanned).toBe('2027-02-23')
    // 001:71 the rest by 补办, no area given: all that remains; then the patch closes
    const permits = ok(run({ ...accepted.patch, evidence: { ...accepted.patch.evidence } }, { type: 'reportRectification', measure: 'permits_completed', docNo: '桂政土批〔2026〕3号' }, official)).patch
    const closed = ok(run(permits, { type: 'accept' }, staff))
    expect(closed.patch.state).toBe('closed')
    expect(closed.patch.remedied).toEqual({ demolishedMu: 2, demolishedFarmlandMu: 1.5, permittedMu: 3, permittedFarmlandMu: 2.5 })
  })
  test('policy choice: an area without its 耕地 covers the non-farmland part first', () => {
    const r = ok(run(judged(), demolish(1.5), official)).patch
    const accepted = ok(run(r, { type: 'accept' }, staff)).patch
    // 5亩 of which 4 耕地: 1亩 is not farmland, so 1.5亩 demolished covers at least 0.5亩 耕地
    expect(accepted.remedied).toMatchObject({ demolishedMu: 1.5, demolishedFarmlandMu: 0.5 })
  })
})

// ── issue 12 point 15: military land stays out of every township chat (001:61, 001:103) ──
describe('001:61/103 military land: core refuses every township action', () => {
  const military = (over: Partial<PatchSnapshot> = {}) => withPhoto(patch({ military: true, ...over }))
  test.each<[string, PatchSnapshot, Action]>([
    ['001:61 report', military(), { type: 'report', proposal: { kind: 'illegal', violationType: '非农化' } }],
    ['001:61 a photo', military(), { type: 'addEvidence', kind: 'photo' }],
    ['001:61 a location', military(), { type: 'addEvidence', kind: 'location' }],
    ['001:61 a document', military(), { type: 'addEvidence', kind: 'document' }],
    ['001:61 拆除复耕', military({ state: 'rectifying', judgedOn: '2026-11-20' }), { type: 'reportRectification', measure: 'demolished_restored' }],
    ['001:61 补办', military({ state: 'rectifying', judgedOn: '2026-11-20' }), { type: 'reportRectification', measure: 'permits_completed', docNo: '桂政土批〔2026〕3号' }],
  ])('%s by its own township official', (_name, p, action) => {
    const r = refused(run(p, action, official))
    expect(r.code).toBe('military_land')
    expect(r.reason).not.toContain(p.number) // the refusal names no number either
    expect(r.reason).toContain('机要件')
  })
})
