// The monthly bulletin (每月5号通报, 004_cc43135be01a58c0.txt:47): last month's figures per township →
// ranking, Chinese text, and deadlines for the areas with new violations. Content only; the leader
// approves it before it goes out.
import { addMonths, isEstimatedDate } from './calendar.js'
import { arabicDocDate } from './chinese-date.js'
import { defaultPolicy } from './policy.js'
import type { Policy, RankingKey } from './policy.js'
import { bulletinPublishDate } from './schedule.js'

export interface TownshipMonthFigures {
  townshipCode: string
  name: string
  /** steps completed on time last month */
  handledOnTime: number
  /** steps overdue (still open past due, or completed late) */
  overdue: number
  /** new violations found last month */
  newViolations: number
  /** illegal 耕地 after the accountability rules, 亩 */
  illegalFarmlandMu: number
  /** illegal 耕地 ratio, 0..1 */
  ratio: number
  /** rectification progress: illegal patches due / rectified */
  rectification: { due: number; done: number }
  /** each new violation of the month with its own open steps (004_cc43135be01a58c0.txt:47 查处整改时限) */
  newViolationPatches?: Array<{ patchNo: string; deadlines: Array<{ label: string; due: string }> }>
  /** patches issued to the township up to the month's end; 0 everywhere: nothing to rank */
  patches?: number
}

export interface BulletinInput {
  county: string
  /** the month reported on, YYYY-MM */
  period: string
  townships: TownshipMonthFigures[]
}

export interface RankedTownship extends TownshipMonthFigures {
  rank: number
  rectificationRate: number
}

export interface BulletinRequirement {
  townshipCode: string
  name: string
  newViolations: number
  /** per patch: the steps still open at publication (demands) and those whose clock already ran out */
  patches: Array<{ patchNo: string; demands: Array<{ label: string; due: string }>; lapsed: Array<{ label: string; due: string }> }>
  text: string
}

/** A table of a document: the .docx draws it ruled, the chat card shows its rows. */
export interface DocTable {
  header: string[]
  rows: string[][]
}

export interface Bulletin {
  period: string
  publishOn: string
  /** the 1st-5th were all holidays: published on the first working day after the 5th */
  late: boolean
  title: string
  ranking: RankedTownship[]
  requirements: BulletinRequirement[]
  /** the paragraphs; the ranking table goes after `tableAfter` of them */
  paragraphs: string[]
  /** the ranking as a table: rank, township, figures; the last row is the county's total (none: nothing ranked) */
  table?: DocTable
  tableAfter?: number
  text: string
  approvedBy: string
  rule: string
  /** 迟报: drafted after its publish date (the system was not running on its day) */
  lateReport?: LateReport
  /** no patch had been issued by the month's end: nothing ranked */
  noData?: boolean
}

export interface LateReport {
  /** YYYY-MM-DD the draft was made */
  draftedOn: string
  reason: string
}

const rate = (t: TownshipMonthFigures): number =>
  t.rectification.due <= 0 ? 1 : Math.min(1, t.rectification.done / t.rectification.due)

function keyValue(t: RankedTownship, key: RankingKey): number {
  switch (key.split(':')[0]) {
    case 'overdue':
      return t.overdue
    case 'newViolations':
      return t.newViolations
    case 'rectificationRate':
      return t.rectificationRate
    case 'ratio':
      return t.ratio
    case 'illegalFarmlandMu':
      return t.illegalFarmlandMu
    default:
      return t.handledOnTime
  }
}

/** Ranking by the policy's keys in order; townships equal on every key share a rank (1, 2, 2, 4). */
export function rankTownships(townships: TownshipMonthFigures[], policy: Policy = defaultPolicy): RankedTownship[] {
  const keys = policy.bulletin.ranking
  const compare = (a: RankedTownship, b: RankedTownship): number => {
    for (const k of keys) {
      const d = keyValue(a, k) - keyValue(b, k)
      if (Math.abs(d) > 1e-12) return k.endsWith(':asc') ? d : -d
    }
    return 0
  }
  const rows = townships.map((t) => ({ ...t, rank: 0, rectificationRate: rate(t) }))
  rows.sort((a, b) => compare(a, b) || (a.townshipCode < b.townshipCode ? -1 : a.townshipCode > b.townshipCode ? 1 : 0))
  rows.forEach((r, i) => {
    r.rank = i > 0 && compare(rows[i - 1]!, r) === 0 ? rows[i - 1]!.rank : i + 1
  })
  return rows
}

const RANKING_LABELS: Record<RankingKey, string> = {
  'overdue:asc': '逾期事项少',
  'newViolations:asc': '新增违法少',
  'rectificationRate:desc': '整改进度快',
  'ratio:asc': '违法占用耕地比例低',
  'illegalFarmlandMu:asc': '违法占用耕地面积小',
  'handledOnTime:desc': '按时办理多',
}

const pct = (r: number): string => `${(Math.round(r * 1000) / 10).toFixed(1)}%`
const mu = (n: number): string => String(Math.round(n * 100) / 100)

export function buildBulletin(input: BulletinInput, policy: Policy = defaultPolicy): Bulletin {
  const [y, m] = input.period.split('-').map(Number) as [number, number]
  const publishMonth = addMonths(`${input.period}-01`, 1).slice(0, 7)
  const { date: publishOn, late } = bulletinPublishDate(publishMonth, policy)
  const title = `${input.county}${y}年${m}月自然资源卫片执法工作排名通报`
  // a first bulletin before any patch was issued: nothing to rank (not every township 第1名)
  const noData = input.townships.length > 0 && input.townships.every((t) => t.patches === 0)
  const ranking = noData ? [] : rankTownships(input.townships, policy)

  const requirements: BulletinRequirement[] = ranking
    .filter((t) => t.newViolations > 0)
    .map((t) => requirementOf(t, publishOn))

  const total = (f: (t: TownshipMonthFigures) => number): number => input.townships.reduce((s, t) => s + f(t), 0)
  const paragraphs: string[] = []
  if (noData) {
    paragraphs.push(`截至${y}年${m}月底，本县尚无下发的卫片执法图斑，本期无排名数据，不作排名。`)
    paragraphs.push('请各乡（镇）做好图斑接收、核查准备，加强日常巡查，做到早发现、早制止、早报告。')
    return { period: input.period, publishOn, late, title, ranking, requirements, paragraphs, text: [title, ...paragraphs].join('\n'), approvedBy: policy.bulletin.approvedBy, rule: policy.bulletin.rule, noData: true }
  }
  paragraphs.push(`根据每月通报要求，现将${y}年${m}月各乡（镇）卫片执法工作情况排名通报如下。`)
  paragraphs.push(
    `一、总体情况。全县上月按时办理${total((t) => t.handledOnTime)}项，逾期${total((t) => t.overdue)}项；` +
      `新增违法用地${total((t) => t.newViolations)}宗，违法占用耕地${mu(total((t) => t.illegalFarmlandMu))}亩。`,
  )
  const order = `按${policy.bulletin.ranking.map((k) => RANKING_LABELS[k]).join('、')}依次排序`
  paragraphs.push(`二、排名情况（${order}）见下表。`)
  const tableAfter = paragraphs.length
  const table: DocTable = {
    header: ['名次', '乡（镇）', '按时办理（项）', '逾期（项）', '新增违法（宗）', '违法占用耕地（亩）', '违法占用耕地比例', '整改（已整改/应整改，宗）'],
    rows: [
      ...ranking.map((t) => [String(t.rank), t.name, String(t.handledOnTime), String(t.overdue), String(t.newViolations), mu(t.illegalFarmlandMu), pct(t.ratio), `${t.rectification.done}/${t.rectification.due}`]),
      ['合计', '', String(total((t) => t.handledOnTime)), String(total((t) => t.overdue)), String(total((t) => t.newViolations)), mu(total((t) => t.illegalFarmlandMu)), '—',
        `${total((t) => t.rectification.done)}/${total((t) => t.rectification.due)}`],
    ],
  }
  // the plain text (messengers without cards) keeps the ranking as lines
  const rankingLines = ranking.map(
    (t) =>
      `第${t.rank}名 ${t.name}：按时办理${t.handledOnTime}项，逾期${t.overdue}项，新增违法${t.newViolations}宗，` +
      `违法占用耕地${mu(t.illegalFarmlandMu)}亩（比例${pct(t.ratio)}），整改${t.rectification.done}/${t.rectification.due}宗`,
  )
  if (requirements.length > 0) {
    paragraphs.push(`三、查处整改时限及要求。${requirements.map((r) => r.text).join('')}`)
  } else {
    paragraphs.push('三、上月各乡（镇）无新增违法用地，请继续加强日常巡查，做到早发现、早制止、早报告。')
  }
  paragraphs.push('请排名靠后、存在逾期事项的乡（镇）认真查找原因，抓紧整改，按期完成各项工作任务。')

  return {
    period: input.period,
    publishOn,
    late,
    title,
    ranking,
    requirements,
    paragraphs,
    table,
    tableAfter,
    text: [title, ...paragraphs.slice(0, tableAfter), ...rankingLines, ...paragraphs.slice(tableAfter)].join('\n'),
    approvedBy: policy.bulletin.approvedBy,
    rule: policy.bulletin.rule,
  }
}

/**
 * A bulletin drafted after its publish date (caught up after the system was down) is still drafted,
 * marked 迟报 with the reason in its own text: the month's figures are owed whatever the delay.
 * Drafted on or before the publish date, it is on time and unchanged. `downSince`: the last day the
 * system was seen running, when known.
 */
export function markLateReport(b: Bulletin, draftedOn: string, downSince?: string): Bulletin {
  if (draftedOn <= b.publishOn) return b
  const down = downSince && downSince < draftedOn ? `系统自${arabicDocDate(downSince)}起未运行` : '系统未运行'
  const reason = `本通报应于${arabicDocDate(b.publishOn)}前发布，因${down}未能按期起草，于${arabicDocDate(draftedOn)}补报`
  const paragraphs = [...b.paragraphs, `迟报说明：${reason}。`]
  return { ...b, lateReport: { draftedOn, reason }, paragraphs, text: [b.title, ...paragraphs].join('\n') }
}

const docDate = (d: string): string => `${arabicDocDate(d)}${isEstimatedDate(d) ? '（预估）' : ''}`

/**
 * 004_cc43135be01a58c0.txt:47 "明确查处整改时限及要求": each new violation with its own due dates. A clock
 * that has run out by the publish date is said to have run out, never printed as a demand.
 */
function requirementOf(t: RankedTownship, publishOn: string): BulletinRequirement {
  const patches = (t.newViolationPatches ?? []).map((p) => ({
    patchNo: p.patchNo,
    demands: p.deadlines.filter((d) => d.due >= publishOn),
    lapsed: p.deadlines.filter((d) => d.due < publishOn),
  }))
  const lines = patches.map((p) => {
    const parts: string[] = []
    if (p.demands.length) parts.push(p.demands.map((d) => `须于${docDate(d.due)}前完成${d.label}`).join('，'))
    if (p.lapsed.length) parts.push(p.lapsed.map((d) => `${d.label}已于${docDate(d.due)}到期未完成，已逾期，请立即办理`).join('，'))
    if (!parts.length) parts.push('已上报整改或已办结，无未完成的查处整改时限')
    return `${p.patchNo}：${parts.join('；')}`
  })
  return {
    townshipCode: t.townshipCode,
    name: t.name,
    newViolations: t.newViolations,
    patches,
    text: `${t.name}上月新增违法用地${t.newViolations}宗${lines.length ? `：${lines.join('；')}` : ''}。`,
  }
}
