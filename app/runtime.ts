import type { Basemap } from '../render/basemap.js'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { dispatchIssued } from '../jobs/dispatch.js'
import { createScheduler, type SchedulerOptions } from '../jobs/scheduler.js'
import { createApp } from './http.js'
import type { Channel } from '../delivery/channel.js'
import { ConsoleChannel } from '../bot/console/console-channel.js'
import { consoleRoutes } from '../bot/console/routes.js'
import { dashboardRoutes } from './dashboard/routes.js'
import type { PipelineDeps } from '../bot/pipeline/pipeline.js'
import { wire } from './wiring.js'
import { PlatformHealth, reclaimOrphanedLeases, type SenderOptions } from '../delivery/outbox/sender.js'
import { processName } from '../db/open.js'
import { checkChainSecret } from '../db/chain.js'

export interface RuntimeOptions {
  db: Kysely<Database>
  now: () => Date
  console: boolean
  /** the staff dashboard (/dashboard; its data under /api/, so the API token guards it); on unless false */
  dashboard?: boolean
  apiToken?: string | undefined
  requireApiToken?: boolean
  /** the messengers (app/channels.ts builds them from the configuration) */
  channels?: Channel[]
  log?: (line: string) => void
  afterStore?: PipelineDeps['afterStore']
  /** XYZ tiles under the maps (BASEMAP_URL) */
  basemap?: Basemap | null
  /** a pool of its own for the inbound store (app/main.ts on PostgreSQL): acknowledgements never wait behind handling */
  ingestDb?: PipelineDeps['ingestDb']
  /** scheduled work (jobs/schedule.ts): the table, the advisory lock, test hooks */
  scheduler?: Partial<Omit<SchedulerOptions, 'db' | 'now'>>
  /** the outbox sender's knobs (tests: a seeded jitter, other limits) */
  sender?: Pick<SenderOptions, 'random' | 'maxAttempts' | 'giveUpAfterMs' | 'leaseMs' | 'holder'>
}

/**
 * The system wired together (app/wiring.ts), without timers or sockets: main.ts adds those, tests
 * drive it directly. The Node process adds what the worker does not have: the console, node-cron.
 */
export async function createRuntime(options: RuntimeOptions) {
  // a keyed event chain without its secret would fail every message: a configuration error, said at start
  await checkChainSecret(options.db)
  const consoleChannel = options.console ? new ConsoleChannel() : undefined
  const channels: Channel[] = [...(options.channels ?? [])]
  const log = options.log ?? (() => {})
  const wiring = wire({
    db: options.db, now: options.now, log,
    channels: consoleChannel ? [...channels, { platform: consoleChannel.platform, sender: consoleChannel, receivers: [consoleChannel] }] : channels,
    ...(options.afterStore ? { afterStore: options.afterStore } : {}),
    basemap: options.basemap ?? null,
    ...(options.ingestDb ? { ingestDb: options.ingestDb } : {}),
  })
  const { pipeline, senders } = wiring
  // leases carry this process's name (the deployment id and dead-row notices are the wiring's, shared with the worker)
  const senderOptions: Omit<SenderOptions, 'log'> = { holder: processName, health: new PlatformHealth(), ...options.sender }
  // rows a dead process had claimed are due now, not after their lease
  const reclaimed = await reclaimOrphanedLeases(options.db, senderOptions.holder!, options.now())
  if (reclaimed) log(`收回已退出进程占用的待发消息 ${reclaimed} 条`)
  const flush = (maxRounds = 1000) => wiring.flush(maxRounds, senderOptions)

  const app = createApp({
    db: options.db,
    now: options.now,
    apiToken: options.apiToken,
    requireApiToken: options.requireApiToken ?? false,
    channelRoutes: [
      ...(consoleChannel ? [consoleRoutes({ db: options.db, now: options.now, console: consoleChannel, flush: () => flush() })] : []),
      ...wiring.routes,
      ...(options.dashboard !== false ? [dashboardRoutes({ db: options.db, now: options.now })] : []),
    ],
    receivers: wiring.receivers,
  })

  const scheduler = createScheduler({ db: options.db, now: options.now, log, ...options.scheduler })

  await wiring.start()

  return {
    app,
    scheduler,
    senders,
    console: consoleChannel,
    pipeline,
    flush,
    dispatch: () => dispatchIssued(options.db, options.now(), { platforms: [...senders.keys()] }),
    replay: (replayOptions?: Parameters<typeof pipeline.replay>[0]) => pipeline.replay(replayOptions),
    async stop() {
      await scheduler.stop()
      await wiring.stop()
    },
  }
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>
