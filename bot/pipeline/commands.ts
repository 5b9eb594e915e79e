import {
  HELP_TEXT,
  accountabilityItemOf,
  assessAccountability,
  chinaDate,
  deadlinesFor,
  describeJudgment,
  dueText,
  stateLabel,
  type AccountabilityItem,
  type PatchSnapshot,
  type PatchState,
} from '../../core/index.js'
import { sql } from 'kysely'
import { loadPatch } from '../../db/queries/patches.js'
import type { Context } from './context.js'
import { resolvePatch } from './resolve-patch.js'
import { howToWrite } from './platform-notes.js'

const pct = (r: number) => `${(r * 100).toFixed(1)}%`
const mu = (n: number) => `${Math.round(n * 100) / 100}亩`

export function handleHelp(ctx: Context) {
  const staff = ctx.person && ['staff', 'admin'].includes(ctx.person.role)
  const note = howToWrite(ctx.inbound.platform)
  const text = staff ? `${HELP_TEXT}\n卫片办：待审核｜确认 图斑号｜退回 图斑号 理由｜验收 图斑号｜驳回 图斑号 理由。` : HELP_TEXT
  ctx.reply(note ? `${text}\n${note}` : text)
}

/** `查 <号>`: state, deadlines, evidence and the last steps — short enough for a phone. */
export async function handleQuery(ctx: Context, patchNo: string | undefined) {
  const link = await resolvePatch(ctx, patchNo, false)
  if ('error' in link) return ctx.reply(patchNo || ctx.inbound.action?.value.patchId ? link.error : '请写明图斑编号，如：查 JC2026450329001')
  const loaded = await loadPatch(ctx.trx, link.patchId)
  if (!loaded) return ctx.reply('未找到该图斑。')
  if (loaded.row.tenant_id !== ctx.tenant.id) return ctx.reply('未找到该图斑。')
  if ((ctx.chat.kind === 'township' || (ctx.chat.kind === 'direct' && ctx.person?.role === 'official')) && loaded.row.military) return ctx.reply(`图斑 ${loaded.row.number} 涉及军用土地，按机要件处理，不能在乡镇群查看。`)
  if (!mayRead(ctx, loaded.row.township_id)) return ctx.reply(`图斑 ${loaded.row.number} 不属于本乡镇，不能查看。`)
  const s = loaded.snapshot
  const township = await ctx.trx.selectFrom('townships').select('name').where('id', '=', loaded.row.township_id ?? -1).executeTakeFirst()
  const events = await ctx.trx
    .selectFrom('patch_events')
    .select(['type', 'at'])
    .where('patch_id', '=', link.patchId)
    .orderBy('seq', 'desc')
    .limit(4)
    .execute()
  const today = chinaDate(ctx.now)
  const lines = [
    `图斑 ${s.number}（${township?.name ?? '未定乡镇'}，${s.category}）`,
    `状态：${stateLabel(s.state)}；面积${mu(s.areaMu)}，耕地${mu(s.farmlandMu)}`,
    `举证：照片${s.evidence.photos}张${s.evidence.flaggedPhotos ? `（存疑${s.evidence.flaggedPhotos}张）` : ''}，位置${s.evidence.locations}个，实地核查${s.evidence.fieldCheck ? '有' : '无'}`,
  ]
  if (s.judgment) lines.push(`判定：${describeJudgment(s.judgment)}`)
  else if (s.proposal) lines.push(`上报：${describeJudgment(s.proposal.judgment)}${s.proposal.missing.length ? `（缺：${s.proposal.missing.join('、')}）` : ''}`)
  for (const d of deadlinesFor(s, ctx.policy)) lines.push(`期限：${d.label} ${dueText(d.due)}${d.due < today ? '（已逾期）' : ''}`)
  lines.push(`记录：${events.reverse().map((e) => `${chinaDate(e.at).slice(5)} ${EVENT_LABELS[e.type] ?? e.type}`).join('；')}`)
  ctx.reply(lines.join('\n'), link.patchId)
}

/** `统计 [乡镇]`: counts by state, illegal 耕地 and the ratio against the 问责 line. */
export async function handleStats(ctx: Context, townshipName: string | undefined) {
  const scope = await scopeTownship(ctx, townshipName)
  if (scope === 'unknown') return ctx.reply(`未找到乡镇「${townshipName}」。请写乡镇全称，如：统计 资源镇`)
  let counts = ctx.trx
    .selectFrom('patches')
    .select(['state', sql<number>`count(*)::int`.as('n')])
    .where('tenant_id', '=', ctx.tenant.id)
    .groupBy('state')
  // only judged patches take part in the ratio: read just what core needs of them
  let judged = ctx.trx
    .selectFrom('patches')
    .select(['state', 'farmland_mu', 'judgment', 'rectification'])
    .where('tenant_id', '=', ctx.tenant.id)
    .where('judgment', 'is not', null)
  if (scope) {
    counts = counts.where('township_id', '=', scope.id)
    judged = judged.where('township_id', '=', scope.id)
  }
  const byState = await counts.execute()
  const items: AccountabilityItem[] = []
  for (const row of await judged.execute()) {
    const item = accountabilityItemOf({
      state: row.state as PatchState,
      farmlandMu: row.farmland_mu,
      judgment: row.judgment as PatchSnapshot['judgment'],
      rectification: (row.rectification ?? undefined) as PatchSnapshot['rectification'],
    })
    if (item) items.push(item)
  }
  const level = scope ? 'township' : 'county'
  const a = assessAccountability(items, level, ctx.policy)
  const line = ctx.policy.accountability[level]
  const total = byState.reduce((sum, r) => sum + r.n, 0)
  const text = byState.map((r) => `${stateLabel(r.state as PatchState)}${r.n}`).join('，')
  ctx.reply(
    [
      `${scope?.name ?? ctx.tenant.name}：图斑${total}个（${text || '无'}）`,
      `违法占用耕地${mu(a.illegalMu)}，新增建设占用耕地${mu(a.totalMu)}，比例${pct(a.ratio)}`,
      `问责线：${line.minMu}亩且${pct(line.minRatio)}，${a.triggered ? '⚠ 已达到问责条件' : '未达到'}`,
    ].join('\n'),
  )
}

/** `逾期`: open steps past their due date, oldest first (the comparison runs in the database). */
export async function handleOverdue(ctx: Context, townshipName: string | undefined) {
  const scope = await scopeTownship(ctx, townshipName)
  if (scope === 'unknown') return ctx.reply(`未找到乡镇「${townshipName}」。`)
  const today = chinaDate(ctx.now)
  let q = ctx.trx
    .selectFrom(sql<{ number: string; township_id: number | null; due: string }>`(
      select p.number, p.township_id, d.value as due
      from patches p cross join lateral jsonb_each_text(p.due) d
      where p.tenant_id = ${ctx.tenant.id} and d.value < ${today}
        and (${ctx.chat.kind !== 'township'} or not p.military))`.as('o'))
    .select(['o.number', 'o.due'])
  if (scope) q = q.where('o.township_id', '=', scope.id)
  const overdue = await q.orderBy('o.due').orderBy('o.number').execute()
  if (overdue.length === 0) return ctx.reply(`${scope?.name ?? ctx.tenant.name}目前没有逾期图斑。`)
  const shown = overdue.slice(0, 15).map((o) => `${o.number}（应于${o.due}前）`)
  ctx.reply(`逾期${overdue.length}项：\n${shown.join('\n')}${overdue.length > 15 ? `\n……另有${overdue.length - 15}项` : ''}`)
}

/** `待审核`: reports and rectifications waiting for the office, oldest first. */
export async function handleReviewQueue(ctx: Context) {
  // the county's queue (other townships' numbers, military land) is the office's, not a township group's
  if (ctx.chat.kind === 'township' || !ctx.person || !['staff', 'admin', 'leader'].includes(ctx.person.role)) {
    return ctx.reply('「待审核」仅供县卫片办工作人员在卫片办群或私聊中使用。查询本乡镇图斑请发送「查 图斑号」或「统计」。')
  }
  const waiting = await ctx.trx
    .selectFrom('patches')
    .leftJoin('townships', 'townships.id', 'patches.township_id')
    .select(['patches.number', 'patches.state', 'townships.name as township'])
    .where('patches.tenant_id', '=', ctx.tenant.id)
    .where('patches.state', 'in', ['reported', 'rectified'])
    .orderBy('patches.updated_at')
    .limit(20)
    .execute()
  if (waiting.length === 0) return ctx.reply('目前没有待审核或待验收的图斑。')
  const lines = waiting.map((w) => `${w.number}（${w.township ?? ''}，${w.state === 'reported' ? '待审核' : '待验收'}）`)
  ctx.reply(`待办${waiting.length}项：\n${lines.join('\n')}\n发送「确认 图斑号」「退回 图斑号 理由」「验收 图斑号」办理。`)
}

const EVENT_LABELS: Record<string, string> = {
  imported: '导入',
  pushed: '推送',
  proposal_recorded: '上报待补',
  evidence_added: '举证',
  evidence_flagged: '存疑照片',
  reported: '核查上报',
  judged: '判定',
  sent_back: '退回',
  rectification_started: '整改开始',
  rectification_recorded: '整改待补',
  rectified: '整改上报',
  accepted: '验收',
  rectification_rejected: '驳回整改',
  closed: '办结',
}

/** Officials see their own township; staff and leaders the county — but a township group only its own. */
function mayRead(ctx: Context, townshipId: number | null): boolean {
  if (ctx.chat.kind === 'township' && ctx.township && ctx.township.id !== townshipId) return false
  if (!ctx.person) return ctx.chat.kind !== 'township' || ctx.township?.id === townshipId
  if (ctx.person.role !== 'official') return true
  return ctx.person.township_id === townshipId
}

async function scopeTownship(ctx: Context, name: string | undefined) {
  // a township group sees its own township, whoever asks
  if (ctx.chat.kind === 'township' && ctx.township) return ctx.township
  if (!name) {
    // an official's statistics are their township's
    if (ctx.person?.role === 'official' || (!ctx.person && ctx.chat.kind === 'township')) return ctx.township
    return undefined
  }
  const row = await ctx.trx
    .selectFrom('townships')
    .select(['id', 'code', 'name'])
    .where('tenant_id', '=', ctx.tenant.id)
    .where((eb) => eb.or([eb('name', '=', name), eb('name', 'like', `${name}%`), eb('code', '=', name)]))
    .executeTakeFirst()
  if (!row) return 'unknown' as const
  if (ctx.person?.role === 'official' && ctx.person.township_id !== row.id) return ctx.township
  return row
}

