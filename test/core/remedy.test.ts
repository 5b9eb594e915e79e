// A remedy counts when it is accepted, not when it is reported (issue 12 point 1):
// 001_8c1f6dae78f37652.txt:73 "已拆除复耕到位", :71 "已补办完善用地手续", :47 the county's 验收,
// :41 the city's 核验 of larger 拆除复耕, 000_7f891be42bc71ff5.txt:33 虚报拆除.
import { describe, expect, test } from 'vitest'
import {
  resolvePolicy,
  zichuanOverrides,
  accountabilityItemOf,
  defaultPolicy,
  monthFigures,
  remedyStanding,
  townshipFacts,
  transition,
} from '../../core/index.js'
import type { Action, Actor, PatchSnapshot, RectificationRecord, TransitionResult } from '../../core/index.js'
import { ok, patchSnapshot, refused } from '../support/patch-snapshot.js'

const NOW = new Date('2026-11-23T02:00:00Z')
const ZIYUAN = '450329100'
const official: Actor = { personId: 'p-official', role: 'official', townshipCode: ZIYUAN }
const staff: Actor = { personId: 'p-staff', role: 'staff' }
const leader: Actor = { personId: 'p-leader', role: 'leader' }

const run = (p: PatchSnapshot, a: Action, actor: Actor, policy = defaultPolicy): TransitionResult => transition(p, a, actor, policy, NOW)
// 淄川's 004:41 working-day steps are off in 资源县's profile (issue 12 point 16), on in its preset
const zichuan = resolvePolicy(zichuanOverrides)

/** A 违法 new-construction patch judged and in 整改中, with one photo after judgment (so 拆除复耕 is complete). */
function rectifying(over: Partial<PatchSnapshot> = {}, policy = defaultPolicy): PatchSnapshot {
  const p = patchSnapshot({ evidence: { photos: 1, flaggedPhotos: 0, locations: 0, documents: 0, fieldCheck: true }, ...over })
  const reported = ok(run(p, { type: 'report', proposal: { kind: 'illegal', violationType: '新增建设用地违法' } }, official, policy)).patch
  const judged = ok(run(reported, { type: 'confirm' }, staff, policy)).patch
  // one photo after judgment, and the county's field check of the demolition where 001:35 asks it
  return { ...judged, evidence: { ...judged.evidence, photos: judged.evidence.photos + 1, fieldCheckAt: NOW.toISOString() } }
}
const demolish: Action = { type: 'reportRectification', measure: 'demolished_restored' }
const passed: Action = { type: 'recordCityVerification', result: 'passed', docNo: '桂林土卫片办〔2026〕5号' }
const failed: Action = { type: 'recordCityVerification', result: 'failed', docNo: '桂林土卫片办〔2026〕6号' }

describe('001:41 市级核验 before 验收 of a larger 拆除复耕', () => {
  test.each<[string, Partial<PatchSnapshot>, boolean]>([
    ['耕地 1.2亩: the county accepts on its own', { farmlandMu: 1.2 }, false],
    ['耕地 9.99亩: below the 10亩 line', { farmlandMu: 9.99 }, false],
    ['耕地 10亩: "10亩以上" includes 10', { farmlandMu: 10 }, true],
    ['永久基本农田 5亩 (of 耕地 6亩)', { farmlandMu: 6, basicFarmlandMu: 5 }, true],
    ['生态保护红线 5亩', { farmlandMu: 2, redLineMu: 5 }, true],
    ['永久基本农田 4.9亩', { farmlandMu: 6, basicFarmlandMu: 4.9 }, false],
  ])('%s → city verification needed: %s', (_name, over, needed) => {
    const rectified = ok(run(rectifying(over), demolish, official)).patch
    expect(rectified.state).toBe('rectified')
    expect(rectified.rectification!.cityVerificationRequired === true).toBe(needed)
    const accept = run(rectified, { type: 'accept' }, staff)
    if (!needed) {
      expect(ok(accept).patch.state).toBe('closed')
      return
    }
    const r = refused(accept)
    expect(r.code).toBe('city_verification_pending')
    expect(r.reason).toContain('须向市卫片办提交申请核验')
    expect(r.reason).toContain(`市级核验 ${rectified.number} 通过 文号`)
  })

  test('the office is told that 验收 waits for the city, not asked to accept now', () => {
    const r = ok(run(rectifying({ farmlandMu: 12 }), demolish, official))
    const office = r.messages.find((m) => m.to.kind === 'office')!.text
    expect(office).toContain('登记市级核验结果后方可验收')
    expect(office).not.toContain('请验收')
  })

  test('通过 with its document, then 验收 closes and records the date', () => {
    const rectified = ok(run(rectifying({ farmlandMu: 12 }), demolish, official)).patch
    const verified = ok(run(rectified, passed, staff))
    expect(verified.patch.state).toBe('rectified')
    expect(verified.patch.rectification!.cityVerification).toEqual({ result: 'passed', docNo: '桂林土卫片办〔2026〕5号', on: '2026-11-23', by: 'p-staff' })
    expect(verified.events.map((e) => e.type)).toEqual(['city_verified'])
    expect(verified.messages.find((m) => m.to.kind === 'township')!.text).toContain('已通过市级核验')
    const accepted = ok(run(verified.patch, { type: 'accept' }, staff))
    expect(accepted.patch.state).toBe('closed')
    expect(accepted.patch.rectification!.acceptedOn).toBe('2026-11-23')
  })

  test('不通过 sends the patch back to 整改中; the event keeps what was reported', () => {
    const rectified = ok(run(rectifying({ farmlandMu: 12 }), demolish, official)).patch
    const r = ok(run(rectified, failed, staff))
    expect(r.patch.state).toBe('rectifying')
    expect(r.patch.rectification).toBeUndefined()
    expect(r.events[0]).toMatchObject({ type: 'city_verification_failed', data: { docNo: '桂林土卫片办〔2026〕6号', rectification: { measure: 'demolished_restored' } } })
    expect(r.messages.find((m) => m.to.kind === 'township')!.text).toContain('未通过市级核验')
    expect(r.patch.due.rectify_unplanned).toBeDefined()
  })

  test('a 补办 after a failed 拆除复耕 is not held for the city (001:41 is about 拆除复耕 only)', () => {
    const back = ok(run(ok(run(rectifying({ farmlandMu: 12 }), demolish, official)).patch, failed, staff)).patch
    const permits = ok(run(back, { type: 'reportRectification', measure: 'permits_completed', docNo: '桂政土批〔2026〕3号' }, official)).patch
    expect(permits.flags).toContain('city_verification')
    expect(ok(run(permits, { type: 'accept' }, staff)).patch.state).toBe('closed')
  })

  test.each<[string, () => PatchSnapshot, Action, Actor, string]>([
    ['no verification needed', () => ok(run(rectifying(), demolish, official)).patch, passed, staff, 'invalid_input'],
    ['no document number', () => ok(run(rectifying({ farmlandMu: 12 }), demolish, official)).patch, { ...passed, docNo: ' ' } as Action, staff, 'reason_required'],
    ['a township official', () => ok(run(rectifying({ farmlandMu: 12 }), demolish, official)).patch, passed, official, 'forbidden'],
    ['a leader', () => ok(run(rectifying({ farmlandMu: 12 }), demolish, official)).patch, passed, leader, 'forbidden'],
    ['before the rectification is reported', () => rectifying({ farmlandMu: 12 }), passed, staff, 'wrong_state'],
    ['a result that is neither', () => ok(run(rectifying({ farmlandMu: 12 }), demolish, official)).patch, { ...passed, result: 'maybe' } as unknown as Action, staff, 'invalid_input'],
  ])('refused: %s', (_name, make, action, actor, code) => {
    expect(refused(run(make(), action, actor)).code).toBe(code)
  })
})

describe('accountabilityItemOf: a remedy is deducted only once accepted (001:71-73, 001:47, 001:41)', () => {
  const judgment = { kind: 'illegal' as const, violationType: '新增建设用地违法' as const, landUse: 'new_construction' as const }
  const rect = (o: Partial<RectificationRecord> = {}): RectificationRecord => ({ measure: 'demolished_restored', reportedOn: '2026-11-23', missing: [], ...o })
  const city = { result: 'passed' as const, docNo: '桂林土卫片办〔2026〕5号', on: '2026-11-24', by: '1' }
  test.each<[string, Partial<PatchSnapshot>, string, string]>([
    ['整改中, nothing reported', { state: 'rectifying' }, 'none', 'none'],
    ['已整改 but incomplete (no photo after judgment)', { state: 'rectifying', rectification: rect({ missing: ['照片'] }) }, 'none', 'none'],
    ['001:73 已拆除复耕 reported, not accepted: a claim', { state: 'rectified', rectification: rect() }, 'reported', 'none'],
    ['001:71 已补办 reported, not accepted: a claim', { state: 'rectified', rectification: rect({ measure: 'permits_completed', docNo: 'x' }) }, 'reported', 'none'],
    ['001:73 拆除复耕 accepted', { state: 'closed', rectification: rect() }, 'accepted', 'demolished_restored'],
    ['001:71 补办 accepted', { state: 'closed', rectification: rect({ measure: 'permits_completed', docNo: 'x' }) }, 'accepted', 'permits_completed'],
    ['001:41 拆除复耕 for the city, no result yet', { state: 'rectified', rectification: rect({ cityVerificationRequired: true }) }, 'awaiting_city', 'none'],
    ['001:41 拆除复耕 for the city, passed, not yet accepted', { state: 'rectified', rectification: rect({ cityVerificationRequired: true, cityVerification: city }) }, 'reported', 'none'],
    ['001:41 拆除复耕 for the city, passed and accepted', { state: 'closed', rectification: rect({ cityVerificationRequired: true, cityVerification: city }) }, 'accepted', 'demolished_restored'],
    ['001:41 an older record closed without the city result (flag only)', { state: 'closed', flags: ['city_verification'], rectification: rect() }, 'awaiting_city', 'none'],
    ['立案 accepted remedies nothing', { state: 'closed', rectification: rect({ measure: 'case_filed', caseNo: 'x' }) }, 'accepted', 'none'],
  ])('%s → %s, remedy %s', (_name, over, standing, remedy) => {
    const s = patchSnapshot({ judgment, farmlandMu: 4, ...over })
    expect(remedyStanding(s)).toBe(standing)
    expect(accountabilityItemOf(s)!.remedy).toBe(remedy)
  })
})

describe('the township ratio through a cycle: a reported 拆除复耕 changes nothing until 验收 (001:73, 001:79)', () => {
  const township = { id: 1, code: ZIYUAN, name: '资源镇' }
  const legal = patchSnapshot({
    id: '2', number: 'JC2026450329002', state: 'closed', farmlandMu: 6,
    judgment: { kind: 'legal', approvalNo: '桂政土批〔2026〕1号' },
  })
  const ratioOf = (p: PatchSnapshot) =>
    townshipFacts(township, [p, legal].map((s) => ({ row: { number: s.number, military: false }, snapshot: s, township })), '2026-11-23', defaultPolicy).accountability

  test.each<[string, number]>([['耕地 6亩', 6], ['耕地 12亩 (city 核验, 001:41)', 12]])('%s', (_name, farmlandMu) => {
    const judged = rectifying({ farmlandMu })
    const before = ratioOf(judged)
    expect(before.illegalMu).toBe(farmlandMu)
    expect(before.ratio).toBeCloseTo(farmlandMu / (farmlandMu + 6), 9)
    expect(before.triggered).toBe(true) // ≥5亩 and ≥15% (001:79)

    let p = ok(run(judged, demolish, official)).patch
    expect(p.state).toBe('rectified')
    expect(ratioOf(p)).toEqual(before) // reported: a claim, the ratio stands
    if (p.rectification!.cityVerificationRequired) {
      expect(refused(run(p, { type: 'accept' }, staff)).code).toBe('city_verification_pending')
      p = ok(run(p, passed, staff)).patch
      expect(ratioOf(p)).toEqual(before) // the city has passed it, the county has not accepted yet
    }
    p = ok(run(p, { type: 'accept' }, staff)).patch
    const after = ratioOf(p)
    expect(after).toMatchObject({ illegalMu: 0, totalMu: 6, ratio: 0, triggered: false }) // deducted from both (001:73)
  })
})

describe('the bulletin counts 整改 only for accepted 拆除复耕 / 补办 (001:71-73; 立案 is a case step, 004:29)', () => {
  const judgment = { kind: 'illegal' as const, violationType: '新增建设用地违法' as const, landUse: 'new_construction' as const }
  const rect = (measure: RectificationRecord['measure']): RectificationRecord => ({ measure, reportedOn: '2026-11-10', missing: [], docNo: 'x', caseNo: 'x' })
  test.each<[string, Partial<PatchSnapshot>, number]>([
    ['已拆除复耕 reported', { state: 'rectified', rectification: rect('demolished_restored') }, 0],
    ['已拆除复耕 accepted', { state: 'closed', rectification: rect('demolished_restored') }, 1],
    ['已补办 accepted', { state: 'closed', rectification: rect('permits_completed') }, 1],
    ['已立案 accepted', { state: 'closed', rectification: rect('case_filed') }, 0],
    ['拆除复耕 for the city, accepted without its result (older record)', { state: 'closed', flags: ['city_verification'], rectification: rect('demolished_restored') }, 0],
  ])('%s → done %d', (_name, over, done) => {
    const s = patchSnapshot({ judgment, judgedOn: '2026-11-01', rectifiedOn: '2026-11-10', issuedOn: '2026-10-20', ...over })
    const [f] = monthFigures([{ code: ZIYUAN, name: '资源镇' }], [{ snapshot: s, townshipCode: ZIYUAN }], '2026-11', defaultPolicy)
    expect(f!.rectification).toEqual({ due: 1, done })
  })
})

describe('004:29 the case record: 立案 onwards inside 整改中, recorded by the 县自然资源局 (001:41)', () => {
  const file: Action = { type: 'recordCase', stage: '立案', caseNo: '资自然资立〔2026〕12号' }
  test('立案 keeps the patch in 整改中 with its clock, and answers 004:41 "立案查处" (淄川 preset)', () => {
    const before = rectifying({}, zichuan)
    expect(before.due.new_violation_escalate).toBeDefined()
    expect(rectifying().due.new_violation_escalate).toBeUndefined() // 资源县: 001 alone
    const r = ok(run(before, file, staff, zichuan))
    expect(r.patch.state).toBe('rectifying')
    expect(r.patch.caseRecord).toEqual({ caseNo: '资自然资立〔2026〕12号', stage: '立案', stages: [{ stage: '立案', on: '2026-11-23', by: 'p-staff' }] })
    expect(r.patch.due.rectify_unplanned).toBeDefined()
    expect(r.patch.due.new_violation_escalate).toBeUndefined()
    expect(r.events.map((e) => e.type)).toEqual(['case_stage'])
    expect(r.messages.find((m) => m.to.kind === 'township')!.text).toContain('立案不等于整改到位')
    expect(remedyStanding(r.patch)).toBe('none')
    expect(accountabilityItemOf(r.patch)!.remedy).toBe('none')
  })
  test('the stages go forward in 004:29 order; 处罚 carries its decision', () => {
    let p = ok(run(rectifying(), file, staff)).patch
    p = ok(run(p, { type: 'recordCase', stage: '调查' }, staff)).patch
    expect(refused(run(p, { type: 'recordCase', stage: '处罚' }, staff)).code).toBe('reason_required')
    p = ok(run(p, { type: 'recordCase', stage: '处罚', docNo: '资自然资罚〔2026〕12号' }, staff)).patch
    expect(p.caseRecord!.stages.map((s) => s.stage)).toEqual(['立案', '调查', '处罚'])
    const back = refused(run(p, { type: 'recordCase', stage: '告知' }, staff))
    expect(back.code).toBe('invalid_input')
    expect(back.reason).toContain('已到「处罚」环节')
  })
  test.each<[string, Action, string]>([
    ['a later stage before 立案', { type: 'recordCase', stage: '调查' }, 'reason_required'],
    ['立案 without its number', { type: 'recordCase', stage: '立案' }, 'reason_required'],
    ['a stage that is not one', { type: 'recordCase', stage: '结案' } as unknown as Action, 'invalid_input'],
  ])('refused: %s', (_name, action, code) => {
    expect(refused(run(rectifying(), action, staff)).code).toBe(code)
  })
})

describe('which patches count (issue 12 point 9, 001:69, 001:77)', () => {
  const judgment = { kind: 'illegal' as const, violationType: '违法采矿' as const, landUse: 'new_construction' as const }
  test('001:69 a mineral patch is never in the ratio', () => {
    expect(accountabilityItemOf(patchSnapshot({ kind: 'mineral', state: 'rectifying', farmlandMu: 3, judgment }))).toBeUndefined()
    expect(accountabilityItemOf(patchSnapshot({ kind: 'land', state: 'rectifying', farmlandMu: 3, judgment }))).toMatchObject({ farmlandMu: 3, remedy: 'none' })
  })
})
