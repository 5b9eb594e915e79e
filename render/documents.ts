// Bulletin and letter drafts as documents rows (draft → sent | returned | discarded) with their .docx,
// and the cards that ask for a decision. Used by the jobs and by the pipeline's 重拟通报.
import type { Transaction } from 'kysely'
import {
  arabicDocDate,
  buildBulletin,
  buildLetter,
  chinaDate,
  chineseDocDate,
  markLateReport,
  LETTER_TITLES,
  type Bulletin,
  type LetterDecision,
  type Policy,
} from '../core/index.js'
import { json } from '../db/json.js'
import type { BulletinContent, LetterContent } from '../db/payloads.js'
import type { Database, DocumentKind, Tenant } from '../db/schema.js'
import type { Card } from './card.js'
import { monthFiguresFromIndexes } from '../core/bulletin-figures.js'
import { officialDocx, type OfficialBlock } from './official-docx.js'
import { shortName, type TownshipRef } from '../db/queries/tenant-patches.js'
import { bulletinInputs } from '../db/queries/bulletin-inputs.js'
import type { TownshipFacts } from '../core/township-facts.js'
import type { OutboxCard } from '../db/payloads.js'
import { chartSvg } from './bar-chart.js'
import { isRenderUnavailable } from './png-unavailable.js'
import { svgToPng } from './patch-map.js'

export const issuerOf = (tenant: Tenant, policy: Policy) => policy.letters.issuer.replace('{county}', tenant.name)
const monthLabel = (period: string) => `${Number(period.slice(0, 4))}年${Number(period.slice(5, 7))}月`


/** Drafts the bulletin for `period` (the month reported on) from the data as it is now. */
export async function createBulletinDraft(
  trx: Transaction<Database>, tenant: Tenant, policy: Policy, period: string, now: Date,
  /** a scheduled draft caught up after downtime: 迟报 when past its publish date (core's markLateReport) */
  catchUp?: { downSince?: string | undefined },
) {
  const inputs = await bulletinInputs(trx, tenant.id, period)
  const figures = monthFiguresFromIndexes(inputs.townships, inputs.finished, inputs.openPastDue, inputs.counters, period, policy)
  const built = buildBulletin({ county: tenant.name, period, townships: figures }, policy)
  const bulletin = catchUp ? markLateReport(built, chinaDate(now), catchUp.downSince) : built
  const file = await officialDocx({
    title: bulletin.title,
    paragraphs: bulletinBlocks(bulletin, policy),
    signature: issuerOf(tenant, policy),
    dateText: chineseDocDate(bulletin.publishOn),
  })
  const content: BulletinContent = { bulletin }
  const doc = await trx
    .insertInto('documents')
    .values({ tenant_id: tenant.id, kind: 'bulletin', period, township_id: null, title: bulletin.title, content: json(content), file, state: 'draft', created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { documentId: doc.id, bulletin }
}

const pct = (r: number) => `${(Math.round(r * 1000) / 10).toFixed(1)}%`
const mu = (n: number) => String(Math.round(n * 100) / 100)

/** The bulletin's ratio chart: each township's illegal 耕地 ratio against the township 问责 line. */
export function bulletinChartData(b: Bulletin, policy: Policy) {
  return {
    threshold: policy.accountability.township.minRatio,
    bars: b.ranking.map((t) => ({ label: shortName(t.name), code: t.townshipCode.slice(-3), ratio: t.ratio, mu: t.illegalFarmlandMu })),
  }
}

/** A chart helps only when some township has illegal 耕地 to compare. */
const chartHelps = (b: Bulletin) => b.ranking.some((t) => t.illegalFarmlandMu > 0)

/** The .docx body: the paragraphs, the ranking table after the lead, the chart under it. */
export function bulletinBlocks(b: Bulletin, policy: Policy): OfficialBlock[] {
  const at = b.tableAfter ?? b.paragraphs.length
  const blocks: OfficialBlock[] = [...b.paragraphs.slice(0, at)]
  if (b.table) blocks.push({ kind: 'table', caption: `${monthLabel(b.period)}各乡（镇）卫片执法工作排名`, header: b.table.header, rows: b.table.rows, widths: [0.8, 1.6, 1, 1, 1, 1.2, 1.2, 1.4] })
  if (chartHelps(b)) {
    try {
      const svg = chartSvg('farmland-ratio', bulletinChartData(b, policy))
      const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number)
      blocks.push({ kind: 'image', png: svgToPng(svg), width: w!, height: h!, widthMm: 140, caption: `各乡（镇）违法占用耕地比例（虚线为问责线${pct(policy.accountability.township.minRatio)}）` })
    } catch (error) {
      if (!isRenderUnavailable(error)) throw error // the worker: the table alone
    }
  }
  blocks.push(...b.paragraphs.slice(at))
  return blocks
}

/** The ranking as card rows: one per township, its figures in one line. */
function rankingFields(b: Bulletin): Card['fields'] {
  return b.ranking.map((t) => [
    `第${t.rank}名 ${t.name}`,
    `逾期${t.overdue}项｜新增违法${t.newViolations}宗｜违法占用耕地${mu(t.illegalFarmlandMu)}亩（${pct(t.ratio)}）｜整改${t.rectification.done}/${t.rectification.due}宗`,
  ])
}

/** The paragraphs after the ranking (requirements, closing): what the card says under its rows. */
const afterRanking = (b: Bulletin) => b.paragraphs.slice(b.tableAfter ?? 2)

/** What a card says under its rows: the lead and what follows the ranking; everything when nothing is ranked. */
const cardParagraphs = (b: Bulletin) => (b.ranking.length ? [b.paragraphs[1] ?? '', ...afterRanking(b)] : b.paragraphs)

/** The bulletin as published in the chat: the same ranking and figures as the .docx, with the chart. */
export function publishedBulletinCard(b: Bulletin, issuer: string, policy: Policy): OutboxCard {
  return {
    title: b.title,
    template: 'blue',
    fields: rankingFields(b),
    text: [...cardParagraphs(b), `${issuer}　${arabicDocDate(b.publishOn)}`].filter(Boolean).join('\n'),
    ...(chartHelps(b) ? { chartOf: { chart: 'farmland-ratio', data: bulletinChartData(b, policy) } } : {}),
  }
}

export function bulletinCard(documentId: number, b: Bulletin, reminder = false): Card {
  return {
    title: `${reminder ? '【提醒】' : ''}${b.lateReport ? '【迟报】' : ''}请审批：${monthLabel(b.period)}排名通报`,
    template: reminder || b.lateReport ? 'red' : 'orange',
    fields: [
      ['发布日期', `${arabicDocDate(b.publishOn)}前${b.late ? '（节假日顺延）' : ''}`],
      ...(b.lateReport ? [['迟报说明', b.lateReport.reason] as [string, string]] : []),
      ...rankingFields(b),
      ['新增违法', b.requirements.length ? b.requirements.map((r) => `${r.name}${r.newViolations}宗`).join('、') : '无'],
    ],
    text: `${cardParagraphs(b).filter(Boolean).join('\n')}\n同意后即发送各乡镇群和卫片办群。`,
    buttons: [
      { label: '同意', action: 'approveDocument', value: { documentId: String(documentId) }, style: 'primary' },
      { label: '退回', action: 'returnDocument', value: { documentId: String(documentId) }, style: 'danger' },
    ],
  }
}

export const LETTER_DOC_KIND: Record<LetterDecision['kind'], DocumentKind> = {
  warning_reminder: 'warning_letter',
  supervision_advice: 'supervision_letter',
}


export async function createLetterDraft(
  trx: Transaction<Database>,
  tenant: Tenant,
  policy: Policy,
  township: TownshipRef,
  decision: LetterDecision,
  facts: TownshipFacts,
  today: string,
  now: Date,
) {
  const letter = buildLetter({ kind: decision.kind, county: tenant.name, township: township.name, reasons: decision.reasons, date: today }, policy)
  const file = await officialDocx({ title: letter.title, to: letter.to, paragraphs: letterBlocks(letter.paragraphs, 1 + decision.reasons.length, facts, policy), signature: letter.signature, dateText: letter.dateText })
  const content: LetterContent = {
    letter,
    facts: {
      illegalMu: facts.accountability.illegalMu,
      totalMu: facts.accountability.totalMu,
      ratio: facts.accountability.ratio,
      overdue: facts.overdue.length,
    },
  }
  const doc = await trx
    .insertInto('documents')
    .values({
      tenant_id: tenant.id, kind: LETTER_DOC_KIND[decision.kind], period: today.slice(0, 7), township_id: township.id,
      title: letter.title, content: json(content), file, state: 'draft', created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { documentId: doc.id, letter }
}

export function letterCard(documentId: number, townshipName: string, decision: LetterDecision): Card {
  return {
    title: `待审核：${LETTER_TITLES[decision.kind]}（${townshipName}）`,
    template: decision.kind === 'supervision_advice' ? 'red' : 'orange',
    fields: decision.reasons.map((r, i) => [`原因${i + 1}`, r] as [string, string]),
    text: '草稿见上方文件。批准后发送该乡镇群；作废则不发送。',
    buttons: [
      { label: '批准', action: 'approveDocument', value: { documentId: String(documentId) }, style: 'primary' },
      { label: '作废', action: 'discardDocument', value: { documentId: String(documentId) }, style: 'danger' },
    ],
  }
}

/** The letter's body: its figures and overdue items as tables after the reasons. */
export function letterBlocks(paragraphs: string[], after: number, facts: TownshipFacts, policy: Policy): OfficialBlock[] {
  const a = facts.accountability
  const line = policy.accountability.township
  const blocks: OfficialBlock[] = [...paragraphs.slice(0, after)]
  blocks.push({
    kind: 'table',
    caption: `${facts.township.name}卫片执法主要指标`,
    header: ['指标', '数值', '问责线'],
    rows: [
      ['违法占用耕地面积', `${mu(a.illegalMu)}亩`, `${mu(line.minMu)}亩`],
      ['新增建设占用耕地面积', `${mu(a.totalMu)}亩`, '—'],
      ['违法占用耕地比例', pct(a.ratio), pct(line.minRatio)],
      ['逾期事项', `${facts.overdue.length}项`, '—'],
    ],
    widths: [2, 1.2, 1],
  })
  if (facts.overdue.length) {
    // policy choice: at most 20 rows in the letter; the rest are counted under the table
    const shown = facts.overdue.slice(0, 20)
    blocks.push({
      kind: 'table',
      caption: '逾期事项清单',
      header: ['序号', '图斑编号', '事项', '应完成日期', '逾期（工作日）'],
      rows: shown.map((o, i) => [String(i + 1), o.patchNo, o.label, arabicDocDate(o.due), String(o.overdueWorkdays)]),
      widths: [0.6, 2.2, 1.6, 1.6, 1.2],
    })
    if (facts.overdue.length > shown.length) blocks.push(`另有${facts.overdue.length - shown.length}项逾期事项，详见系统导出清单。`)
  }
  blocks.push(...paragraphs.slice(after))
  return blocks
}
