import { describe, expect, test } from 'vitest'
import { actionForDocument, defaultPolicy, resolvePolicy, stateLabel, transition, wulongOverrides, zichuanOverrides } from '../../core/index.js'
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
  test('001:35 a key patch needs a field-check record; the report can carry it', () => {
    const key = withPhoto(patch({ farmlandMu: 55 }))
    const pending = ok(run(key, illegal, official))
    expect(pending.patch.state).toBe('dispatched')
    expect(pending.patch.proposal!.missing[0]).toContain('实地核查记录（重点图斑：疑似违法占用耕地55亩，达到50亩）')
    expect(pending.patch.proposal!.missing[0]).toContain('回复「现场核查」')
    const withCheck = ok(run(key, { ...illegal, fieldCheck: true } as Action, official))
    expect(withCheck.patch.state).toBe('reported')
    const later = ok(run(pending.patch, { type: 'addEvidence', kind: 'field_check' }, staff))
    expect(later.patch.state).toBe('reported')
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
    expect(r.messages.find((m) => m.to.kind === 'township')!.text).toContain('整改措施未确定，最迟2月23日前整改到位')
    expect(r.messages.find((m) => m.to.kind === 'actor')!.text).toContain('拟拆除复耕')
  })
  test('001:37/43 集体会审 拟拆除复耕: only the one-month clock, named in the message', () => {
    const p = reported({ type: 'report', proposal: { kind: 'illegal', violationType: '农村乱占耕地建房' } })
    const r = ok(run(p, { type: 'confirm', plannedMeasure: 'demolished_restored' }, staff))
    expect(r.patch.due.rectify_demolish).toBe('2026-12-23')
    expect(r.patch.due.rectify_permits).toBeUndefined()
    expect(r.patch.due.rectify_unplanned).toBeUndefined()
    expect(r.messages.find((m) => m.to.kind === 'township')!.text).toContain('拟拆除复耕，12月23日前')
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
    expect(r.patch.rectification!.missing).toEqual(['拆除复耕后的现场照片（判定后拍摄）'])
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
