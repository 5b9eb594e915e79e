// A city or province chat (a 领导 group bound with 绑定 市级 / 绑定 省级): 统计 is the roll-up of its
// counties, 统计 <县名> one county's figures, 逾期 the counts per county. It reads; core's authorize
// refuses every action on a patch there.
import { chinaDate, counterAccountability, countyScope, countyStanding, stateLabel, stateTotals } from '../../core/index.js'
import { countersOf } from '../../db/queries/counters.js'
import { overdueByCounty, rollupInputs } from '../../db/queries/rollup.js'
import { countiesUnder, LEVEL_NAMES } from '../../db/queries/regions.js'
import { tenantPolicy } from '../../db/queries/tenant-policy.js'
import { rollupText } from '../../render/rollup.js'
import type { Context } from './context.js'

const pct = (r: number) => `${(r * 100).toFixed(1)}%`
const mu = (n: number) => `${Math.round(n * 100) / 100}亩`

export const REGION_HELP = '可用指令：统计（所辖各县违法占用耕地与问责线）｜统计 县名（一个县的统计）｜逾期（各县逾期数）｜帮助。图斑的核查、判定、整改由各县办理。'

export async function handleRegionStats(ctx: Context, name: string | undefined) {
  const today = chinaDate(ctx.now)
  const year = today.slice(0, 4)
  if (name) {
    const counties = await countiesUnder(ctx.trx, ctx.tenant)
    const scope = countyScope(name, counties)
    if (!scope.ok) return ctx.reply(scope.reason)
    const county = scope.county!
    const policy = tenantPolicy(county.policy_overrides)
    const rows = await countersOf(ctx.trx, county.id, { fold: 'townships' })
    const byState = stateTotals(rows)
    const a = counterAccountability(rows, 'county', policy)
    const line = policy.accountability.county
    const total = byState.reduce((n, r) => n + r.n, 0)
    return ctx.reply([
      `${county.name}：图斑${total}个（${byState.map((r) => `${stateLabel(r.state)}${r.n}`).join('，') || '无'}）`,
      `违法占用耕地${mu(a.illegalMu)}，新增建设占用耕地${mu(a.totalMu)}，比例${pct(a.ratio)}`,
      `县级问责线：${line.minMu}亩且${pct(line.minRatio)}，${a.triggered ? '⚠ 已达到问责条件' : '未达到'}`,
    ].join('\n'))
  }
  const { counties, counters } = await rollupInputs(ctx.trx, ctx.tenant, year)
  if (counties.length === 0) return ctx.reply(`${ctx.tenant.name}下还没有县接入本系统。`)
  const overdue = await overdueByCounty(ctx.trx, counties.map((c) => c.id), today)
  const standings = counties.map((c) => ({ ...countyStanding(c, counters.get(c.id) ?? [], year, tenantPolicy(c.policy_overrides)), overdue: overdue.get(c.id) ?? 0 }))
  ctx.reply(rollupText(`${ctx.tenant.name}（${LEVEL_NAMES[ctx.tenant.level]}，${counties.length}个县）${year}年`, standings, ctx.policy))
}

export async function handleRegionOverdue(ctx: Context) {
  const counties = await countiesUnder(ctx.trx, ctx.tenant)
  const overdue = await overdueByCounty(ctx.trx, counties.map((c) => c.id), chinaDate(ctx.now))
  const withAny = counties.filter((c) => overdue.get(c.id)).sort((a, b) => overdue.get(b.id)! - overdue.get(a.id)!)
  if (withAny.length === 0) return ctx.reply(`${ctx.tenant.name}所辖各县目前没有逾期图斑。`)
  const total = withAny.reduce((n, c) => n + overdue.get(c.id)!, 0)
  ctx.reply(`逾期共${total}项：\n${withAny.slice(0, 30).map((c) => `${c.name} ${overdue.get(c.id)}项`).join('\n')}${withAny.length > 30 ? `\n……另有${withAny.length - 30}个县` : ''}`)
}
