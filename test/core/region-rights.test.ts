import { describe, expect, it } from 'vitest'
import { authorize, countyScope, countyStanding, COMMANDS, defaultPolicy, type CounterFacts } from '../../core/index.js'

// A city or province chat reads its counties and acts on none of their patches (policy choice beside
// 001_8c1f6dae78f37652.txt:33 "县级判定上报"); its county line is 001_8c1f6dae78f37652.txt:79.
describe('a city or province chat', () => {
  const READS = new Set(['help', 'unknown', 'stats', 'overdue', 'bind', 'claim', 'register', 'unregister'])
  for (const level of ['city', 'province'] as const) {
    it.each(COMMANDS.map((c) => [c]))(`${level}: %s`, (command) => {
      const verdict = authorize(command, { role: 'admin' }, { kind: 'leader', level })
      if (READS.has(command)) expect(verdict.ok).toBe(true)
      else expect(verdict).toMatchObject({ ok: false, code: 'read_only_level' })
    })
  }
  it('a county chat is not limited by it', () => {
    expect(authorize('confirm', { role: 'staff' }, { kind: 'office' }).ok).toBe(true)
  })
})

describe('统计 <县名> in a city chat', () => {
  const counties = [{ code: '450329', name: '资源县' }, { code: '450332', name: '恭城瑶族自治县' }]
  it.each([
    ['资源县', '450329'], ['资源', '450329'], ['450329', '450329'], ['恭城瑶族', '450332'], ['恭城瑶族自治县', '450332'],
  ])('%s → %s', (q, code) => {
    const r = countyScope(q, counties)
    expect(r.ok && r.county?.code).toBe(code)
  })
  it('no name: every county; an unknown one: the list', () => {
    expect(countyScope(undefined, counties)).toEqual({ ok: true, county: undefined })
    expect(countyScope('阳朔', counties)).toMatchObject({ ok: false, reason: expect.stringContaining('资源县、恭城瑶族自治县') })
  })
})

describe('a county against the county line (001_8c1f6dae78f37652.txt:79: 100亩 and 15%)', () => {
  const facts = (judgmentKind: 'legal' | 'illegal', mu: number): CounterFacts => ({
    townshipId: 1, issuedMonth: '2026-07', state: 'rectifying', kind: 'land', military: false, judgmentKind, landUse: judgmentKind === 'illegal' ? 'new_construction' : '',
    measure: '', rectComplete: false, cityRequired: '', cityFlag: false, cityPassed: false, hasRemedied: false, n: 1, farmlandUnits: mu * 1e4, basicUnits: 0, generalUnits: 0,
    areaUnits: mu * 1e4, deductDemolishedUnits: 0, deductPermittedUnits: 0, demolishedAreaUnits: 0, permittedAreaUnits: 0, leftAreaUnits: 0,
  })
  it.each([
    // illegal, legal, triggered, closeness
    [100, 566.66, true, 1],
    [99.99, 500, false, 0.9999],
    [150, 1000, false, 0.8696],
    [0, 10, false, 0],
  ])('%s亩 illegal beside %s亩 legal', (illegal, legal, triggered, closeness) => {
    const s = countyStanding({ code: '450329', name: '资源县' }, [facts('illegal', illegal), facts('legal', legal)], '2026', defaultPolicy)
    expect(s.accountability.triggered).toBe(triggered)
    expect(s.closeness).toBeCloseTo(closeness, 3)
  })
  it('counts only the year asked', () => {
    const s = countyStanding({ code: '450329', name: '资源县' }, [{ ...facts('illegal', 200), issuedMonth: '2025-12' }], '2026')
    expect(s.accountability.illegalMu).toBe(0)
  })
})
