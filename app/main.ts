import { serve } from '@hono/node-server'
import { loadDemoCounty } from '../db/demo/load-demo-county.js'
import { openDatabase } from '../db/open.js'
import { configFromEnv } from './config.js'
import { channelsFromConfig, withTenantApps } from './channels.js'
import { createRuntime } from './runtime.js'
import { scheduleFromEnv } from '../jobs/schedule.js'
import { createBasemap } from '../render/basemap.js'
import { fontStatusLine } from '../render/map-font.js'

/** `npm start`: the embedded default (PGlite + console + demo county) or a deployment, by environment. */
async function main() {
  const config = configFromEnv()
  const log = (line: string) => console.log(`[${new Date().toISOString()}] ${line}`)
  log(`模式：${config.mode === 'embedded' ? '嵌入式（PGlite + 本地控制台）' : '部署'}；数据库：${config.database.kind === 'pglite' ? `PGlite ${config.database.dataDir}` : 'PostgreSQL'}`)
  if (config.console && config.host !== '127.0.0.1' && config.host !== 'localhost') {
    throw new Error('本地控制台只能绑定 127.0.0.1（它允许以任何人的身份发言）。请设置 HOST=127.0.0.1 或 CONSOLE_ENABLED=false。')
  }
  // the maps' and charts' labels need the bundled CJK font: say whether it is there
  log(fontStatusLine())
  log(config.basemap ? `地图底图：${config.basemap.attribution}（${new URL(config.basemap.url.replaceAll('{s}', '0')).hostname}）` : '地图底图：未配置 BASEMAP_URL，地图只画矢量图层')
  const db = await openDatabase(config.database)
  // the webhook's acknowledgement needs one insert: on connections the handling never holds
  const ingestDb = config.database.kind === 'postgres' ? await openDatabase({ ...config.database, max: 3 }) : undefined // policy choice: 3 connections
  const now = () => new Date()

  if (config.demo) {
    const demo = await loadDemoCounty(db, { now: now() })
    log(demo.created ? `已载入演示县资源县：${demo.townships}个乡镇、${demo.patches}个图斑` : '演示县已存在，跳过载入')
  }

  const runtime = await createRuntime({ db, now, console: config.console, basemap: config.basemap ? createBasemap(config.basemap) : null, ...(ingestDb ? { ingestDb } : {}), apiToken: config.apiToken, requireApiToken: config.mode === 'deployed', log,
    channels: await withTenantApps(channelsFromConfig(config, { db, now, log }), config, { db, now, log }),
    scheduler: { schedule: scheduleFromEnv(), lock: config.database.kind === 'postgres' ? 'advisory' : 'none' },
  })
  // what a process that died had stored but not handled: queued before anything new (each chat in
  // order) and handled at full speed while the server already listens and sends the answers
  runtime.replay().then(
    (replayed) => replayed && log(`重新处理了 ${replayed} 条未完成的消息`),
    (error) => log(`重新处理未完成的消息时出错：${String(error)}`),
  )

  // the sender and the dispatcher tick; each tick is idempotent, so overlap is harmless
  let busy = false
  let lastReplay = Date.now()
  const tick = async () => {
    if (busy) return
    busy = true
    try {
      const pushed = await runtime.dispatch()
      if (pushed) log(`推送新图斑 ${pushed} 个`)
      // a message that failed (a bug, the database away) is tried again a minute on, up to 10 times
      if (Date.now() - lastReplay > 60_000) {
        lastReplay = Date.now()
        const again = await runtime.replay({ olderThanMs: 60_000, maxAttempts: 10 })
        if (again) log(`重新处理了 ${again} 条失败的消息`)
      }
      await runtime.flush(20)
    } catch (error) {
      log(`后台任务出错：${String(error)}`)
    } finally {
      busy = false
    }
  }
  const server = serve({ fetch: runtime.app.fetch, hostname: config.host, port: config.port }, (info) => {
    log(`已启动：http://${config.host}:${info.port}${config.console ? '/console' : ''}`)
  })

  const timer = setInterval(tick, config.senderIntervalMs)
  await tick() // push what is waiting first, so a caught-up digest or warning sees today's patches
  // node-cron wakes the scheduled jobs; start() first catches up what was missed while down
  runtime.scheduler.start().then(
    (caught) => caught.length && log(`定时任务补做 ${caught.length} 项`),
    (error) => log(`定时任务启动出错：${String(error)}`),
  )

  const shutdown = async () => {
    clearInterval(timer)
    server.close()
    try {
      await runtime.stop()
      await db.destroy()
      await ingestDb?.destroy()
    } catch (error) {
      log(`停止时出错：${String(error)}`)
    } finally {
      process.exit(0)
    }
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
