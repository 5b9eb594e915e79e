// The one schedule table: node-cron (Node, jobs/scheduler.ts) or a Workers cron trigger (worker/)
// wakes the process at each job's time (China time), the working-day calendar of core/ decides whether
// the day is one of the job's days (cron cannot know 调休), and the ledger keys each run by its period.
// README.md's "Schedule" section is rendered from this table. Data only: no cron library here, so the
// worker's import graph stays free of node-cron (it crashes workerd at start-up).
import { addCalendarDays, addMonths, isWorkday, nextWorkdayOnOrAfter, weekday, type Policy } from '../core/index.js'
import { draftMonthlyBulletin, remindBulletin } from './bulletin.js'
import { deadlineWarnings } from './deadline-warnings.js'
import { leadersDigest } from './digest.js'
import { regionDigest } from './rollup.js'
import { draftLetters } from './letters.js'
import type { JobWork } from './run-context.js'

export const TIMEZONE = 'Asia/Shanghai'

export type JobName = 'digest' | 'rollup' | 'warnings' | 'bulletin' | 'letters' | 'bulletin-reminder'

/** One scheduled day of a job and the period key its run is recorded under. */
export interface Occurrence {
  period: string
  date: string
}

export interface JobSpec {
  job: JobName
  /** minute and hour, China time; the day fields stay `*` — `occurrences` decides the days */
  cron: string
  days: string
  what: string
  /** period keys scheduled on days in [from, to] (China dates), oldest first */
  occurrences(from: string, to: string, policy: Policy): Occurrence[]
  /** the last day a missed occurrence may still run; after it the period is recorded as stale */
  catchUpUntil(o: Occurrence, policy: Policy): string
  /** a newer occurrence makes an older missed one pointless (a snapshot of today's state) */
  latestOnly: boolean
  work: JobWork
  /** whose job it is: a county's (default), or a city's or province's (its roll-up) */
  region?: boolean
}

function* daysIn(from: string, to: string): Generator<string> {
  for (let d = from; d <= to; d = addCalendarDays(d, 1)) yield d
}

const workdays = (from: string, to: string): Occurrence[] => [...daysIn(from, to)].filter(isWorkday).map((d) => ({ period: d, date: d }))

/** Monday of the week of `date` (weeks run Monday to Sunday). */
const mondayOf = (date: string) => addCalendarDays(date, -((weekday(date) + 6) % 7))

/** ISO week label, e.g. 2026-W10. */
export function isoWeek(date: string): string {
  const thursday = addCalendarDays(mondayOf(date), 3)
  const jan1 = `${thursday.slice(0, 4)}-01-01`
  const week = Math.floor((Date.parse(thursday) - Date.parse(jan1)) / (7 * 86_400_000)) + 1
  return `${thursday.slice(0, 4)}-W${String(week).padStart(2, '0')}`
}

export const SCHEDULE: readonly JobSpec[] = [
  {
    job: 'digest',
    cron: '0 8 * * *',
    days: 'working days',
    what: "leaders' daily digest: new patches since the last digest, due this week, overdue, each township's illegal 耕地 and ratio against the 问责 line, townships with no group bound yet (and their waiting patches), documents waiting; text + bar chart",
    occurrences: workdays,
    // a digest missed yesterday still goes out this morning, marked late; older ones are stale
    catchUpUntil: (o) => nextWorkdayOnOrAfter(addCalendarDays(o.date, 1)),
    latestOnly: true,
    work: leadersDigest,
  },
  {
    job: 'rollup',
    cron: '0 8 * * *',
    days: 'working days',
    what: "a city's or province's leaders' group (`绑定 市级` / `绑定 省级`): each county's illegal 耕地 and ratio against the county line (`accountability.county`), overdue counts, the counties nearest the line; after the counties' digests",
    occurrences: workdays,
    catchUpUntil: (o) => nextWorkdayOnOrAfter(addCalendarDays(o.date, 1)),
    latestOnly: true,
    work: regionDigest,
    region: true,
  },
  {
    job: 'warnings',
    cron: '30 8 * * *',
    days: 'working days',
    what: 'deadline warnings from every open step: due soon (`warnings.leadWorkdays`), due today, overdue — one message per township group; overdue escalated to the 卫片办 and, past `escalation.leadersAfterOverdueWorkdays`, to the leaders; plus the tenant-wide dates of `yearSchedule` (monthly corrections, quarterly self-checks, half-year, annual, military reports)',
    occurrences: workdays,
    catchUpUntil: (o) => o.date, // tomorrow's list replaces it
    latestOnly: true,
    work: deadlineWarnings,
  },
  {
    job: 'bulletin',
    cron: '0 9 * * *',
    days: 'first working day of the month',
    what: "每月5号通报: last month's ranking drafted (.docx) and sent to the leader as a card (同意/退回); on 同意 it goes to every township group and the 卫片办 (due by core's `bulletinPublishDate`); drafted after that date (the system was down) it is marked 迟报 with the reason and the 卫片办 told",
    occurrences(from, to) {
      const out: Occurrence[] = []
      for (let m = `${from.slice(0, 7)}-01`; m <= to; m = addMonths(m, 1)) {
        const date = nextWorkdayOnOrAfter(m)
        if (date >= from && date <= to) out.push({ period: addMonths(m, -1).slice(0, 7), date })
      }
      return out
    },
    // never stale: a bulletin caught up after its publish date is drafted as 迟报 and the office told
    catchUpUntil: () => '9999-12-31',
    latestOnly: false,
    work: draftMonthlyBulletin,
  },
  {
    job: 'letters',
    cron: '30 9 * * *',
    days: 'first working day of the week',
    what: "警示提醒函 / 执法监督建议函 drafts for the townships core's `letterDue` names (at or near the 问责 line, 警示约谈 areas, overdue past `letters.*OverdueWorkdays`): .docx + card (批准/作废) to the 卫片办; one of a kind per township per month",
    occurrences: (from, to) =>
      workdays(from, to)
        .filter((o) => !workdays(mondayOf(o.date), addCalendarDays(o.date, -1)).length)
        .map((o) => ({ period: isoWeek(o.date), date: o.date })),
    catchUpUntil: (o) => addCalendarDays(mondayOf(o.date), 6),
    latestOnly: true,
    work: draftLetters,
  },
  {
    job: 'bulletin-reminder',
    cron: '0 10 * * *',
    days: 'working days',
    what: 'a bulletin still undecided a working day after its draft: the card again to the leader (and the 卫片办 once the publish date has passed)',
    occurrences: workdays,
    catchUpUntil: (o) => o.date,
    latestOnly: true,
    work: remindBulletin,
  },
]

/**
 * A job's time as `minute hour * * *` (China time): single numbers, the day fields `*`. Throws with
 * the reason otherwise. The days are the calendar's (a 调休 Saturday is a working day), so cron
 * must wake every day.
 */
export function dailyTime(expression: string): { hour: number; minute: number } {
  const fields = expression.trim().split(/\s+/)
  if (fields.length !== 5) throw new Error(`「${expression}」应为 5 个字段：分 时 * * *`)
  if (fields.slice(2).join(' ') !== '* * *') throw new Error(`「${expression}」：日、月、星期字段须为 *（工作日由节假日日历决定）`)
  const [minute, hour] = [fields[0]!, fields[1]!].map((f) => (/^\d{1,2}$/.test(f) ? Number(f) : NaN))
  if (!(minute! >= 0 && minute! <= 59)) throw new Error(`「${expression}」：分钟应为 0–59 的一个数`)
  if (!(hour! >= 0 && hour! <= 23)) throw new Error(`「${expression}」：小时应为 0–23 的一个数`)
  return { hour: hour!, minute: minute! }
}

/** Minutes after midnight (China time) at which a job becomes due on its days. */
export function minuteOfDay(expression: string): number {
  const { hour, minute } = dailyTime(expression)
  return hour * 60 + minute
}

/**
 * The table's times as Workers cron triggers (UTC, which is China time − 8 h; China has no summer
 * time): one trigger per minute of the day the table needs, every day — the calendar decides the days.
 * wrangler.toml's [triggers] crons are this list (a test keeps them equal).
 */
export function utcCrons(schedule: readonly JobSpec[] = SCHEDULE): string[] {
  const minutes = [...new Set(schedule.map((s) => minuteOfDay(s.cron)))].sort((a, b) => a - b)
  return minutes.map((m) => {
    const utc = (m - 8 * 60 + 24 * 60) % (24 * 60)
    return `${utc % 60} ${Math.floor(utc / 60)} * * *`
  })
}

/**
 * The table with deployment overrides of the times: JOB_CRON_DIGEST='15 7 * * *' and so on
 * (JOB_CRON_ + the job name in upper case, '-' as '_'). Invalid expressions are refused at start.
 */
export function scheduleFromEnv(env: Record<string, string | undefined> = process.env, base: readonly JobSpec[] = SCHEDULE): JobSpec[] {
  return base.map((spec) => {
    const override = env[`JOB_CRON_${spec.job.toUpperCase().replace(/-/g, '_')}`]
    if (!override) return spec
    try {
      dailyTime(override)
    } catch (error) {
      throw new Error(`JOB_CRON_${spec.job}: ${error instanceof Error ? error.message : String(error)}`)
    }
    return { ...spec, cron: override }
  })
}

export function scheduleMarkdown(schedule: readonly JobSpec[] = SCHEDULE): string {
  const rows = schedule.map((s) => `| \`${s.job}\` | \`${s.cron}\` | ${s.days} | ${s.what} |`)
  return ['| job | cron (Asia/Shanghai) | days | what |', '|---|---|---|---|', ...rows].join('\n')
}
