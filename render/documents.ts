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
import { monthFigures } from '../core/bulletin-figures.js'
import { officialDocx } from './official-docx.js'
import { loadTenant, type TownshipRef } from '../db/queries/tenant-patches.js'
import type { TownshipFacts } from '../core/township-facts.js'

export const issuerOf = (tenant: Tenant, policy: Policy) => policy.letters.issuer.replace('{county}', tenant.name)
const monthLabel = (period: string) => `${Number(period.slice(0, 4))}年${Number(period.slice(5, 7))}月`


/** Drafts the bulletin for `period` (the month reported on) from the data as it is now. */
export async function createBulletinDraft(
  trx: Transaction<Database>, tenant: Tenant, policy: Policy, period: string, now: Date,
  /** a scheduled draft caught up after downtime: 迟报 when past its publish date (core's markLateReport) */
  catchUp?: { downSince?: string | undefined },
) {
  const { townships, patches } = await loadTenant(trx, tenant.id)
  const figures = monthFigures(
    townships,
    patches.map((p) => ({ snapshot: p.snapshot, townshipCode: p.township?.code ?? '', military: p.row.military })),
    period,
    policy,
  )
  const built = buildBulletin({ county: tenant.name, period, townships: figures }, policy)
  const bulletin = catchUp ? markLateReport(built, chinaDate(now), catchUp.downSince) : built
  const file = await officialDocx({
    title: bulletin.title,
    paragraphs: bulletin.paragraphs,
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

export function bulletinCard(documentId: number, b: Bulletin, reminder = false): Card {
  const ranks = b.ranking.map((t) => `${t.rank}.${t.name}`).join(' ')
  return {
    title: `${reminder ? '【提醒】' : ''}${b.lateReport ? '【迟报】' : ''}请审批：${monthLabel(b.period)}排名通报`,
    template: reminder || b.lateReport ? 'red' : 'orange',
    fields: [
      ['发布日期', `${arabicDocDate(b.publishOn)}前${b.late ? '（节假日顺延）' : ''}`],
      ...(b.lateReport ? [['迟报说明', b.lateReport.reason] as [string, string]] : []),
      ['排名', ranks],
      ['新增违法', b.requirements.length ? b.requirements.map((r) => `${r.name}${r.newViolations}宗`).join('、') : '无'],
    ],
    text: `${b.paragraphs.join('\n')}\n同意后即发送各乡镇群和卫片办群。`,
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
  const file = await officialDocx({ title: letter.title, to: letter.to, paragraphs: letter.paragraphs, signature: letter.signature, dateText: letter.dateText })
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
