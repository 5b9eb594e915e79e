// Working-day morning warnings: every open step of every patch through core's warningFor — one
// message per township group listing its patches, overdue items escalated to the 卫片办 and, past
// the policy's limit, to the leaders — plus the tenant-wide dates of yearSchedule.
import { deadlinesFor, patchAudience, recordDue, warningHorizon, yearSchedule, type ScheduledDate, type WarningLevel } from '../core/index.js'
import { recordsOf } from '../db/queries/county-records.js'
import type { JobRun } from './run-context.js'
import { safeWarning } from '../core/township-facts.js'
import { patchIdsDueBy } from '../db/queries/counters.js'
import { loadTenant, loadTenantPatches } from '../db/queries/tenant-patches.js'

interface Line {
  level: WarningLevel
  text: string
}

const ORDER: Record<WarningLevel, number> = { overdue: 0, due_today: 1, due_soon: 2 }
const HEADINGS: Record<WarningLevel, string> = { overdue: '已逾期', due_today: '今天到期', due_soon: '即将到期' }
const MAX_LINES = 12

// policy choice: townships assist with the monthly corrections, progress reports and quarterly
// self-checks (001:53-55, 003:99); the half-year, annual and military reports are the office's own.
const TOWNSHIP_KINDS: ReadonlySet<ScheduledDate['kind']> = new Set(['correction', 'progress', 'quarterly'])

export async function deadlineWarnings(run: JobRun): Promise<string> {
  const { policy, today } = run
  // only patches with a step due before core's horizon can be warned of today (an index range)
  const horizon = warningHorizon(today, policy)
  const { townships, patches } = horizon === undefined
    ? await loadTenant(run.trx, run.tenant.id)
    : await loadTenantPatches(run.trx, run.tenant.id, await patchIdsDueBy(run.trx, run.tenant.id, horizon, true))
  const gaps = new Set<string>()
  const perTownship = new Map<number, Line[]>()
  const toOffice = new Map<string, Line[]>() // township name → escalated lines
  const toLeaders = new Map<string, Line[]>()
  const push = <K>(map: Map<K, Line[]>, key: K, line: Line) => map.set(key, [...(map.get(key) ?? []), line])

  for (const p of patches) {
    const where = p.township?.name ?? '未定乡镇'
    for (const d of deadlinesFor(p.snapshot, policy)) {
      const w = safeWarning(d.due, today, d.label, policy, gaps)
      if (!w) continue
      const line = { level: w.level, text: `${p.row.number} ${w.text}` }
      const audience = patchAudience({ military: p.row.military, townshipId: p.township?.id ?? null })
      if (audience.kind === 'office') push(toOffice, where, line)
      else {
        push(perTownship, audience.townshipId, line)
        if (w.recipients.includes('office')) push(toOffice, where, line)
      }
      if (w.recipients.includes('leaders')) push(toLeaders, where, line)
    }
  }

  // the county's records (issue 12 points 12, 14): a township's 约谈/问责 report (001:103) is warned to
  // it like a patch's step and escalates the same way; a department's year-end 移交 return (001:41)
  // is the office's to chase (departments have no chat here)
  for (const r of await recordsOf(run.trx, run.tenant.id, ['talk', 'accountability', 'handover', 'bulletin'])) {
    if (r.closed_on || !r.due_on) continue
    const what = recordDue(r.kind, r.held_on, policy)?.label ?? ''
    const subject = r.kind === 'handover' ? `${r.patch_no ?? ''}移交${r.department ?? ''}：` : `${r.held_on}${{ talk: '约谈', accountability: '问责', bulletin: '公开通报' }[r.kind as 'talk']}：`
    const w = safeWarning(r.due_on, today, `${subject}${what}`, policy, gaps)
    if (!w) continue
    const where = r.township_name ?? '未定乡镇'
    const line = { level: w.level, text: w.text }
    if (r.kind !== 'handover' && r.township_id !== null) {
      push(perTownship, r.township_id, line)
      if (w.recipients.includes('office')) push(toOffice, where, line)
    } else {
      // a hand-over may be of military land: the office hears it, never a township group (001:61)
      push(toOffice, where, line)
    }
    if (w.recipients.includes('leaders')) push(toLeaders, where, r.military ? { ...line, text: '军用土地图斑移交处置结果逾期（详见卫片办）' } : line)
  }

  // tenant-wide dates: only ahead and on the day; nothing records their completion, so no "overdue"
  const dates: Line[] = []
  const townshipDates: Line[] = []
  const years = [Number(today.slice(0, 4)), Number(today.slice(0, 4)) + 1]
  for (const year of years) {
    let schedule: ScheduledDate[]
    try {
      schedule = yearSchedule(year, policy)
    } catch {
      continue // next year's holidays not published yet: its January dates are warned once they are
    }
    for (const s of schedule) {
      if (s.kind === 'bulletin') continue // the bulletin job owns it
      const w = safeWarning(s.date, today, s.label, policy)
      if (!w || w.level === 'overdue') continue
      // 001:61 the office hears how many military patches the confidential report covers, never which
      const military = patches.filter((p) => p.row.military).length
      const line = { level: w.level, text: s.kind === 'military' && military > 0 ? `${w.text}（本县军用土地图斑${military}个，以机要件办理）` : w.text }
      dates.push(line)
      if (TOWNSHIP_KINDS.has(s.kind)) townshipDates.push(line)
    }
  }

  const day = `${Number(today.slice(5, 7))}月${Number(today.slice(8, 10))}日`
  let messages = 0
  for (const t of townships) {
    const lines = perTownship.get(t.id) ?? []
    if (lines.length === 0 && townshipDates.length === 0) continue
    const parts = [`【期限提醒】${t.name} ${day}`, ...sections(lines)]
    if (townshipDates.length) parts.push('全县工作节点：', ...townshipDates.map((l) => l.text))
    // say it was escalated only when it was: the office hears after the policy's overdue days
    if (toOffice.has(t.name)) parts.push('逾期事项已报县卫片办，请抓紧办理。')
    else if (lines.some((l) => l.level === 'overdue')) parts.push('以上事项已逾期，请抓紧办理。')
    await run.send({ kind: 'township', townshipId: t.id }, { kind: 'text', text: parts.join('\n') }, `township:${t.id}`)
    messages++
  }
  if (toOffice.size || dates.length || gaps.size) {
    const parts = [`【期限提醒·卫片办】${day}`]
    for (const [name, lines] of byCount(toOffice)) parts.push(`${name}（${lines.length}项）：`, ...capped(sorted(lines), 3))
    if (dates.length) parts.push('全县工作节点：', ...dates.map((l) => l.text))
    parts.push(...gaps)
    await run.send({ kind: 'office' }, { kind: 'text', text: parts.join('\n') }, 'office')
    messages++
  }
  if (toLeaders.size) {
    // a leader reads counts; the office has the lists
    const all = [...toLeaders.values()].flat()
    const parts = [
      `【逾期报告】${day}`,
      `逾期${policy.escalation.leadersAfterOverdueWorkdays}个工作日以上共${all.length}项：${byCount(toLeaders).map(([name, lines]) => `${name}${lines.length}`).join('、')}`,
      ...capped(sorted(all), 3),
    ]
    await run.send({ kind: 'leaders' }, { kind: 'text', text: parts.join('\n') }, 'leaders')
    messages++
  }
  return `${messages} messages`
}

function byCount(map: Map<string, Line[]>): Array<[string, Line[]]> {
  return [...map].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0], 'zh'))
}

function sorted(lines: Line[]): Line[] {
  return [...lines].sort((a, b) => ORDER[a.level] - ORDER[b.level] || a.text.localeCompare(b.text))
}

function capped(lines: Line[], max: number): string[] {
  const shown = lines.slice(0, max).map((l) => l.text)
  if (lines.length > max) shown.push(`……另有${lines.length - max}项，发送「逾期」查看。`)
  return shown
}

function sections(lines: Line[]): string[] {
  const out: string[] = []
  for (const level of ['overdue', 'due_today', 'due_soon'] as const) {
    const of = lines.filter((l) => l.level === level)
    if (of.length) out.push(`${HEADINGS[level]}（${of.length}项）：`, ...capped(sorted(of), MAX_LINES))
  }
  return out
}
