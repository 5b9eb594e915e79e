// The 每月5号通报 and the letters as official documents: rankings and figures as ruled tables (read
// back from the .docx XML), the ratio chart embedded where it helps, and the same content as a card.
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildBulletin, buildLetter, defaultPolicy, type TownshipMonthFigures } from '../../core/index.js'
import type { TownshipFacts } from '../../core/township-facts.js'
import { createMaterialiser } from '../../delivery/outbox/materialise.js'
import { chartSvg } from '../../render/bar-chart.js'
import { bulletinBlocks, bulletinCard, letterBlocks, publishedBulletinCard } from '../../render/documents.js'
import { officialDocx } from '../../render/official-docx.js'
import { openPglite, type TestDatabase } from '../support/databases.js'
import { decodePng } from '../support/png.js'

const t = (code: string, name: string, f: Partial<TownshipMonthFigures> = {}): TownshipMonthFigures => ({
  townshipCode: code, name, handledOnTime: 5, overdue: 0, newViolations: 0, illegalFarmlandMu: 0, ratio: 0, rectification: { due: 0, done: 0 }, ...f,
})
const bulletin = buildBulletin({
  county: '资源县',
  period: '2026-10',
  townships: [
    t('450329100', '资源镇', { overdue: 2, newViolations: 2, illegalFarmlandMu: 3.5, ratio: 0.12, rectification: { due: 4, done: 1 } }),
    t('450329101', '中峰镇', { handledOnTime: 7 }),
    t('450329204', '两水苗族乡', { overdue: 1, illegalFarmlandMu: 6, ratio: 0.2, rectification: { due: 2, done: 2 } }),
  ],
})

const cellsOf = (table: string) =>
  (table.match(/<w:tr[ >].*?<\/w:tr>/gs) ?? []).map((r) => [...r.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]))

describe('the bulletin as a .docx', async () => {
  const files = unzipSync(await officialDocx({ title: bulletin.title, paragraphs: bulletinBlocks(bulletin, defaultPolicy), signature: '资源县自然资源局', dateText: '二〇二六年十一月五日' }))
  const xml = strFromU8(files['word/document.xml']!)

  it('has the ranking as a table: rank, township, overdue, new violations, illegal 耕地 and ratio, rectification, and the total', () => {
    const tables = xml.match(/<w:tbl>.*?<\/w:tbl>/gs)!
    expect(tables).toHaveLength(1)
    const rows = cellsOf(tables[0]!)
    expect(rows[1]).toEqual(['1', '中峰镇', '7', '0', '0', '0', '0.0%', '0/0'])
    expect(rows.find((r) => r[1] === '资源镇')).toEqual(['3', '资源镇', '5', '2', '2', '3.5', '12.0%', '1/4'])
    expect(rows.find((r) => r[1] === '两水苗族乡')).toEqual(['2', '两水苗族乡', '5', '1', '0', '6', '20.0%', '2/2'])
    expect(rows.at(-1)).toEqual(['合计', '', '17', '3', '2', '9.5', '—', '3/6'])
    expect(xml).toContain('2026年10月各乡（镇）卫片执法工作排名') // the table's caption
  })

  it('embeds the ratio chart with the 问责 line under the table', () => {
    const media = Object.keys(files).filter((f) => /^word\/media\/.+\.png$/.test(f))
    expect(media).toHaveLength(1)
    expect(decodePng(files[media[0]!]!).width).toBe(560)
    const line = `${(defaultPolicy.accountability.township.minRatio * 100).toFixed(1)}%`
    expect(xml).toContain(`各乡（镇）违法占用耕地比例（虚线为问责线${line}）`)
    expect(xml.indexOf('</w:tbl>')).toBeLessThan(xml.indexOf('<w:drawing>'))
    // the chart's labels are drawn: the townships' short names
    const svg = chartSvg('farmland-ratio', { threshold: 0.15, bars: [{ label: '两水', code: '204', ratio: 0.2, mu: 6 }] })
    expect(svg).toContain('data-label="两水"')
    expect(svg).toContain('data-label="20.0%"')
  })

  it('keeps the requirements for the townships with new violations as paragraphs after the table', () => {
    expect(xml.indexOf('</w:tbl>')).toBeLessThan(xml.indexOf('三、查处整改时限及要求'))
    expect(xml).toContain('资源镇上月新增违法用地2宗')
  })

  it('leaves the chart out when no township has illegal 耕地', async () => {
    const quiet = buildBulletin({ county: '资源县', period: '2026-10', townships: [t('450329101', '中峰镇')] })
    const f = unzipSync(await officialDocx({ title: quiet.title, paragraphs: bulletinBlocks(quiet, defaultPolicy), signature: 'x', dateText: 'y' }))
    expect(Object.keys(f).some((k) => k.startsWith('word/media/'))).toBe(false)
    expect(publishedBulletinCard(quiet, 'x', defaultPolicy).chartOf).toBeUndefined()
  })
})

describe('the bulletin in the chat', () => {
  let d: TestDatabase
  beforeAll(async () => {
    d = await openPglite()
  })
  afterAll(async () => d?.close())

  it('as published: one row per township with its figures, the requirements, and the chart as the picture', async () => {
    const card = publishedBulletinCard(bulletin, '资源县自然资源局', defaultPolicy)
    expect(card.title).toBe('资源县2026年10月自然资源卫片执法工作排名通报')
    expect(card.fields).toEqual([
      ['第1名 中峰镇', '逾期0项｜新增违法0宗｜违法占用耕地0亩（0.0%）｜整改0/0宗'],
      ['第2名 两水苗族乡', '逾期1项｜新增违法0宗｜违法占用耕地6亩（20.0%）｜整改2/2宗'],
      ['第3名 资源镇', '逾期2项｜新增违法2宗｜违法占用耕地3.5亩（12.0%）｜整改1/4宗'],
    ])
    expect(card.text).toContain('资源镇上月新增违法用地2宗')
    const out = await createMaterialiser(d.db)({ kind: 'card', card })
    expect(out.kind).toBe('card')
    const png = out.kind === 'card' ? out.card.image?.png : undefined
    expect(decodePng(png!).width).toBe(560)
  })

  it('for approval: the same rows between the date and the new violations', () => {
    const card = bulletinCard(1, bulletin)
    expect(card.fields.map(([k]) => k)).toEqual(['发布日期', '第1名 中峰镇', '第2名 两水苗族乡', '第3名 资源镇', '新增违法'])
    expect(card.text).not.toContain('第1名') // no long paragraph repeating the rows
  })
})

describe('a letter as a .docx', () => {
  it('has its figures against the 问责 line and the overdue items as tables after the reasons', async () => {
    const facts: TownshipFacts = {
      township: { id: 1, code: '450329100', name: '资源镇' },
      year: 2026,
      accountability: { illegalMu: 7.5, totalMu: 30, ratio: 0.25, triggered: true },
      overdue: [
        { patchNo: 'JC2026450329001', label: '核查上报', due: '2026-11-11', overdueWorkdays: 4 },
        { patchNo: 'JC2026450329002', label: '拆除复耕', due: '2026-11-13', overdueWorkdays: 2 },
      ],
      warningTalk: { required: false, reasons: [] },
    }
    const reasons = ['违法占用耕地比例25.0%', '2项工作逾期']
    const letter = buildLetter({ kind: 'warning_reminder', county: '资源县', township: '资源镇', reasons, date: '2026-11-17' })
    const blocks = letterBlocks(letter.paragraphs, 1 + reasons.length, facts, defaultPolicy)
    const xml = strFromU8(unzipSync(await officialDocx({ title: letter.title, to: letter.to, paragraphs: blocks, signature: letter.signature, dateText: letter.dateText }))['word/document.xml']!)
    const tables = xml.match(/<w:tbl>.*?<\/w:tbl>/gs)!
    expect(tables).toHaveLength(2)
    const figures = cellsOf(tables[0]!)
    expect(figures[0]).toEqual(['指标', '数值', '问责线'])
    expect(figures[1]).toEqual(['违法占用耕地面积', '7.5亩', `${defaultPolicy.accountability.township.minMu}亩`])
    expect(figures[3]).toEqual(['违法占用耕地比例', '25.0%', `${(defaultPolicy.accountability.township.minRatio * 100).toFixed(1)}%`])
    expect(cellsOf(tables[1]!)[1]).toEqual(['1', 'JC2026450329001', '核查上报', '2026年11月11日', '4'])
    // after the reasons, before the closing request
    expect(xml.indexOf('2项工作逾期')).toBeLessThan(xml.indexOf('<w:tbl>'))
    expect(xml.lastIndexOf('</w:tbl>')).toBeLessThan(xml.indexOf('现予以警示提醒'))
  })
})
