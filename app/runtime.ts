import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { dispatchIssued } from '../jobs/dispatch.js'
import { createScheduler, type SchedulerOptions } from '../jobs/scheduler.js'
import { createApp, type AppDeps } from './http.js'
import type { Channel } from '../delivery/channel.js'
import { ConsoleChannel } from '../bot/console/console-channel.js'
import { createMaterialiser } from '../delivery/outbox/materialise.js'
import { deliverDue } from '../delivery/outbox/sender.js'
import { handleInbound, replayUnhandled, type PipelineDeps } from '../bot/pipeline/process-inbound.js'

export interface RuntimeOptions {
  db: Kysely<Database>
  now: () => Date
  console: boolean
  apiToken?: string | undefined
  requireApiToken?: boolean
  channels?: Channel[]
  log?: (line: string) => void
  afterStore?: PipelineDeps['afterStore']
  /** the Feishu webhook route (FeishuChannel.webhook()), when Feishu runs in webhook mode */
  feishu?: AppDeps['feishu']
  /** scheduled work (jobs/schedule.ts): the table, the advisory lock, test hooks */
  scheduler?: Partial<Omit<SchedulerOptions, 'db' | 'now'>>
}

/**
 * The system wired together, without timers or sockets: main.ts adds those, tests drive it directly.
 * channel → handleInbound → core → one transaction → outbox → deliver → channel.
 */
export async function createRuntime(options: RuntimeOptions) {
  const channels = new Map<string, Channel>()
  for (const channel of options.channels ?? []) channels.set(channel.platform, channel)
  const consoleChannel = options.console ? new ConsoleChannel() : undefined
  if (consoleChannel) channels.set(consoleChannel.platform, consoleChannel)

  const log = options.log ?? (() => {})
  const pipeline: PipelineDeps = {
    db: options.db, channels, now: options.now, log,
    ...(options.afterStore ? { afterStore: options.afterStore } : {}),
  }
  const materialise = createMaterialiser(options.db)

  /** Delivers until nothing more is due now (bounded: a failing row waits for its backoff). */
  async function flush(maxRounds = 1000): Promise<number> {
    let total = 0
    for (let round = 0; round < maxRounds; round++) {
      const sent = await deliverDue(options.db, channels, materialise, options.now(), { log })
      if (sent === 0) break
      total += sent
    }
    return total
  }

  for (const channel of channels.values()) await channel.start((message) => handleInbound(pipeline, message).then(() => {}))

  const app = createApp({
    db: options.db,
    now: options.now,
    apiToken: options.apiToken,
    requireApiToken: options.requireApiToken ?? false,
    console: consoleChannel ? { console: consoleChannel, flush } : undefined,
    feishu: options.feishu,
  })

  const scheduler = createScheduler({ db: options.db, now: options.now, log, ...options.scheduler })

  return {
    app,
    scheduler,
    channels,
    console: consoleChannel,
    pipeline,
    flush,
    dispatch: () => dispatchIssued(options.db, options.now()),
    replay: (options?: Parameters<typeof replayUnhandled>[1]) => replayUnhandled(pipeline, options),
    async stop() {
      await scheduler.stop()
      for (const channel of channels.values()) await channel.stop()
    },
  }
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>
