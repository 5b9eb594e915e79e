// The city or province leaders' roll-up (a 领导 group bound with 绑定 市级 / 绑定 省级): per county the
// year's illegal 耕地 and ratio against the county line, overdue counts, the counties nearest the
// line. Read from the counters of all its counties at once (one grouped query).
import { countyStanding, weekday } from '../core/index.js'
import { LEVEL_NAMES } from '../db/queries/regions.js'
import { overdueByCounty, rollupInputs } from '../db/queries/rollup.js'
import { tenantPolicy } from '../db/queries/tenant-policy.js'
import { rollupText } from '../render/rollup.js'
import type { JobRun } from './run-context.js'

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']
const md = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`

export async function regionDigest(run: JobRun): Promise<string> {
  const { today } = run
  const year = today.slice(0, 4)
  const { counties, counters } = await rollupInputs(run.trx, run.tenant, year)
  const overdue = await overdueByCounty(run.trx, counties.map((c) => c.id), today)
  // each county against its own policy's county line
  const standings = counties.map((c) => ({ ...countyStanding(c, counters.get(c.id) ?? [], year, tenantPolicy(c.policy_overrides)), overdue: overdue.get(c.id) ?? 0 }))
  const head = `【${LEVEL_NAMES[run.tenant.level]}简报】${run.tenant.name} ${md(today)} ${WEEKDAYS[weekday(today)]}${run.late ? `（迟发：${md(run.date)}简报）` : ''}，所辖${counties.length}个县`
  const text = counties.length ? rollupText(head, standings, run.policy) : `${head}\n尚无县接入本系统。`
  await run.send({ kind: 'leaders' }, { kind: 'text', text }, 'text')
  return `${counties.length} counties, ${standings.filter((s) => s.accountability.triggered).length} at the line`
}
