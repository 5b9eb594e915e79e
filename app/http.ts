import { Hono } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import { HTTPException } from 'hono/http-exception'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { batchRoutes } from './routes/batches.js'
import type { Receiver } from '../delivery/channel.js'
import { healthRoutes } from './health.js'

export interface AppDeps {
  db: Kysely<Database>
  now: () => Date
  apiToken?: string | undefined
  /** deployed: /api/* is closed unless a token is configured; embedded (loopback only): open */
  requireApiToken?: boolean
  /**
   * the channels' own routes (the Feishu webhook POST /feishu/events, the console …), mounted as
   * they are; the composition root builds them, so this file imports no channel (the worker uses it too)
   */
  channelRoutes?: Hono[]
  /** the receivers whose connection /healthz reports */
  receivers?: readonly Receiver[]
}

/** The HTTP surface: health, the staff API (/api/*), and the channels' routes (the console when it is on). */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono()
  app.route('/', healthRoutes({ db: deps.db, now: deps.now, receivers: deps.receivers ?? [] }))
  if (deps.apiToken) app.use('/api/*', bearerAuth({ token: deps.apiToken }))
  else if (deps.requireApiToken) {
    app.use('/api/*', async (c) => c.json({ error: '接口未开放：部署模式下须设置环境变量 API_TOKEN，并以 Bearer 令牌访问。' }, 403))
  }
  app.route('/', batchRoutes({ db: deps.db, now: deps.now }))
  for (const routes of deps.channelRoutes ?? []) app.route('/', routes)
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse()
    console.error(error)
    return c.json({ error: '服务器内部错误，已记录。' }, 500)
  })
  return app
}
