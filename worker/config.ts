import { feishuConfigFromEnv, type FeishuConfig } from '../bot/feishu/config.js'
import { scheduleFromEnv, type JobSpec } from '../jobs/schedule.js'

/** The worker's bindings (wrangler.toml): Hyperdrive, vars, and the secrets set with `wrangler secret put`. */
export interface WorkerEnv {
  HYPERDRIVE: { connectionString: string }
  API_TOKEN?: string
  FEISHU_APP_ID?: string
  FEISHU_APP_SECRET?: string
  FEISHU_MODE?: string
  FEISHU_ENCRYPT_KEY?: string
  FEISHU_VERIFICATION_TOKEN?: string
  FEISHU_DOMAIN?: string
  /** Open API requests one invocation may make while draining the outbox (free plan: 50 subrequests in all) */
  WORKER_SEND_BUDGET?: string
  /** how long one invocation keeps draining, ms (ctx.waitUntil runs up to 30 s after the answer) */
  WORKER_DRAIN_MS?: string
  [name: string]: unknown
}

export interface WorkerConfig {
  feishu: FeishuConfig | undefined
  apiToken: string | undefined
  schedule: JobSpec[]
  sendBudget: number
  drainMs: number
}

/**
 * What the deployment asks for, checked once per isolate. Things a Worker cannot do are refused
 * here with the reason: the Feishu long connection (FEISHU_MODE=ws), PGlite (no HYPERDRIVE), the
 * console (CONSOLE_ENABLED).
 */
export function workerConfig(env: WorkerEnv): WorkerConfig {
  const vars: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') vars[k] = v
  if (!env.HYPERDRIVE?.connectionString) {
    throw new Error('缺少 Hyperdrive 绑定 HYPERDRIVE：Worker 只连接 PostgreSQL（不支持 PGlite），请按 README「Workers」创建 Hyperdrive 并写入 wrangler.toml。')
  }
  if (vars.DATABASE_URL) throw new Error('Worker 不读取 DATABASE_URL：数据库通过 Hyperdrive 绑定 HYPERDRIVE 连接。')
  if (['1', 'true', 'yes'].includes((vars.CONSOLE_ENABLED ?? '').toLowerCase())) {
    throw new Error('Worker 上没有本地控制台（CONSOLE_ENABLED）：控制台只在本机的 Node 进程中运行（npm start）。')
  }
  if (vars.FEISHU_APP_ID && (vars.FEISHU_MODE ?? '').trim().toLowerCase() === 'ws') {
    throw new Error('Cloudflare Workers 上不能使用飞书长连接（FEISHU_MODE=ws）：请在开发者后台改为「将事件发送至开发者服务器」，设置 FEISHU_MODE=webhook。')
  }
  // on the worker the webhook is the only way in, so it is the default
  const feishu = feishuConfigFromEnv({ ...vars, FEISHU_MODE: vars.FEISHU_MODE ?? 'webhook' })
  const positive = (value: string | undefined, fallback: number) => (value && Number(value) > 0 ? Number(value) : fallback)
  return {
    feishu,
    apiToken: vars.API_TOKEN || undefined,
    schedule: scheduleFromEnv(vars),
    sendBudget: positive(vars.WORKER_SEND_BUDGET, 40),
    drainMs: positive(vars.WORKER_DRAIN_MS, 20_000),
  }
}
