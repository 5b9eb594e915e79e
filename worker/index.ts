// The Cloudflare Workers composition root: the same hono app (app/http.ts), pipeline, outbox and
// ticker as the Node process (app/runtime.ts), wired per invocation over PostgreSQL through
// Hyperdrive. Nothing Node-only may be reachable from here (test/worker/build.test.ts checks the
// bundle): no node-cron, no Lark SDK, no native resvg, no PGlite, no node:fs.
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { createApp } from '../app/http.js'
import { wire } from '../app/wiring.js'
import { feishuFetchChannel, type FetchFeishuChannel } from '../bot/feishu/fetch-channel.js'
import { setChainSecret } from '../db/chain.js'
import { migrateToLatest } from '../db/migrate.js'
import type { Database } from '../db/schema.js'
import { dispatchIssued } from '../jobs/dispatch.js'
import { createTicker, type TickResult } from '../jobs/tick.js'
import { workerConfig, type WorkerConfig, type WorkerEnv } from './config.js'

export type { WorkerEnv } from './config.js'

interface Ctx {
  waitUntil(promise: Promise<unknown>): void
}

const log = (line: string) => console.log(line)
const DISPATCH_PER_INVOCATION = 25

let checked: { config: WorkerConfig } | { error: string } | undefined
let migrated: Promise<void> | undefined

function configOf(env: WorkerEnv): WorkerConfig {
  if (!checked) {
    try {
      checked = { config: workerConfig(env) }
    } catch (error) {
      checked = { error: error instanceof Error ? error.message : String(error) }
    }
  }
  if ('error' in checked) throw new Error(checked.error)
  return checked.config
}

/**
 * One invocation's system: a database handle of its own (a Worker may not share I/O between
 * requests; Hyperdrive pools the real connections) and the channels the configuration asks for.
 */
async function session(env: WorkerEnv, config: WorkerConfig) {
  // Workers allow 6 simultaneous connections per invocation; the outbox sends several rows at once
  const pool = new pg.Pool({ connectionString: env.HYPERDRIVE.connectionString, max: 4 })
  pool.on('error', (error) => log(`PostgreSQL: ${error.message}`))
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  // the schema is brought up to date once per isolate (a no-op after the first deployment's)
  migrated ??= migrateToLatest(db).catch((error: unknown) => {
    migrated = undefined
    throw error
  })
  await migrated
  // the event chain's key comes from the worker's secrets (npx wrangler secret put EVENT_CHAIN_SECRET)
  setChainSecret(typeof env.EVENT_CHAIN_SECRET === 'string' ? env.EVENT_CHAIN_SECRET : undefined)
  const now = () => new Date()
  const feishu: FetchFeishuChannel | undefined = config.feishu ? feishuFetchChannel({ config: config.feishu, db, now, log }) : undefined
  const wiring = wire({ db, now, log, channels: feishu ? [feishu] : [] })
  await wiring.start()

  /**
   * Delivers what is due within this invocation's limits: at most `sendBudget` Open API requests
   * (subrequests) and `drainMs`; what is left waits for the next request or cron tick (every minute).
   */
  async function drain(): Promise<number> {
    const until = Date.now() + config.drainMs
    const spent = () => feishu?.sender.api.requests ?? 0
    let sent = 0
    for (;;) {
      const left = config.sendBudget - spent()
      if (left < 3 || Date.now() > until) break // a row may take an upload, a token and the send
      const n = await wiring.flush(1, { batchSize: Math.max(1, Math.floor(left / 3)) })
      if (n === 0) break
      sent += n
    }
    return sent
  }

  return {
    db,
    wiring,
    drain,
    async close() {
      await wiring.stop()
      await db.destroy()
    },
  }
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: Ctx): Promise<Response> {
    let config: WorkerConfig
    try {
      config = configOf(env)
    } catch (error) {
      log(String(error))
      return Response.json({ ok: false, error: (error as Error).message }, { status: 500 })
    }
    const s = await session(env, config)
    const app = createApp({
      db: s.db,
      now: () => new Date(),
      apiToken: config.apiToken,
      requireApiToken: true,
      channelRoutes: s.wiring.routes,
    })
    let response: Response
    try {
      response = await app.fetch(request)
    } catch (error) {
      await s.close()
      throw error
    }
    // acknowledged; the handling and the sends continue after the answer
    ctx.waitUntil(finishInBackground(s))
    return response
  },

  /**
   * A cron trigger (wrangler.toml): the due jobs of the schedule through the ledger (a period once,
   * whichever instance or worker runs it), new patches pushed, failed messages retried; then the
   * outbox drained within the invocation's limits. The tick is awaited, so a failure shows as a failed
   * invocation; `scheduledTime` is the trigger's instant (tests pass `?time=`).
   */
  async scheduled(controller: { scheduledTime: number; cron: string }, env: WorkerEnv, ctx: Ctx): Promise<void> {
    const config = configOf(env)
    const s = await session(env, config)
    const now = new Date(controller.scheduledTime)
    let results: TickResult[] = []
    try {
      results = await createTicker({ db: s.db, now: () => now, schedule: config.schedule, log }).tick(now)
      // a few hundred ms per patch (one transaction each): a new batch goes out over several minutes
      const pushed = await dispatchIssued(s.db, new Date(), { platforms: [...s.wiring.senders.keys()], limit: DISPATCH_PER_INVOCATION })
      if (pushed) log(`推送新图斑 ${pushed} 个`)
      await s.wiring.pipeline.replay({ olderThanMs: 60_000, maxAttempts: 10 })
    } catch (error) {
      await s.close()
      throw error
    }
    const failed = results.filter((r) => r.outcome === 'failed')
    ctx.waitUntil(finishInBackground(s))
    if (failed.length) throw new Error(`定时任务失败：${failed.map((r) => `${r.job} ${r.period}: ${r.note ?? ''}`).join('; ')}`)
  },
}

/** After the answer: handle what was accepted, drain the outbox within the budget, close the session. */
async function finishInBackground(s: Awaited<ReturnType<typeof session>>): Promise<void> {
  try {
    await s.wiring.pipeline.idle()
    await s.drain()
  } catch (error) {
    log(`后台任务出错：${String(error)}`)
  } finally {
    await s.close()
  }
}
