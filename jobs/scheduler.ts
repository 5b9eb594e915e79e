// The Node runner of the schedule: node-cron wakes the ticker (jobs/tick.ts) at each job's time in
// China; start() first catches up what was missed while down. Node only (node-cron crashes workerd):
// the worker calls the ticker from its cron triggers instead.
import cron, { type ScheduledTask } from 'node-cron'
import { SCHEDULE, TIMEZONE } from './schedule.js'
import { createTicker, type SchedulerOptions, type TickResult } from './tick.js'

export type { Outcome, SchedulerOptions, TickResult } from './tick.js'

export function createScheduler(options: SchedulerOptions) {
  const { schedule = SCHEDULE, log = () => {} } = options
  const { tick, idle } = createTicker(options)
  const tasks: ScheduledTask[] = []
  return {
    tick,
    /** node-cron: one task per job at its time in China; and a catch-up tick now */
    async start(): Promise<TickResult[]> {
      for (const spec of schedule) {
        tasks.push(
          cron.schedule(spec.cron, () => tick(options.now(), spec.job).catch((e) => log(`定时任务出错：${String(e)}`)), {
            timezone: TIMEZONE,
            name: `weipian-${spec.job}`,
            noOverlap: true,
          }),
        )
      }
      // a county with its own times (policy jobTimes) is woken by a quarter-hour tick; the ledger keeps each period once
      tasks.push(cron.schedule('*/15 * * * *', () => tick(options.now()).catch((e) => log(`定时任务出错：${String(e)}`)), { timezone: TIMEZONE, name: 'weipian-quarter', noOverlap: true }))
      return tick()
    },
    async stop() {
      for (const task of tasks.splice(0)) await task.destroy()
      await idle()
    },
  }
}

export type Scheduler = ReturnType<typeof createScheduler>
