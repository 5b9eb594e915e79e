// The leaders' working-day digest: new patches, due this week, overdue, each township's illegal 耕地
// and ratio against the 问责 line, documents waiting — one short message and a small chart. Read from
// the counters and the dues index (migration 0014): the cost does not grow with the patches.
import {
  accountabilityFigureText,
  accountabilityLineText,
  accountabilityYearOn,
  addCalendarDays,
  counterAccountability,
  handoverSummary,
  selectCounters,
  weekday,
  yearLabel,
  type AccountabilityResult,
  type TownshipRef,
} from '../core/index.js'
import { countersOf, duesByTownship } from '../db/queries/counters.js'
import { recordsOf } from '../db/queries/county-records.js'
import { townshipsOf } from '../db/queries/townships.js'
import { shortName } from '../db/queries/tenant-patches.js'
import type { JobRun } from './run-context.js'
import { townshipsWithoutGroup } from '../db/queries/townships.js'

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']
const md = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`

export interface FarmlandChartData {
  threshold: number
  bars: Array<{ label: string; code: string; ratio: number; mu: number }>
}

interface DigestTownship {
  township: TownshipRef
  accountability: AccountabilityResult
  overdue: number
}

export async function leadersDigest(run: JobRun): Promise<string> {
  const { policy, today } = run
  const townships = await townshipsOf(run.trx, run.tenant.id)
  const fresh = await newPatchesSince(run)
  const sunday = addCalendarDays(today, (7 - weekday(today)) % 7)
  const dueThisWeek = (await duesByTownship(run.trx, [run.tenant.id], today, sunday)).reduce((n, r) => n + r.n, 0)
  // overdue as townshipFacts counts it: civil patches of a township, steps due before today
  const overdueBy = new Map((await duesByTownship(run.trx, [run.tenant.id], null, addCalendarDays(today, -1), true)).map((r) => [r.township_id, r.n]))
  // the 问责 ratio is a year's figure (001:79 "一个年度内"); military land is never cited to a township (001:61)
  // (the accountability year of 001:79 read with 001:59's 1月20日: core's accountabilityYearOn)
  const year = accountabilityYearOn(today, policy)
  const counters = selectCounters(await countersOf(run.trx, run.tenant.id, { fromMonth: `${year}-01`, toMonth: `${year}-12`, fold: 'months' }), { civilOnly: true })
  const facts: DigestTownship[] = townships.map((t) => ({
    township: t,
    accountability: counterAccountability(selectCounters(counters, { townshipId: t.id }), 'township', policy),
    overdue: overdueBy.get(t.id) ?? 0,
  }))
  const overdue = facts.filter((f) => f.overdue > 0)
  const overdueTotal = overdue.reduce((n, f) => n + f.overdue, 0)

  const line = policy.accountability.township
  // 001:79 the county line beside the township lines, for the same accountability year
  const county = counterAccountability(counters, 'county', policy)
  const lines = [
    `【每日简报】${md(today)} ${WEEKDAYS[weekday(today)]}${run.late ? `（迟发：${md(run.date)}简报）` : ''}`,
    `新下发图斑：${fresh}个（${md(sinceDate(run))}以来）`,
    `本周到期：${dueThisWeek}项；逾期：${overdueTotal}项${overdue.length ? `（${overdue.map((f) => `${f.township.name}${f.overdue}`).join('、')}）` : ''}`,
    `${yearLabel(year)}违法占用耕地：全县 ${accountabilityFigureText(county, 'county', policy)}（${accountabilityLineText('county', policy)}）`,
    `各乡镇（${accountabilityLineText('township', policy)}）：`,
    ...farmlandLines(facts, run),
  ]
  const unbound = await townshipsWithoutGroup(run.trx, run.tenant.id)
  if (unbound.length) lines.push(unboundLine(unbound))
  // 001:41 移交…年底前报县卫片办; 001:103 约谈/问责 reports still owed
  const records = await recordsOf(run.trx, run.tenant.id, ['handover', 'talk', 'accountability', 'bulletin'])
  const handovers = handoverSummary(records.filter((r) => r.kind === 'handover').map((r) => ({ heldOn: r.held_on, closedOn: r.closed_on })), today, policy)
  if (handovers) lines.push(handovers)
  const owed = records.filter((r) => r.kind !== 'handover' && !r.closed_on)
  if (owed.length) lines.push(`待乡镇上报约谈、问责、通报情况：${owed.map((r) => `${r.township_name ?? ''}${{ talk: '约谈', accountability: '问责', bulletin: '通报' }[r.kind as 'talk']}（${r.due_on}前）`).join('、')}`)
  const waiting = await waitingDocuments(run)
  if (waiting) lines.push(waiting)
  await run.send({ kind: 'leaders' }, { kind: 'text', text: lines.join('\n') }, 'text')

  const bars = facts.filter((f) => f.accountability.illegalMu > 0)
  if (bars.length) {
    const data: FarmlandChartData = {
      threshold: line.minRatio,
      bars: facts.map((f) => ({ label: shortName(f.township.name), code: f.township.code.slice(-3), ratio: f.accountability.ratio, mu: f.accountability.illegalMu })),
    }
    await run.send({ kind: 'leaders' }, { kind: 'image', imageOf: { chart: 'farmland-ratio', data } }, 'chart')
  }
  return `overdue ${overdueTotal}, due ${dueThisWeek}${run.late ? ', late' : ''}`
}

/** Townships whose patches cannot be pushed yet: no group bound (their clocks run all the same). */
function unboundLine(townships: Array<{ name: string; waiting: number }>): string {
  const list = townships.map((t) => (t.waiting ? `${t.name}（${t.waiting}个图斑待推送）` : t.name)).join('、')
  return `尚未绑定乡镇群：${list}。请卫片办把机器人拉入该乡镇工作群并发送「绑定 乡镇名称」。`
}

/** Patches imported since the last digest: the partial index on imported events. */
export async function newPatchesSince(run: Pick<JobRun, 'trx' | 'since' | 'now'> & { tenant: { id: number } }, tenantIds: readonly number[] = [run.tenant.id]): Promise<number> {
  const fresh = await run.trx
    .selectFrom('patch_events')
    .innerJoin('patches', 'patches.id', 'patch_events.patch_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('patches.tenant_id', 'in', [...tenantIds])
    .where('patch_events.type', '=', 'imported')
    .where('patch_events.at', '>', run.since)
    .where('patch_events.at', '<=', run.now)
    .executeTakeFirstOrThrow()
  return Number(fresh.n)
}

function farmlandLines(facts: DigestTownship[], run: JobRun): string[] {
  const withData = facts.filter((f) => f.accountability.illegalMu > 0).sort((a, b) => b.accountability.ratio - a.accountability.ratio)
  if (withData.length === 0) return ['各乡镇暂无违法占用耕地。']
  const out = withData.slice(0, 4).map((f) => `${f.township.name} ${accountabilityFigureText(f.accountability, 'township', run.policy)}`)
  if (withData.length > 4) out.push(`另有${withData.length - 4}个乡镇，见图。`)
  return out
}

async function waitingDocuments(run: JobRun): Promise<string | undefined> {
  const drafts = await run.trx
    .selectFrom('documents')
    .select(['kind', 'title'])
    .where('tenant_id', '=', run.tenant.id)
    .where('state', '=', 'draft')
    .execute()
  const bulletins = drafts.filter((d) => d.kind === 'bulletin')
  const letters = drafts.length - bulletins.length
  const parts: string[] = []
  if (bulletins.length) parts.push(`待您审批：${bulletins.map((b) => `《${b.title}》`).join('、')}`)
  if (letters) parts.push(`卫片办审核中的函件${letters}份`)
  return parts.length ? parts.join('；') : undefined
}

export function sinceDate(run: Pick<JobRun, 'since'>): string {
  return new Date(run.since.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
}
