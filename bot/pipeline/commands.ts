import {
  accountabilityFigureText,
  accountabilityLineText,
  accountabilityYearOn,
  helpFor,
  authorize,
  counterAccountability,
  counterRemedyAreas,
  militaryTotal,
  selectCounters,
  stateTotals,
  yearLabel,
  chinaDate,
  deadlinesFor,
  describeJudgment,
  dueText,
  eventLabel,
  mayShowPatchIn,
  readScope,
  militaryCountText,
  remainingAreas,
  remediedAreas,
  remedyStanding,
  stateLabel,
} from '../../core/index.js'
import { countDuesBefore, countersOf, oldestDuesBefore } from '../../db/queries/counters.js'
import { recentEvents, reviewQueue } from '../../db/queries/patch-reports.js'
import { loadPatch } from '../../db/queries/patches.js'
import { townshipName, townshipsOf } from '../../db/queries/townships.js'
import type { Context } from './context.js'
import { resolvePatch } from './resolve-patch.js'
import { howToWrite } from './platform-notes.js'
import { chatScopeOf, senderOf } from './scope-of.js'
import { handleRegionOverdue, handleRegionStats, REGION_HELP } from './region.js'

const pct = (r: number) => `${(r * 100).toFixed(1)}%`
const mu = (n: number) => `${Math.round(n * 100) / 100}亩`

export function handleHelp(ctx: Context) {
  if (ctx.tenant.level !== 'county') return ctx.reply(REGION_HELP)
  // each role is shown what it may send (core's helpFor): a leader not the township's replies
  const note = howToWrite(ctx.inbound.platform)
  const text = helpFor(ctx.person?.role, ctx.chat.kind)
  ctx.reply(note ? `${text}\n${note}` : text)
}

/** `查 <号>`: state, deadlines, evidence and the last steps — short enough for a phone. */
export async function handleQuery(ctx: Context, patchNo: string | undefined) {
  const link = await resolvePatch(ctx, patchNo, false)
  if ('error' in link) return ctx.reply(patchNo || ctx.inbound.action?.value.patchId ? link.error : '请写明图斑编号，如：查 JC2026450329001')
  const loaded = await loadPatch(ctx.trx, link.patchId)
  if (!loaded) return ctx.reply('未找到该图斑。')
  if (loaded.row.tenant_id !== ctx.tenant.id) return ctx.reply('未找到该图斑。')
  const target = { kind: 'patch' as const, number: loaded.row.number, townshipId: loaded.row.township_id, military: loaded.row.military }
  const readable = authorize('query', senderOf(ctx), chatScopeOf(ctx), target)
  if (!readable.ok) return ctx.reply(readable.reason)
  const s = loaded.snapshot
  const township = await townshipName(ctx.trx, loaded.row.township_id)
  const events = await recentEvents(ctx.trx, link.patchId)
  const today = chinaDate(ctx.now)
  const lines = [
    `图斑 ${s.number}（${township ?? '未定乡镇'}，${s.category}）`,
    `状态：${stateLabel(s.state)}；面积${mu(s.areaMu)}，耕地${mu(s.farmlandMu)}`,
    `举证：照片${s.evidence.photos}张${s.evidence.flaggedPhotos ? `（存疑${s.evidence.flaggedPhotos}张）` : ''}，位置${s.evidence.locations}个，实地核查${s.evidence.fieldCheck ? '有' : '无'}`,
  ]
  if (s.judgment) lines.push(`判定：${describeJudgment(s.judgment)}`)
  else if (s.proposal) lines.push(`上报：${describeJudgment(s.proposal.judgment)}${s.proposal.missing.length ? `（缺：${s.proposal.missing.join('、')}）` : ''}`)
  if (s.rectification && s.rectification.missing.length === 0) {
    // what a figure counts is what core accepts: a reported remedy is not yet deducted (001:73)
    const standing = { none: '', reported: '已上报，待验收，暂不计入问责扣减', awaiting_city: '待市级核验，暂不计入问责扣减', accepted: '已验收' }[remedyStanding(s)]
    lines.push(`整改：${REMEDY_LABELS[s.rectification.measure]}${s.rectification.docNo ? `（${s.rectification.docNo}）` : ''}${standing ? `，${standing}` : ''}`)
  }
  if (s.judgment?.kind === 'illegal') lines.push(`整改面积：${rectifiedLine(s)}`)
  if (s.caseRecord) lines.push(`案件：${s.caseRecord.caseNo}，${s.caseRecord.stage}`)
  for (const d of deadlinesFor(s, ctx.policy)) lines.push(`期限：${d.label} ${dueText(d.due)}${d.due < today ? '（已逾期）' : ''}`)
  lines.push(`记录：${events.reverse().map((e) => `${chinaDate(e.at).slice(5)} ${eventLabel(e.type)}`).join('；')}`)
  ctx.reply(lines.join('\n'), link.patchId)
}

/**
 * `统计 [乡镇]`: counts by state, then the 问责 figures of the accountability year (001:79, the same
 * year the digest, letters and bulletin hold): a township against the township line; the county
 * against the county line with each township beside it against its own.
 */
export async function handleStats(ctx: Context, townshipName: string | undefined) {
  if (ctx.tenant.level !== 'county') return handleRegionStats(ctx, townshipName)
  const scope = await scopeTownship(ctx, townshipName)
  if (scope && 'miss' in scope) return ctx.reply(scope.miss)
  // counters kept with the events (migration 0014): no scan of the patches; military land apart (001:61)
  const where = scope ? { townshipId: scope.id } : {}
  const all = await countersOf(ctx.trx, ctx.tenant.id, { ...where, fold: 'townships' })
  const byState = stateTotals(selectCounters(all, { civilOnly: true }))
  // the 问责 figures of the accountability year (001:79), the year the digest, letters and bulletin hold
  const year = accountabilityYearOn(chinaDate(ctx.now), ctx.policy)
  const ofYear = selectCounters(await countersOf(ctx.trx, ctx.tenant.id, { ...where, fromMonth: `${year}-01`, toMonth: `${year}-12`, fold: 'months' }), { civilOnly: true })
  const total = byState.reduce((sum, r) => sum + r.n, 0)
  const text = byState.map((r) => `${stateLabel(r.state)}${r.n}`).join('，')
  const lines = [`${scope?.name ?? ctx.tenant.name}：图斑${total}个（${text || '无'}）`]
  if (scope) {
    const a = counterAccountability(ofYear, 'township', ctx.policy)
    lines.push(
      `${yearLabel(year)}违法占用耕地${mu(a.illegalMu)}，新增建设占用耕地${mu(a.totalMu)}，比例${pct(a.ratio)}`,
      `${accountabilityLineText('township', ctx.policy)}，${a.triggered ? '⚠ 已达到问责条件' : '未达到'}`,
    )
  } else {
    const c = counterAccountability(ofYear, 'county', ctx.policy)
    const townships = await townshipsOf(ctx.trx, ctx.tenant.id)
    const byTownship = new Map<number, typeof ofYear>()
    for (const c of ofYear) byTownship.set(c.townshipId, [...(byTownship.get(c.townshipId) ?? []), c])
    lines.push(
      `${yearLabel(year)}全县违法占用耕地${mu(c.illegalMu)}，新增建设占用耕地${mu(c.totalMu)}，比例${pct(c.ratio)}`,
      `${accountabilityLineText('county', ctx.policy)}，${c.triggered ? '⚠ 已达到问责条件' : '未达到'}`,
      `各乡镇（${accountabilityLineText('township', ctx.policy)}）：`,
      ...townships.map((t) => `${t.name} ${accountabilityFigureText(counterAccountability(byTownship.get(t.id) ?? [], 'township', ctx.policy), 'township', ctx.policy)}`),
    )
  }
  // 总 = 已整改 + 未整改 over the year's illegal patches (issue 12 point 5): only accepted areas are 已整改
  const areas = counterRemedyAreas(ofYear)
  lines.push(`违法图斑整改：总面积${mu(areas.total)} = 已整改（已验收）${mu(areas.demolished + areas.permitted)}（拆除复耕${mu(areas.demolished)}、补办手续${mu(areas.permitted)}） + 剩余未整改${mu(areas.left)}`)
  // 001:61 军用土地: a count, and only outside the township groups
  if (ctx.chat.kind !== 'township' && !scope) {
    const military = militaryCountText(militaryTotal(all))
    if (military) lines.push(military)
  }
  ctx.reply(lines.join('\n'))
}

/** `逾期`: open steps past their due date, oldest first (the comparison runs in the database). */
export async function handleOverdue(ctx: Context, townshipName: string | undefined) {
  if (ctx.tenant.level !== 'county') return handleRegionOverdue(ctx)
  const scope = await scopeTownship(ctx, townshipName)
  if (scope && 'miss' in scope) return ctx.reply(scope.miss)
  const today = chinaDate(ctx.now)
  // the dues index (migration 0014); what this chat may not name (military land in a township group) is not listed
  const where = scope ? { townshipId: scope.id } : {}
  const filter = { ...where, civilOnly: !mayShowPatchIn(ctx.chat.kind, { military: true }) }
  const all = await countDuesBefore(ctx.trx, ctx.tenant.id, today, where)
  const total = await countDuesBefore(ctx.trx, ctx.tenant.id, today, filter)
  // 001:61 军用土地: the office hears how many, never which; a township group not even that
  const hidden = ctx.chat.kind === 'township' ? '' : militaryCountText(all - total, '逾期的军用土地图斑事项')
  if (total === 0) return ctx.reply(`${scope?.name ?? ctx.tenant.name}目前没有逾期图斑。${hidden}`)
  const shown = (await oldestDuesBefore(ctx.trx, ctx.tenant.id, today, 15, filter)).map((o) => `${o.number}（应于${o.due}前）`)
  ctx.reply(`逾期${total}项：\n${shown.join('\n')}${total > 15 ? `\n……另有${total - 15}项` : ''}${hidden ? `\n${hidden}` : ''}`)
}

/** `待审核`: reports and rectifications waiting for the office, oldest first (who may ask: core's authorize). */
export async function handleReviewQueue(ctx: Context) {
  const queue = await reviewQueue(ctx.trx, ctx.tenant.id)
  const waiting = queue.filter((w) => mayShowPatchIn(ctx.chat.kind, w))
  const hidden = militaryCountText(queue.length - waiting.length, '待办的军用土地图斑')
  if (waiting.length === 0) return ctx.reply(`目前没有待审核或待验收的图斑。${hidden}`)
  const lines = waiting.map((w) => `${w.number}（${w.township ?? ''}，${w.state === 'reported' ? '待审核' : '待验收'}）`)
  ctx.reply(`待办${waiting.length}项：\n${lines.join('\n')}\n发送「确认 图斑号」「退回 图斑号 理由」「验收 图斑号」办理。${hidden ? `\n${hidden}` : ''}`)
}

/** 总 = 已整改 + 未整改 of one patch: the accepted areas (拆除复耕, 补办) and what remains. */
function rectifiedLine(s: Parameters<typeof remainingAreas>[0]): string {
  const done = remediedAreas(s)
  const left = remainingAreas(s)
  const parts = [done.demolishedMu > 0 ? `拆除复耕${mu(done.demolishedMu)}（耕地${mu(done.demolishedFarmlandMu)}）` : '', done.permittedMu > 0 ? `补办手续${mu(done.permittedMu)}（耕地${mu(done.permittedFarmlandMu)}）` : ''].filter(Boolean)
  return `已整改（已验收）${parts.length ? parts.join('、') : '0亩'}；剩余未整改${mu(left.areaMu)}（耕地${mu(left.farmlandMu)}）`
}

const REMEDY_LABELS = { demolished_restored: '已拆除复耕', permits_completed: '已补办用地手续', case_filed: '已立案' } as const


/** The township `统计`/`逾期` cover (undefined: the county), or why the name fits none: core's readScope. */
async function scopeTownship(ctx: Context, name: string | undefined) {
  const townships = await townshipsOf(ctx.trx, ctx.tenant.id)
  const scope = readScope(senderOf(ctx), chatScopeOf(ctx), name, townships)
  return scope.ok ? scope.township : { miss: scope.reason }
}
