// The city or province roll-up as text: each county's illegal 耕地 and ratio against the county line
// (core's countyStanding, the county's own policy), overdue counts, the counties nearest the line.
import type { CountyStanding, Policy } from '../core/index.js'

const pct = (r: number) => `${(Math.round(r * 1000) / 10).toFixed(1)}%`
const mu = (n: number) => `${Math.round(n * 100) / 100}亩`
const MAX_COUNTIES = 20

export interface RollupCounty extends CountyStanding {
  overdue: number
}

export function rollupText(head: string, counties: RollupCounty[], policy: Policy): string {
  const line = policy.accountability.county
  const triggered = counties.filter((c) => c.accountability.triggered)
  const nearest = counties.filter((c) => !c.accountability.triggered).sort((a, b) => b.closeness - a.closeness || a.code.localeCompare(b.code)).slice(0, 3)
  const overdueTotal = counties.reduce((n, c) => n + c.overdue, 0)
  const lines = [head, `县级问责线：违法占用耕地${line.minMu}亩以上且比例达到${pct(line.minRatio)}（${policy.accountability.rule}）`]
  lines.push(triggered.length ? `⚠ 已达到问责线：${triggered.map((c) => `${c.name} ${mu(c.accountability.illegalMu)} ${pct(c.accountability.ratio)}`).join('；')}` : '各县均未达到问责线。')
  if (nearest.length) lines.push(`最接近问责线：${nearest.map((c) => `${c.name} ${mu(c.accountability.illegalMu)} ${pct(c.accountability.ratio)}${c.near ? '（接近）' : ''}`).join('；')}`)
  lines.push(`逾期：共${overdueTotal}项${overdueTotal ? `（${counties.filter((c) => c.overdue).sort((a, b) => b.overdue - a.overdue).slice(0, 8).map((c) => `${c.name}${c.overdue}`).join('、')}）` : ''}`)
  lines.push('各县违法占用耕地：')
  const sorted = [...counties].sort((a, b) => b.accountability.ratio - a.accountability.ratio || a.code.localeCompare(b.code))
  for (const c of sorted.slice(0, MAX_COUNTIES)) lines.push(`${c.name} ${mu(c.accountability.illegalMu)} ${pct(c.accountability.ratio)}，逾期${c.overdue}项`)
  if (sorted.length > MAX_COUNTIES) lines.push(`……另有${sorted.length - MAX_COUNTIES}个县，发送「统计 县名」查看。`)
  return lines.join('\n')
}
