import { describe, expect, test } from 'vitest'
import { defaultPolicy, escalationFor, handoverSummary, photoFlagReasons, recordDue, resolvePolicy, resolveRecordDate, talkProposals, warningFor, xingyangOverrides, yearSchedule } from '../../core/index.js'

describe('warningFor: lead times in working days, escalation township → office → leaders', () => {
  test.each<[string, string, string | null, string[], string]>([
    ['2026-11-26', '2026-11-23', 'due_soon', ['township'], '3 working days before'],
    ['2026-11-25', '2026-11-23', null, [], '2 working days before: no warning'],
    ['2026-11-24', '2026-11-23', 'due_soon', ['township'], '"明天"'],
    ['2026-11-23', '2026-11-20', 'due_soon', ['township'], 'Friday for a Monday deadline is 1 working day'],
    ['2026-11-23', '2026-11-23', 'due_today', ['township'], 'due today'],
    ['2026-11-20', '2026-11-23', 'overdue', ['township', 'office'], 'overdue 1 working day'],
    ['2026-11-22', '2026-11-23', 'overdue', ['township', 'office'], 'due on a Sunday, Monday is overdue'],
    ['2026-11-18', '2026-11-23', 'overdue', ['township', 'office', 'leaders'], '3 working days overdue → leaders (004:41)'],
    ['2026-09-30', '2026-10-08', 'overdue', ['township', 'office'], 'National Day does not count'],
  ])('due %s seen %s → %s %j (%s)', (due, today, level, recipients) => {
    const w = warningFor(due, today, '核查上报')
    expect(w?.level ?? null).toBe(level)
    if (w) expect(w.recipients).toEqual(recipients)
  })
  test('text', () => {
    expect(warningFor('2026-11-24', '2026-11-23', '核查上报')!.text).toBe('核查上报将于明天（下一个工作日）到期（2026-11-24）。')
    expect(warningFor('2026-11-18', '2026-11-23', '核查上报')!.text).toBe('核查上报已逾期3个工作日（应于2026-11-18前完成）。')
  })
  test('a step due on a weekend or holiday is warned on the last working day before it', () => {
    // 2026-11-22 is a Sunday: Friday 20th is the last working day (rollOverHolidays is off, so the
    // township finishes before the weekend); 2026-10-03 is in 国庆: 30 September is the last one
    for (const [due, today] of [['2026-11-22', '2026-11-20'], ['2026-10-03', '2026-09-30']] as const) {
      const w = warningFor(due, today, '核查上报')
      expect(w?.level, `${due} seen ${today}`).toBe('due_today')
      expect(w!.recipients).toEqual(['township'])
      expect(w!.text).toBe(`核查上报将于${due}（非工作日）到期，今天是到期前最后一个工作日。`)
    }
    // the day before that last working day is still "明天"
    expect(warningFor('2026-11-22', '2026-11-19', '核查上报')?.level).toBe('due_soon')
  })
  test('escalationFor', () => {
    expect(escalationFor(0)).toEqual(['township'])
    expect(escalationFor(1)).toEqual(['township', 'office'])
    expect(escalationFor(3)).toEqual(['township', 'office', 'leaders'])
  })
})

describe('photoFlagReasons (policy evidence)', () => {
  test.each([
    [{ distanceM: 120, takenOn: '2026-11-22', issuedOn: '2026-11-20' }, 0],
    [{ distanceM: 500, issuedOn: '2026-11-20' }, 0],
    [{ distanceM: 501, issuedOn: '2026-11-20' }, 1],
    [{ takenOn: '2026-10-21', issuedOn: '2026-11-20' }, 0],
    [{ takenOn: '2026-10-20', issuedOn: '2026-11-20' }, 1],
    [{ distanceM: 900, takenOn: '2025-01-01', issuedOn: '2026-11-20' }, 2],
    [{ issuedOn: '2026-11-20' }, 0],
  ])('%j → %i reasons', (photo, n) => {
    expect(photoFlagReasons(photo)).toHaveLength(n)
  })
})

describe('yearSchedule (001:53-61, 003:99, 004:47)', () => {
  const s = yearSchedule(2026)
  const on = (kind: string) => s.filter((x) => x.kind === kind).map((x) => x.date)
  test('quarterly, half-year, annual, military', () => {
    expect(on('quarterly')).toEqual(['2026-01-20', '2026-04-30', '2026-07-20', '2026-10-20'])
    expect(on('half_year')).toEqual(['2026-06-25'])
    expect(on('annual')).toEqual(['2026-01-20'])
    expect(s.find((x) => x.kind === 'annual')!.label).toContain('2025年度')
    expect(on('military')).toEqual(['2026-06-30', '2026-12-31'])
  })
  test('monthly corrections on the 10th and 20th and bulletins by the 5th', () => {
    expect(on('correction')).toHaveLength(24)
    expect(on('bulletin')).toHaveLength(12)
    expect(on('bulletin')).toContain('2026-10-08')
    expect(s.find((x) => x.date === '2026-10-08')!.label).toContain('2026年9月')
  })
})

// ---- issue 12 point 12/14: the records' deadlines, warned like any other ----
describe('recordDue: 约谈/问责 reports (001:103, 003:105) and the 移交 year-end return (001:41)', () => {
  const xingyang = resolvePolicy(xingyangOverrides)
  test.each([
    ['约谈, 资源县: 5 working days (001:103)', 'talk', '2026-11-17', defaultPolicy, '2026-11-24', '001_8c1f6dae78f37652.txt:103'],
    ['约谈, 荥阳: 3 working days (003:105)', 'talk', '2026-11-17', xingyang, '2026-11-20', '003_2681e0387a043106.txt:105'],
    ['约谈 before National Day: working days skip the holiday', 'talk', '2026-09-29', defaultPolicy, '2026-10-12', '001_8c1f6dae78f37652.txt:103'],
    ['问责, 资源县: 5 working days (001:103)', 'accountability', '2026-11-17', defaultPolicy, '2026-11-24', '001_8c1f6dae78f37652.txt:103'],
    ['问责, 荥阳: 5 working days (003:105)', 'accountability', '2026-11-17', xingyang, '2026-11-24', '003_2681e0387a043106.txt:105'],
    ['移交: 年底前 (001:41)', 'handover', '2026-03-02', defaultPolicy, '2026-12-31', '001_8c1f6dae78f37652.txt:41'],
    ['公开通报, 荥阳: 3 working days (003:103)', 'bulletin', '2026-11-05', xingyang, '2026-11-10', '003_2681e0387a043106.txt:103'],
  ] as const)('%s', (_name, kind, heldOn, policy, due, rule) => {
    expect(recordDue(kind, heldOn, policy)).toMatchObject({ due, rule })
  })
  test('a finding calls for nothing by a date', () => expect(recordDue('finding', '2026-11-17')).toBeUndefined())
  test.each([
    [undefined, '2026-11-25', { ok: true, date: '2026-11-25' }],
    [{ month: 11, day: 20 }, '2026-11-25', { ok: true, date: '2026-11-20' }],
    [{ month: 11, day: 26 }, '2026-11-25', { ok: false }],
    [{ month: 2, day: 30 }, '2026-11-25', { ok: false }],
  ])('resolveRecordDate %j on %s', (spec, today, expected) => {
    expect(resolveRecordDate(spec, today)).toMatchObject(expected)
  })
  test('the warning of a record is warningFor on its due date (escalates the same way)', () => {
    const d = recordDue('talk', '2026-11-17')!
    expect(warningFor(d.due, '2026-11-19', d.label)!.level).toBe('due_soon')
    expect(warningFor(d.due, '2026-11-27', d.label)).toMatchObject({ level: 'overdue', workdays: 3, recipients: ['township', 'office', 'leaders'] })
  })
})

describe('talkProposals: 001:91 通报提醒指出的问题超过规定时限 → 提请县人民政府约谈', () => {
  const demand = { townshipCode: '450329100', name: '资源镇', patchNo: 'JC1', label: '拆除复耕（一个月内）', due: '2026-11-10', publishedOn: '2026-11-05' }
  const open = new Map([['JC1', [{ label: '拆除复耕（一个月内）', due: '2026-11-10' }]]])
  test.each([
    ['the date has passed, the step still open → proposed', [demand], open, new Map(), '2026-11-16', 1],
    ['on the due day itself: not yet', [demand], open, new Map(), '2026-11-10', 0],
    ['the step is done (no longer among the open steps)', [demand], new Map([['JC1', []]]), new Map(), '2026-11-16', 0],
    ['the clock moved (another measure chosen): a different step', [demand], new Map([['JC1', [{ label: '补办用地手续（3个月内）', due: '2027-01-10' }]]]), new Map(), '2026-11-16', 0],
    ['a 约谈 recorded after the date answers it', [demand], open, new Map([['450329100', '2026-11-12']]), '2026-11-16', 0],
    ['a 约谈 before the date does not', [demand], open, new Map([['450329100', '2026-11-02']]), '2026-11-16', 1],
    ['the same demand in two bulletins counts once', [demand, { ...demand, publishedOn: '2026-12-04' }], open, new Map(), '2026-12-07', 1],
  ])('%s', (_name, demands, steps, talks, today, items) => {
    const p = talkProposals(demands, steps, talks, today)
    expect(p.reduce((n, x) => n + x.items.length, 0)).toBe(items)
    if (items) expect(p[0]!.text).toContain('建议由县卫片办提请县人民政府约谈有关责任人')
  })
})

describe('handoverSummary (001:41 年底前将所有移交图斑处置结果报县卫片办)', () => {
  test.each([
    ['none', [], '2026-11-27', undefined],
    ['one open', [{ heldOn: '2026-11-25' }], '2026-11-27', '移交部门：1宗，已反馈处置结果0宗，未反馈1宗（须于2026-12-31前反馈）'],
    ['one back, one open', [{ heldOn: '2026-03-01', closedOn: '2026-04-01' }, { heldOn: '2026-11-25' }], '2026-11-27', '移交部门：2宗，已反馈处置结果1宗，未反馈1宗（须于2026-12-31前反馈）'],
    ['last year\'s still open in January: past its year-end', [{ heldOn: '2026-11-25' }], '2027-01-05', '移交部门：1宗，已反馈处置结果0宗，未反馈1宗（其中1宗已超过年底反馈期限）'],
    ['last year\'s returned ones are last year\'s', [{ heldOn: '2026-11-25', closedOn: '2026-12-01' }], '2027-01-05', undefined],
  ])('%s', (_name, records, today, text) => {
    expect(handoverSummary(records, today)).toBe(text)
  })
})
