import { Hono } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { batchRoutes } from './routes/batches.js'
import { consoleRoutes, type ConsoleDeps } from './routes/console.js'

export interface AppDeps {
  db: Kysely<Database>
  now: () => Date
  apiToken?: string | undefined
  console?: Omit<ConsoleDeps, 'db' | 'now'> | undefined
}

/** The HTTP surface: health, the staff API (/api/*), and the console when it is on. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono()
  app.get('/healthz', (c) => c.json({ ok: true }))
  if (deps.apiToken) app.use('/api/*', bearerAuth({ token: deps.apiToken }))
  app.route('/', batchRoutes({ db: deps.db, now: deps.now }))
  if (deps.console) app.route('/', consoleRoutes({ db: deps.db, now: deps.now, ...deps.console }))
  app.onError((error, c) => {
    console.error(error)
    return c.json({ error: '服务器内部错误，已记录。' }, 500)
  })
  return app
}
