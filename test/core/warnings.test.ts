import { describe, expect, test } from 'vitest'
import { defaultPolicy, escalationFor, handoverSummary, photoFlagReasons, photoVerdict, positionRefusal, recordDue, resolvePolicy, resolveRecordDate, talkProposals, warningFor, xingyangOverrides, yearSchedule } from '../../core/index.js'
import type { ImageFacts, PhotoPatch } from '../../core/index.js'

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

// ── issue 12 point 6: a photo is an image (001:45 现场照片), taken after the judgment (001:73), inside China ──
describe('photoVerdict: what the pipeline read off a file, decided by policy', () => {
  const photo = (o: Partial<ImageFacts> = {}): ImageFacts => ({ format: 'jpg', width: 4032, height: 3024, bytes: 3_000_000, ...o })
  const dispatched: PhotoPatch = { number: 'JC1', state: 'dispatched', issuedOn: '2026-11-20' }
  const rectifying: PhotoPatch = { number: 'JC1', state: 'rectifying', issuedOn: '2026-11-20', judgedOn: '2026-11-23', judgedAt: '2026-11-23T06:00:00.000Z' }
  test.each<[string, ImageFacts, PhotoPatch, RegExp | number]>([
    ['001:45 a phone JPEG counts', photo(), dispatched, 0],
    ['001:45 a PNG counts', photo({ format: 'png', width: 1080, height: 2340 }), dispatched, 0],
    ['001:45 an iPhone HEIC counts', photo({ format: 'heif' }), dispatched, 0],
    ['001:45 bytes with no image header are refused', photo({ format: undefined, width: undefined, height: undefined }), dispatched, /不是可识别的图片.*JPEG、PNG 或 HEIC/],
    ['001:45 a GIF is refused with the formats taken', photo({ format: 'gif' }), dispatched, /GIF格式.*只收JPEG、PNG、HEIC/],
    ['001:45 a PDF-like file without dimensions is refused', photo({ width: 0, height: 0 }), dispatched, /无法读出尺寸/],
    ['001:45 a 1×1 image is refused (a thumbnail, not a site)', photo({ width: 1, height: 1 }), dispatched, /1×1像素.*短边不少于240像素/],
    ['001:45 a 240-pixel side is taken ("不少于")', photo({ width: 320, height: 240 }), dispatched, 0],
    ['001:45 a long strip (20:1) is refused', photo({ width: 8000, height: 400 }), dispatched, /长图/],
    ['001:45 over 30 MB is refused', photo({ bytes: 31 * 1024 * 1024 }), dispatched, /超过30MB/],
    ['001:27 GPS at 0,0 is refused (not in China)', photo({ gps: { lon: 0, lat: 0 } }), dispatched, /不在我国境内/],
    ['001:27 swapped GPS (lat as lon) is refused', photo({ gps: { lon: 25.9, lat: 110.6 } }), dispatched, /不在我国境内/],
    ['001:27 GPS NaN is refused', photo({ gps: { lon: Number.NaN, lat: 26 } }), dispatched, /不是有效数字/],
    ['001:27 GPS in 资源县 counts', photo({ gps: { lon: 110.64, lat: 26.04 }, distanceM: 20 }), dispatched, 0],
    ['001:73 in 整改, taken after the judgment: counts', photo({ takenAt: '2026-11-23T07:00:00.000Z' }), rectifying, 0],
    ['001:73 in 整改, taken an hour before the judgment: flagged', photo({ takenAt: '2026-11-23T05:00:00.000Z' }), rectifying, 1],
    ['001:73 in 整改, no camera time: flagged (cannot show it was taken after)', photo(), rectifying, 1],
    ['001:73 before 整改 no time is no flag by itself', photo(), dispatched, 0],
    ['001:73 in 整改, an older patch with only the judgment date: the day counts', photo({ takenAt: '2026-11-22T17:00:00.000Z' }), { ...rectifying, judgedAt: undefined }, 0],
  ])('%s', (_name, facts, patch, expected) => {
    const v = photoVerdict(facts, patch)
    if (expected instanceof RegExp) {
      expect(v.refused).toBe(true)
      expect(v.refused && v.reason).toMatch(expected)
    } else {
      expect(v.refused).toBe(false)
      expect(!v.refused && v.flags).toHaveLength(expected)
    }
  })
  test('001:73 the flag says when it was taken, in China time, and when the patch was judged', () => {
    const v = photoVerdict(photo({ takenAt: '2026-11-23T05:00:00.000Z' }), rectifying)
    expect(!v.refused && v.flags[0]).toBe('拍摄时间2026-11-23 13:00早于2026-11-23判定，不是整改后的照片')
  })
  test.each<[string, { lon: number; lat: number }, boolean]>([
    ['资源县', { lon: 110.64, lat: 26.04 }, true],
    ['漠河 (the north)', { lon: 122.5, lat: 53.4 }, true],
    ['帕米尔 (the west)', { lon: 73.6, lat: 39.2 }, true],
    ['曾母暗沙 (the south)', { lon: 112.3, lat: 3.9 }, true],
    ['乌苏里江 (the east)', { lon: 134.7, lat: 48.3 }, true],
    ['0,0 in the Gulf of Guinea', { lon: 0, lat: 0 }, false],
    ['a western hemisphere sign error', { lon: -110.64, lat: 26.04 }, false],
    ['Infinity', { lon: Infinity, lat: 26 }, false],
  ])('positionRefusal: %s → usable %s', (_name, pos, usable) => {
    expect(positionRefusal(pos, '位置') === undefined).toBe(usable)
  })
})
