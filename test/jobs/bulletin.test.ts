import { readFileSync } from 'node:fs'
import { describe, expect, it, test } from 'vitest'
import { strFromU8, unzipSync } from 'fflate'
import { accountabilityYearOfMonth, buildBulletin, chineseDocDate, defaultPolicy, resolvePolicy, type PatchSnapshot } from '../../core/index.js'
import { renderChart } from '../../render/bar-chart.js'
import { monthFigures } from '../../core/bulletin-figures.js'
import { officialDocx } from '../../render/official-docx.js'
import { bulletinBlocks } from '../../render/documents.js'
import { SCHEDULE, minuteOfDay, scheduleFromEnv, scheduleMarkdown } from '../../jobs/schedule.js'

const snap = (o: Partial<PatchSnapshot>): PatchSnapshot => ({
  id: '1', number: 'X', townshipCode: '', kind: 'land', category: '其他变化类', areaMu: 10, farmlandMu: 0, basicFarmlandMu: 0,
  redLineMu: 0, issuedOn: '2026-02-01', military: false, state: 'dispatched',
  evidence: { photos: 1, flaggedPhotos: 0, locations: 0, documents: 0, fieldCheck: false }, flags: [], due: {}, ...o,
})
const reported = (on: string) => ({ judgment: { kind: 'legal' as const }, reportedOn: on, by: '1', missing: [] })

describe('the 每月5号通报 figures and ranking (February 2026, hand-computed)', () => {
  const townships = [
    { code: 'A', name: '甲镇' },
    { code: 'B', name: '乙乡' },
    { code: 'C', name: '丙镇' },
    { code: 'D', name: '丁乡' },
  ]
  const patches = [
    // 甲镇: two reports within the 10 days (due 12 Feb): 2 on time
    { townshipCode: 'A', snapshot: snap({ category: '新增非农建设类', issuedOn: '2026-02-02', state: 'reported', proposal: reported('2026-02-10') }) },
    { townshipCode: 'A', snapshot: snap({ category: '新增非农建设类', issuedOn: '2026-02-02', state: 'reported', proposal: reported('2026-02-12') }) },
    // 乙乡: one still unreported (due 30 Jan), one reported late (20 Feb, due 11 Feb): 2 overdue
    { townshipCode: 'B', snapshot: snap({ issuedOn: '2026-01-20', state: 'dispatched' }) },
    { townshipCode: 'B', snapshot: snap({ issuedOn: '2026-02-01', state: 'reported', proposal: reported('2026-02-20') }) },
    // 丙镇: reported on time, judged 违法 on 27 Feb (monthly report due 20 Mar: on time) → 2 on time,
    // one new violation, 6亩 illegal of 6亩 → 100%; its 2-working-day report is due 2 Mar (28 Feb is a
    // make-up Saturday), after the month: not overdue
    {
      townshipCode: 'C',
      snapshot: snap({
        category: '新增非农建设类', state: 'rectifying', farmlandMu: 6, proposal: reported('2026-02-05'), judgedOn: '2026-02-27',
        judgment: { kind: 'illegal', violationType: '新增建设用地违法', landUse: 'new_construction' },
      }),
    },
    // military land is reported separately, never ranked (001:61)
    { townshipCode: 'D', military: true, snapshot: snap({ issuedOn: '2026-01-05', military: true }) },
  ]

  it('computes each township’s figures', () => {
    const f = monthFigures(townships, patches, '2026-02', defaultPolicy)
    const pick = (code: string) => f.find((x) => x.townshipCode === code)!
    expect(pick('A')).toMatchObject({ handledOnTime: 2, overdue: 0, newViolations: 0, illegalFarmlandMu: 0, rectification: { due: 0, done: 0 } })
    expect(pick('B')).toMatchObject({ handledOnTime: 0, overdue: 2, newViolations: 0 })
    expect(pick('C')).toMatchObject({ handledOnTime: 2, overdue: 0, newViolations: 1, illegalFarmlandMu: 6, ratio: 1, rectification: { due: 1, done: 0 } })
    expect(pick('D')).toMatchObject({ handledOnTime: 0, overdue: 0, newViolations: 0 })
  })

  it('ranks by the policy keys: 甲 (more on time than 丁), 丁, 丙 (a new violation), 乙 (overdue)', () => {
    const b = buildBulletin({ county: '资源县', period: '2026-02', townships: monthFigures(townships, patches, '2026-02', defaultPolicy) }, defaultPolicy)
    expect(b.ranking.map((r) => [r.rank, r.name])).toEqual([
      [1, '甲镇'],
      [2, '丁乡'],
      [3, '丙镇'],
      [4, '乙乡'],
    ])
    expect(b.publishOn).toBe('2026-03-05')
    // 004:47 each new violation with its own clock (deadlinesFor): 丙镇's patch, measure not chosen (001:43)
    expect(b.requirements.map((r) => [r.name, r.patches])).toEqual([
      ['丙镇', [{ patchNo: 'X', demands: [{ label: '整改到位（整改措施未确定）（3个月内）', due: '2026-05-27' }], lapsed: [] }]],
    ])
    expect(b.text).toContain('X：须于2026年5月27日前完成整改到位（整改措施未确定）（3个月内）')
    expect(b.text).toContain('第1名 甲镇：按时办理2项，逾期0项')
  })

  it('writes the bulletin as a .docx', async () => {
    const b = buildBulletin({ county: '资源县', period: '2026-02', townships: monthFigures(townships, patches, '2026-02', defaultPolicy) }, defaultPolicy)
    const bytes = await officialDocx({ title: b.title, paragraphs: bulletinBlocks(b, defaultPolicy), signature: '资源县卫片办', dateText: chineseDocDate(b.publishOn) })
    const files = unzipSync(bytes)
    const xml = strFromU8(files['word/document.xml']!)
    expect(xml).toContain('资源县2026年2月自然资源卫片执法工作排名通报')
    expect(xml).toContain('二〇二六年三月五日')
    // the ranking is a ruled table after the lead paragraph, not one long paragraph
    expect(xml).not.toContain('第4名 乙乡')
    const tables = xml.match(/<w:tbl>.*?<\/w:tbl>/gs) ?? []
    expect(tables).toHaveLength(1)
    const rows = (tables[0]!.match(/<w:tr[ >].*?<\/w:tr>/gs) ?? []).map((r) => [...r.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]))
    expect(rows[0]).toEqual(['名次', '乡（镇）', '按时办理（项）', '逾期（项）', '新增违法（宗）', '违法占用耕地（亩）', '违法占用耕地比例', '整改（已整改/应整改，宗）'])
    expect(rows.slice(1, 5).map((r) => r.slice(0, 2))).toEqual([['1', '甲镇'], ['2', '丁乡'], ['3', '丙镇'], ['4', '乙乡']])
    expect(rows[5]![0]).toBe('合计')
    expect(xml.indexOf('见下表')).toBeLessThan(xml.indexOf('<w:tbl>'))
    expect(xml).toContain('w:tblHeader') // the header row repeats on each page
    // the ratio chart, when some township has illegal 耕地
    const charted = b.ranking.some((t) => t.illegalFarmlandMu > 0)
    expect(Object.keys(files).some((f) => /^word\/media\/.+\.png$/.test(f))).toBe(charted)
  })
})

describe('issue 12 point 10: the bulletin holds the same accountability year as 统计, digest and letters (001:79)', () => {
  const illegal = snap({
    category: '新增非农建设类', state: 'rectifying', farmlandMu: 6, issuedOn: '2026-11-02', judgedOn: '2026-11-20',
    judgment: { kind: 'illegal', violationType: '新增建设用地违法', landUse: 'new_construction' },
  })
  test.each([
    ['资源县: the January bulletin (its month ends after 001:59\'s Jan 20) holds the new year', defaultPolicy, 0],
    ['a county closing its year on Feb 10: January still holds last year', resolvePolicy({ accountabilityYear: { closesOn: { month: 2, day: 10 } } }), 6],
  ])('%s', (_name, policy, mu) => {
    const [f] = monthFigures([{ code: 'A', name: '甲镇' }], [{ townshipCode: 'A', snapshot: illegal }], '2027-01', policy)
    expect(f!.illegalFarmlandMu).toBe(mu)
    expect(accountabilityYearOfMonth('2027-01', policy)).toBe(mu ? 2026 : 2027)
  })
})

describe('004:47 a first bulletin before any patch was issued ranks nobody', () => {
  test('no patch in the county: says so, no 第1名', () => {
    const figures = monthFigures([{ code: 'A', name: '甲镇' }, { code: 'B', name: '乙乡' }], [], '2026-02', defaultPolicy)
    expect(figures.map((f) => f.patches)).toEqual([0, 0])
    const b = buildBulletin({ county: '资源县', period: '2026-02', townships: figures }, defaultPolicy)
    expect([b.noData, b.ranking]).toEqual([true, []])
    expect(b.text).toContain('尚无下发的卫片执法图斑，本期无排名数据，不作排名')
    expect(b.text).not.toContain('第1名')
  })
  test('a patch issued after the month does not count as data for it', () => {
    const later = [{ townshipCode: 'A', snapshot: snap({ issuedOn: '2026-03-02' }) }]
    expect(buildBulletin({ county: '资源县', period: '2026-02', townships: monthFigures([{ code: 'A', name: '甲镇' }], later, '2026-02', defaultPolicy) }, defaultPolicy).noData).toBe(true)
  })
})

describe('the schedule table and the chart', () => {
  it('is what README.md shows', () => {
    expect(readFileSync(new URL('../../README.md', import.meta.url), 'utf8')).toContain(scheduleMarkdown())
  })

  it('takes deployment times from the environment and refuses day fields', () => {
    const s = scheduleFromEnv({ JOB_CRON_BULLETIN_REMINDER: '15 16 * * *' })
    expect(minuteOfDay(s.find((j) => j.job === 'bulletin-reminder')!.cron)).toBe(16 * 60 + 15)
    expect(s.find((j) => j.job === 'digest')).toBe(SCHEDULE[0])
    expect(() => scheduleFromEnv({ JOB_CRON_DIGEST: '0 8 * * 1-5' })).toThrow(/工作日/)
    expect(() => scheduleFromEnv({ JOB_CRON_DIGEST: 'every morning' })).toThrow()
  })

  it('renders the farmland-ratio chart as PNG', () => {
    const png = renderChart('farmland-ratio', {
      threshold: 0.15,
      bars: [
        { label: '资源', code: '100', ratio: 0.18, mu: 6.2 },
        { label: '中峰', code: '101', ratio: 0.05, mu: 1 },
      ],
    })
    expect(Buffer.from(png).subarray(1, 4).toString()).toBe('PNG')
  })
})
