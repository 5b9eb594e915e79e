import { describe, expect, test } from 'vitest'
import { PolicyError, defaultPolicy, resolvePolicy, validatePolicy, wulongOverrides, xingyangOverrides } from '../../core/index.js'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

// the seeds live beside the repository (../shared/seeds); the citation check is skipped without them
const SEEDS = new URL('../../../shared/seeds', import.meta.url).pathname

describe('defaultPolicy: the numbers of the seeds', () => {
  test.each([
    ['001:53 verification 10 calendar days', defaultPolicy.deadlines.verification.period, { days: 10, unit: 'calendar' }],
    ['002:33 judgment 15 days', defaultPolicy.deadlines.judgment.period, { days: 15, unit: 'calendar' }],
    ['001:43 拆除复耕 one month', defaultPolicy.deadlines.rectification.demolished_restored.period, { months: 1, unit: 'months' }],
    ['001:43 补办 three months', defaultPolicy.deadlines.rectification.permits_completed.period, { months: 3, unit: 'months' }],
    ['004:41 report in 2 working days', defaultPolicy.deadlines.newViolation.report.period, { days: 2, unit: 'workdays' }],
    ['004:41 escalate after 3 working days', defaultPolicy.deadlines.newViolation.escalate.period, { days: 3, unit: 'workdays' }],
    ['003:103 通报 in 3 working days', defaultPolicy.deadlines.bulletinReport.period, { days: 3, unit: 'workdays' }],
    ['001:103 问责 in 5 working days', defaultPolicy.deadlines.accountabilityReport.period, { days: 5, unit: 'workdays' }],
  ])('%s', (_name, actual, expected) => expect(actual).toEqual(expected))

  test('001:53 monthly correction days 10th and 20th', () => {
    expect(defaultPolicy.periodic.correctionDays.map((c) => c.day)).toEqual([10, 20])
  })
  test('001:55 quarterly Apr 30, Jul 20, Oct 20, Jan 20; 001:57 Jun 25; 001:59 Jan 20; 001:61 June/December', () => {
    expect(defaultPolicy.periodic.quarterlySelfCheck.map((q) => [q.month, q.day])).toEqual([
      [4, 30],
      [7, 20],
      [10, 20],
      [1, 20],
    ])
    expect([defaultPolicy.periodic.halfYear.month, defaultPolicy.periodic.halfYear.day]).toEqual([6, 25])
    expect([defaultPolicy.periodic.annual.month, defaultPolicy.periodic.annual.day]).toEqual([1, 20])
    expect(defaultPolicy.periodic.militaryReportMonths.months).toEqual([6, 12])
  })
  test('001:35 key patch, 001:41 city verification, 001:79 accountability, 000:41 警示约谈, 004:47 bulletin', () => {
    const k = defaultPolicy.keyPatch
    expect([k.farmlandMu, k.basicFarmlandOrRedLineMu, k.mineralMu, k.demolitionBasicOrRedLineMu, k.demolitionFarmlandMu]).toEqual([50, 25, 5, 5, 25])
    expect(defaultPolicy.cityVerification).toMatchObject({ basicOrRedLineMu: 5, farmlandMu: 10 })
    expect(defaultPolicy.accountability.county).toEqual({ minMu: 100, minRatio: 0.15 })
    expect(defaultPolicy.accountability.township).toEqual({ minMu: 5, minRatio: 0.15 })
    expect(defaultPolicy.warningTalk).toMatchObject({ basicFarmlandOrReserveMu: 5, generalFarmlandMu: 10 })
    expect(defaultPolicy.bulletin.day).toBe(5)
    expect(validatePolicy(defaultPolicy)).toEqual([])
  })

  test.skipIf(!existsSync(SEEDS))('every seed citation in core/ points at an existing line of an existing seed', () => {
    const seeds = new Map(readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).map((f) => [f, readFileSync(join(SEEDS, f), 'utf8').split('\n').length]))
    const files: string[] = []
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name))
        else if (e.name.endsWith('.ts')) files.push(join(dir, e.name))
      }
    }
    walk(new URL('../../core', import.meta.url).pathname)
    let cited = 0
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(/(\d{3}_[0-9a-f]{16}\.txt):(\d+)/g)) {
        const lines = seeds.get(m[1]!)
        expect(lines, `${f}: ${m[0]}`).toBeDefined()
        expect(Number(m[2]), `${f}: ${m[0]}`).toBeLessThanOrEqual(lines!)
        cited++
      }
    }
    expect(cited).toBeGreaterThan(30)
  })
})

describe('resolvePolicy', () => {
  test('武隆 (002:33) turns on the 15-day judgment and keeps the rest', () => {
    const p = resolvePolicy(wulongOverrides)
    expect(p.deadlines.judgment.enabled).toBe(true)
    expect(p.deadlines.judgment.period).toEqual({ days: 15, unit: 'calendar' })
    expect(p.deadlines.verification).toEqual(defaultPolicy.deadlines.verification)
    expect(defaultPolicy.deadlines.judgment.enabled).toBe(false) // the default is not mutated
  })
  test('荥阳 (003:45, 003:105)', () => {
    const p = resolvePolicy(xingyangOverrides)
    expect(p.keyPatch.wider.enabled).toBe(true)
    expect(p.deadlines.talkReport.period).toEqual({ days: 3, unit: 'workdays' })
  })
  test('a period may switch unit', () => {
    const p = resolvePolicy({ deadlines: { verification: { period: { days: 7, unit: 'workdays' } } } })
    expect(p.deadlines.verification.period).toEqual({ days: 7, unit: 'workdays' })
    expect(p.deadlines.verification.rule).toBe('001_8c1f6dae78f37652.txt:53')
  })
  test('arrays replace', () => {
    expect(resolvePolicy({ warnings: { leadWorkdays: [2] } }).warnings.leadWorkdays).toEqual([2])
  })
  test.each([
    ['negative days', { deadlines: { verification: { period: { days: -1, unit: 'calendar' as const } } } }, /核查上报期限/],
    ['ratio given as 15 instead of 0.15', { accountability: { township: { minRatio: 15 } } }, /15%写作0.15/],
    ['bulletin on the 31st', { bulletin: { day: 31 } }, /通报日/],
    ['unknown key', { deadlines: { verificaton: {} } } as never, /未知的政策参数/],
    ['leaders before office', { escalation: { officeAfterOverdueWorkdays: 5, leadersAfterOverdueWorkdays: 2 } }, /报领导/],
    ['zero key-patch threshold', { keyPatch: { farmlandMu: 0 } }, /重点图斑耕地面积/],
    ['a yearly date on 29 February', { periodic: { halfYear: { month: 2, day: 29, label: 'x', rule: '001_8c1f6dae78f37652.txt:57' } } }, /不是有效的月日（2月29日）/],
    ['fractional months', { deadlines: { rectification: { permits_completed: { period: { months: 1.5, unit: 'months' as const } } } } }, /补办手续期限/],
    // issue 12 points 6, 8: the evidence checks
    ['no photo format', { evidenceChecks: { image: { formats: [] } } }, /照片格式列表不能为空/],
    ['a zero minimum side', { evidenceChecks: { image: { minSidePx: 0 } } }, /照片短边最小像素/],
    ['a China box the wrong way round', { evidenceChecks: { chinaBounds: { minLon: 135, maxLon: 73 } } }, /境内经纬度范围无效/],
    ['a field check without its seed line', { evidenceChecks: { fieldCheck: { rule: '' } } }, /实地核查记录 应注明依据/],
  ])('rejects nonsense: %s', (_name, overrides, message) => {
    expect(() => resolvePolicy(overrides)).toThrow(PolicyError)
    expect(() => resolvePolicy(overrides)).toThrow(message)
  })
})
