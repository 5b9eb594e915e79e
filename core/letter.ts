// 警示提醒函 and 自然资源执法监督建议函 (001_8c1f6dae78f37652.txt:51, 四项机制 001:85-95): when one is
// due for a township, and its content (标题, 主送, 正文, 落款, 成文日期). No file format here.
import { nearAccountability } from './accountability.js'
import type { AccountabilityResult } from './accountability.js'
import { arabicDocDate, chineseDocDate } from './chinese-date.js'
import { defaultPolicy } from './policy.js'
import type { Policy } from './policy.js'
import type { WarningTalkResult } from './warning-talk.js'

export type LetterKind = 'warning_reminder' | 'supervision_advice'

export const LETTER_TITLES: Record<LetterKind, string> = {
  warning_reminder: '警示提醒函',
  supervision_advice: '自然资源执法监督建议函',
}

export interface OverdueItem {
  patchNo: string
  label: string
  due: string
  overdueWorkdays: number
}

export interface LetterFacts {
  townshipCode: string
  /** e.g. 资源镇, 瓜里乡 */
  name: string
  /** township-scope result of assessAccountability */
  accountability?: AccountabilityResult
  overdue?: OverdueItem[]
  warningTalk?: WarningTalkResult
}

export interface LetterDecision {
  kind: LetterKind
  reasons: string[]
}

const pct = (r: number): string => `${(Math.round(r * 1000) / 10).toFixed(1)}%`
const mu = (n: number): string => String(Math.round(n * 100) / 100)

/**
 * policy choice: the seeds leave "适时" to the office. The stronger 执法监督建议函 when the township is
 * at the 问责 line (001:79), meets the 警示约谈 areas (000:41), or has work overdue past
 * `supervisionOverdueWorkdays` (001:91 "超过规定时限"); the 警示提醒函 when it is near the line
 * (`nearFactor`) or has work overdue past `warningOverdueWorkdays`. Null when neither applies.
 */
export function letterDue(facts: LetterFacts, policy: Policy = defaultPolicy): LetterDecision | null {
  const l = policy.letters
  const t = policy.accountability.township
  const strong: string[] = []
  const mild: string[] = []
  const a = facts.accountability
  if (a?.triggered) {
    strong.push(`违法占用耕地${mu(a.illegalMu)}亩、比例${pct(a.ratio)}，已达到${t.minMu}亩且${pct(t.minRatio)}的问责标准`)
  } else if (a && a.illegalMu > 0 && nearAccountability(a, 'township', l.nearFactor, policy)) {
    mild.push(`违法占用耕地${mu(a.illegalMu)}亩、比例${pct(a.ratio)}，接近${t.minMu}亩且${pct(t.minRatio)}的问责标准`)
  }
  if (facts.warningTalk?.required) strong.push(...facts.warningTalk.reasons)
  const overdue = facts.overdue ?? []
  const veryLate = overdue.filter((o) => o.overdueWorkdays >= l.supervisionOverdueWorkdays)
  const late = overdue.filter((o) => o.overdueWorkdays >= l.warningOverdueWorkdays && o.overdueWorkdays < l.supervisionOverdueWorkdays)
  if (veryLate.length) strong.push(`${veryLate.length}项工作逾期${l.supervisionOverdueWorkdays}个工作日以上（${listOverdue(veryLate)}）`)
  if (late.length) mild.push(`${late.length}项工作逾期${l.warningOverdueWorkdays}个工作日以上（${listOverdue(late)}）`)
  if (strong.length) return { kind: 'supervision_advice', reasons: [...strong, ...mild] }
  if (mild.length) return { kind: 'warning_reminder', reasons: mild }
  return null
}

function listOverdue(items: OverdueItem[]): string {
  const shown = items.slice(0, 5).map((o) => `${o.patchNo}${o.label}应于${arabicDocDate(o.due)}前完成`)
  return shown.join('，') + (items.length > 5 ? `等${items.length}项` : '')
}

export interface Letter {
  kind: LetterKind
  title: string
  /** 主送 */
  to: string
  paragraphs: string[]
  /** 落款 */
  signature: string
  /** 成文日期, e.g. 二〇二六年十一月二十三日 */
  dateText: string
  date: string
  docNo?: string
  rule: string
}

export interface LetterInput {
  kind: LetterKind
  county: string
  /** township name, e.g. 资源镇 */
  township: string
  reasons: string[]
  /** YYYY-MM-DD of signing */
  date: string
  /** 文号, when the office assigns one */
  docNo?: string
}

/** 乡 / 镇 / 街道 as the letter addresses it ("你镇", "你乡"). */
function unitWord(name: string): string {
  if (name.endsWith('街道') || name.endsWith('街道办事处')) return '街道'
  if (name.endsWith('乡')) return '乡'
  if (name.endsWith('镇')) return '镇'
  return '单位'
}

export function buildLetter(input: LetterInput, policy: Policy = defaultPolicy): Letter {
  const u = unitWord(input.township)
  const to = u === '街道' ? `${input.township.replace(/办事处$/, '')}办事处` : u === '单位' ? input.township : `${input.township}人民政府`
  const title = `关于${input.township}自然资源卫片执法工作的${LETTER_TITLES[input.kind]}`
  const reasons = input.reasons.map((r, i) => `${i + 1}. ${r}。`)
  const paragraphs: string[] = []
  paragraphs.push(`经县卫片办汇总分析，截至${arabicDocDate(input.date)}，你${u}卫片执法工作存在以下问题：`)
  paragraphs.push(...reasons)
  if (input.kind === 'warning_reminder') {
    paragraphs.push(
      `根据“月清”“月核”工作要求，现予以警示提醒。请你${u}切实履行耕地保护属地主体责任，对照上述问题抓紧查处整改，` +
        '按期完成图斑核查上报和整改工作，并将整改情况报县卫片办。',
    )
  } else {
    paragraphs.push(
      `为严守耕地保护红线，维护自然资源管理秩序，现提出如下建议：一是对违法用地依法立案查处，该拆除的坚决拆除复耕，` +
        '符合条件的依法补办用地手续，尽快消除违法状态；二是对逾期事项逐项明确责任人和完成时限；三是加强日常巡查，' +
        '坚决遏制新增违法占用耕地行为。',
    )
    paragraphs.push(
      `请你${u}于收到本函后认真研究落实，并将落实情况书面报县卫片办。对整改不力、超过规定时限或敷衍整改的，` +
        '县卫片办将提请县人民政府约谈有关责任人；经整改后仍符合问责情形的，按规定移交纪检监察机关。',
    )
  }
  return {
    kind: input.kind,
    title,
    to,
    paragraphs,
    signature: policy.letters.issuer.replace('{county}', input.county),
    dateText: chineseDocDate(input.date),
    date: input.date,
    ...(input.docNo ? { docNo: input.docNo } : {}),
    rule: policy.letters.rule,
  }
}
