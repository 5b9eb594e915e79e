import { describe, expect, test } from 'vitest'
import { PRESETS, PolicyError, defaultPolicy, resolvePolicy, validatePolicy, wulongOverrides, xingyangOverrides, yearSchedule, zichuanOverrides } from '../../core/index.js'
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

// ---- issue 12 point 16: 资源县 is 001 alone; each county's rule is on in its own preset ----
describe('profiles: each rule on in the preset of the county whose document has it', () => {
  const p = (code: keyof typeof PRESETS) => resolvePolicy(PRESETS[code])
  test.each([
    ['004:41 2/3 working days to 报大队/立案', (x: ReturnType<typeof p>) => x.deadlines.newViolation.enabled, '004'],
    ['003:99 monthly progress on the 20th', (x: ReturnType<typeof p>) => x.periodic.progressDay !== null, '003'],
    ['003:103 通报 reported in 3 working days', (x: ReturnType<typeof p>) => x.deadlines.bulletinReport.enabled, '003'],
    ['003:45 wider field-check list', (x: ReturnType<typeof p>) => x.keyPatch.wider.enabled, '003'],
    ['000:41 警示约谈 areas', (x: ReturnType<typeof p>) => x.warningTalk.enabled, '000'],
    ['004:47 局分管负责人 approves the bulletin', (x: ReturnType<typeof p>) => x.bulletin.approvedBy === '局分管负责人', '004'],
    ['002:33 15-day judgment', (x: ReturnType<typeof p>) => x.deadlines.judgment.enabled, '002'],
  ])('%s: only in %s', (_name, on, county) => {
    for (const code of Object.keys(PRESETS) as Array<keyof typeof PRESETS>) expect(on(p(code)), code).toBe(code === county)
  })
  test('资源县 (001) is the default itself, and its monthly schedule has no 003 progress date', () => {
    expect(p('001')).toEqual(defaultPolicy)
    expect(yearSchedule(2026).some((d) => d.kind === 'progress')).toBe(false)
    expect(yearSchedule(2026, p('003')).filter((d) => d.kind === 'progress')).toHaveLength(12)
  })
  test.each([
    ['000', '沂源县2019', '县自然资源局', '000_7f891be42bc71ff5.txt'],
    ['001', '资源县2023（默认）', '县自然资源局', '001_8c1f6dae78f37652.txt'],
    ['002', '武隆区2021', '区规划自然资源局', '002_ad387473bb9415ab.txt'],
    ['003', '荥阳市2018', '市国土资源局', '003_2681e0387a043106.txt'],
    ['004', '淄川区2022', '区自然资源局执法监察大队', '004_cc43135be01a58c0.txt'],
  ] as const)('preset %s: %s, lead office %s, its own document, says what it lacks', (code, profile, lead, source) => {
    const x = p(code)
    expect([x.profile, x.routing.lead, x.source]).toEqual([profile, lead, source])
    expect(validatePolicy(x)).toEqual([])
    expect(x.gaps.length).toBeGreaterThan(0)
    // every department rule of a preset cites a line of the preset's own document or of 002's routing
    for (const r of x.routing.rules) expect(r.rule.startsWith(source.slice(0, 3)) || r.rule.startsWith('002_'), `${code} ${r.department}`).toBe(true)
  })
  test('002:46-60 武隆 names its own 区 departments; 003:105 荥阳 约谈 in 3 working days; 淄川 issuer 004:47', () => {
    expect(resolvePolicy(wulongOverrides).routing.rules.map((r) => r.department)).toEqual([
      '区农业农村委', '区城市管理局', '区交通局', '区生态环境局', '区水利局', '区林业局', '区公安局', '区经济信息委',
    ])
    expect(resolvePolicy(xingyangOverrides).deadlines.talkReport.period).toEqual({ days: 3, unit: 'workdays' })
    expect(defaultPolicy.deadlines.talkReport.period).toEqual({ days: 5, unit: 'workdays' })
    expect(resolvePolicy(zichuanOverrides).letters.issuer).toBe('{county}自然资源局执法监察大队')
  })
})

// ---- issue 12 point 17: every invented number says so ----
describe('policy choices are marked', () => {
  const src = readFileSync(new URL('../../core/policy.ts', import.meta.url), 'utf8')
  test.each(['warningOverdueWorkdays: 3', 'officeAfterOverdueWorkdays: 1', 'supervisionOverdueWorkdays: 10', 'nearFactor: 0.8', 'leadWorkdays: [3, 1]', 'maxPhotoDistanceM: 500'])(
    '%s has a policy choice comment right above it',
    (line) => {
      const lines = src.split('\n')
      const at = lines.findIndex((l) => l.trim().startsWith(line))
      expect(at, line).toBeGreaterThan(0)
      const above = lines.slice(Math.max(0, at - 4), at).join('\n')
      expect(above, line).toMatch(/policy choice/)
    },
  )
  test('the calendar no longer claims estimated dates "err early" (a make-up working Sunday breaks it)', () => {
    const cal = readFileSync(new URL('../../core/calendar.ts', import.meta.url), 'utf8')
    expect(cal).not.toMatch(/errs? early/)
    expect(cal).toMatch(/estimated/)
  })
})
