import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import type { Channel, Receiver, Sender } from '../delivery/channel.js'
import { createMaterialiser, type MaterialiseOptions } from '../delivery/outbox/materialise.js'
import { deliverDue, type SenderOptions } from '../delivery/outbox/sender.js'
import { useMaterialiserFor } from '../delivery/outbox/current-card.js'
import { createPipeline, type PipelineDeps } from '../bot/pipeline/pipeline.js'
import { deploymentId } from '../db/queries/deployment.js'
import { reportDead } from '../jobs/undelivered.js'

export interface WiringOptions {
  db: Kysely<Database>
  now: () => Date
  channels: readonly Channel[]
  log?: (line: string) => void
  afterStore?: PipelineDeps['afterStore']
  basemap?: MaterialiseOptions['basemap']
  ingestDb?: PipelineDeps['ingestDb']
}

/**
 * receiver → pipeline.accept → core → one transaction → outbox → deliver → sender: the part every
 * composition root shares — the Node process (app/runtime.ts) and the worker (worker/). Imports
 * nothing Node-only.
 */
export function wire(options: WiringOptions) {
  const senders = new Map<string, Sender>()
  const receivers: Receiver[] = []
  for (const channel of options.channels) {
    senders.set(channel.platform, channel.sender)
    receivers.push(...channel.receivers)
  }
  const log = options.log ?? (() => {})
  const pipeline = createPipeline({
    db: options.db, senders, now: options.now, log,
    ...(options.afterStore ? { afterStore: options.afterStore } : {}),
    ...(options.ingestDb ? { ingestDb: options.ingestDb } : {}),
  })
  const materialise = createMaterialiser(options.db, { basemap: options.basemap ?? null, now: options.now })
  useMaterialiserFor(options.db, materialise)
  let deployment: Promise<string> | undefined

  /**
   * Delivers until nothing more is due now, at most `maxRounds` rounds of `batchSize` rows (bounded:
   * a failing row waits for its backoff; the worker bounds it by its subrequest budget). Every
   * composition root sends the same way: the deployment's id in each platform key, and a row given
   * up told to the 卫片办 (jobs/undelivered.ts) in the transaction that marks it dead.
   */
  async function flush(maxRounds = 1000, sender: Omit<SenderOptions, 'log'> = {}): Promise<number> {
    deployment ??= deploymentId(options.db).catch((error: unknown) => {
      deployment = undefined
      throw error
    })
    const shared: Omit<SenderOptions, 'log'> = { deploymentId: await deployment, onDead: reportDead, ...sender }
    let total = 0
    for (let round = 0; round < maxRounds; round++) {
      const sent = await deliverDue(options.db, senders, materialise, options.now(), { log, clock: options.now, ...shared })
      if (sent === 0) break
      total += sent
    }
    return total
  }

  return {
    senders,
    receivers,
    pipeline,
    materialise,
    flush,
    routes: options.channels.flatMap((c) => (c.routes ? [c.routes] : [])),
    /** every receiver starts only once the pipeline exists, so there is no path in before it */
    async start() {
      for (const receiver of receivers) await receiver.start(pipeline.accept)
    },
    async stop() {
      for (const receiver of receivers) await receiver.stop()
      await pipeline.idle()
    },
  }
}

export type Wiring = ReturnType<typeof wire>
