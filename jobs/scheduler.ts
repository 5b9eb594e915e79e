// The Node runner of the schedule: node-cron wakes the ticker (jobs/tick.ts) at each job's time in
// China; start() first catches up what was missed while down. Node only (node-cron crashes workerd):
// the worker calls the ticker from its cron triggers instead.
import nodeCron from 'node-cron'
import { SCHEDULE, TIMEZONE } from './schedule.js'
import { createTicker, type SchedulerOptions as TickerOptions, type TickResult } from './tick.js'

export type { Outcome, TickResult } from './tick.js'

/** The part of node-cron the scheduler uses (tests pass one they fire on a fake clock). */
export interface CronLike {
  schedule(expression: string, run: () => unknown, options: { timezone: string; name: string; noOverlap: boolean }): { destroy(): unknown }
}

export interface SchedulerOptions extends TickerOptions {
  cron?: CronLike
}

/** Every minute: a tick left unsettled (lock busy, a run failed) is tried again the same day. */
export const RECHECK_CRON = '* * * * *'

export function createScheduler(options: SchedulerOptions) {
  const { schedule = SCHEDULE, log = () => {}, cron = nodeCron as CronLike } = options
  const { tick, recheck, idle } = createTicker(options)
  const tasks: Array<{ destroy(): unknown }> = []
  const every = (expression: string, name: string, run: () => Promise<unknown>) =>
    tasks.push(cron.schedule(expression, () => run().catch((e) => log(`定时任务出错：${String(e)}`)), { timezone: TIMEZONE, name, noOverlap: true }))
  return {
    tick,
    /** node-cron: one task per job at its time in China, the minute's recheck; and a catch-up tick now */
    async start(): Promise<TickResult[]> {
      for (const spec of schedule) every(spec.cron, `weipian-${spec.job}`, () => tick(options.now(), spec.job))
      // a county with its own times (policy jobTimes) is woken by a quarter-hour tick; the ledger keeps each period once
      every('*/15 * * * *', 'weipian-quarter', () => tick(options.now()))
      every(RECHECK_CRON, 'weipian-recheck', () => recheck(options.now()))
      return tick()
    },
    async stop() {
      for (const task of tasks.splice(0)) await task.destroy()
      await idle()
    },
  }
}

export type Scheduler = ReturnType<typeof createScheduler>
