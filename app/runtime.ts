import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { dispatchIssued } from '../jobs/dispatch.js'
import { createScheduler, type SchedulerOptions } from '../jobs/scheduler.js'
import { createApp } from './http.js'
import type { Channel, Receiver, Sender } from '../delivery/channel.js'
import { ConsoleChannel } from '../bot/console/console-channel.js'
import { createMaterialiser } from '../delivery/outbox/materialise.js'
import { deliverDue, reclaimOrphanedLeases, type SenderOptions } from '../delivery/outbox/sender.js'
import { deploymentId } from '../db/queries/deployment.js'
import { processName } from '../db/open.js'
import { reportDead } from '../jobs/undelivered.js'
import { createPipeline, type PipelineDeps } from '../bot/pipeline/pipeline.js'

export interface RuntimeOptions {
  db: Kysely<Database>
  now: () => Date
  console: boolean
  apiToken?: string | undefined
  requireApiToken?: boolean
  /** the messengers (app/channels.ts builds them from the configuration) */
  channels?: Channel[]
  log?: (line: string) => void
  afterStore?: PipelineDeps['afterStore']
  /** scheduled work (jobs/schedule.ts): the table, the advisory lock, test hooks */
  scheduler?: Partial<Omit<SchedulerOptions, 'db' | 'now'>>
  /** the outbox sender's knobs (tests: a seeded jitter, other limits) */
  sender?: Pick<SenderOptions, 'random' | 'maxAttempts' | 'giveUpAfterMs' | 'leaseMs' | 'holder'>
}

/**
 * The system wired together, without timers or sockets: main.ts adds those, tests drive it directly.
 * receiver → pipeline.accept → core → one transaction → outbox → deliver → sender.
 * Every receiver starts only once the pipeline exists, so there is no path in before it.
 */
export async function createRuntime(options: RuntimeOptions) {
  const senders = new Map<string, Sender>()
  const receivers: Receiver[] = []
  for (const channel of options.channels ?? []) {
    senders.set(channel.platform, channel.sender)
    receivers.push(...channel.receivers)
  }
  const consoleChannel = options.console ? new ConsoleChannel() : undefined
  if (consoleChannel) {
    senders.set(consoleChannel.platform, consoleChannel)
    receivers.push(consoleChannel)
  }

  const log = options.log ?? (() => {})
  const pipeline = createPipeline({
    db: options.db, senders, now: options.now, log,
    ...(options.afterStore ? { afterStore: options.afterStore } : {}),
  })
  const materialise = createMaterialiser(options.db)
  // every key sent to a platform carries this database's id; leases carry this process's name
  const senderOptions: SenderOptions = {
    log, deploymentId: await deploymentId(options.db), holder: processName, onDead: reportDead, ...options.sender,
  }
  // rows a dead process had claimed are due now, not after their lease
  const reclaimed = await reclaimOrphanedLeases(options.db, senderOptions.holder!, options.now())
  if (reclaimed) log(`收回已退出进程占用的待发消息 ${reclaimed} 条`)

  /** Delivers until nothing more is due now (bounded: a failing row waits for its backoff). */
  async function flush(maxRounds = 1000): Promise<number> {
    let total = 0
    for (let round = 0; round < maxRounds; round++) {
      const sent = await deliverDue(options.db, senders, materialise, options.now(), senderOptions)
      if (sent === 0) break
      total += sent
    }
    return total
  }

  const app = createApp({
    db: options.db,
    now: options.now,
    apiToken: options.apiToken,
    requireApiToken: options.requireApiToken ?? false,
    console: consoleChannel ? { console: consoleChannel, flush } : undefined,
    channelRoutes: (options.channels ?? []).flatMap((c) => (c.routes ? [c.routes] : [])),
    receivers,
  })

  const scheduler = createScheduler({ db: options.db, now: options.now, log, ...options.scheduler })

  for (const receiver of receivers) await receiver.start(pipeline.accept)

  return {
    app,
    scheduler,
    senders,
    console: consoleChannel,
    pipeline,
    flush,
    dispatch: () => dispatchIssued(options.db, options.now()),
    replay: (replayOptions?: Parameters<typeof pipeline.replay>[0]) => pipeline.replay(replayOptions),
    async stop() {
      await scheduler.stop()
      for (const receiver of receivers) await receiver.stop()
      await pipeline.idle()
    },
  }
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>
