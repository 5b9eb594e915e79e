import { databaseConfigFromEnv, type DatabaseConfig } from '../db/open.js'
import { feishuConfigFromEnv, type FeishuConfig } from '../bot/feishu/config.js'
import { robotConfigFromEnv, wecomConfigFromEnv, type RobotConfig, type WecomConfig } from '../bot/wecom/config.js'
import { wechatyConfigFromEnv, type WechatyConfig } from '../bot/wechaty/config.js'

export interface Config {
  mode: 'embedded' | 'deployed'
  database: DatabaseConfig
  host: string
  port: number
  console: boolean // the console lets anyone speak as anyone: loopback only, never on by default when deployed
  demo: boolean // load the demo county into an empty database
  apiToken: string | undefined // bearer token for /api/* in deployed mode
  senderIntervalMs: number
  feishu: FeishuConfig | undefined // FEISHU_*: see README「Feishu」
  wecom: WecomConfig | undefined // WECOM_*: see README「WeCom」
  wechaty: WechatyConfig | undefined // WECHATY_*: any Wechaty puppet, see README「WeCom」
  wecomRobot: RobotConfig // WECOM_WEBHOOK_URL: group robots, send-only, bound by staff (no switch)
  credentialsKey: string | undefined // CREDENTIALS_KEY: decrypts the counties' own app secrets (tenant_credentials)
}

/**
 * Embedded when no database URL and no messenger is configured: PGlite in DATA_DIR, the console,
 * the demo county. Deployed otherwise: nothing is switched on unless asked for.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  // validated first: a messenger configured wrongly stops the start instead of running without it
  const feishu = feishuConfigFromEnv(env)
  const wecom = wecomConfigFromEnv(env)
  const wechaty = wechatyConfigFromEnv(env)
  const wecomRobot = robotConfigFromEnv(env)
  const messenger = Boolean(feishu || wecom || wechaty)
  const mode = env.DATABASE_URL || messenger ? 'deployed' : 'embedded'
  const flag = (name: string, fallback: boolean) =>
    env[name] === undefined ? fallback : ['1', 'true', 'yes'].includes(env[name]!.toLowerCase())
  return {
    mode,
    database: databaseConfigFromEnv(env),
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 8787),
    console: flag('CONSOLE_ENABLED', mode === 'embedded'),
    demo: flag('DEMO', mode === 'embedded'),
    apiToken: env.API_TOKEN,
    senderIntervalMs: Number(env.SENDER_INTERVAL_MS ?? 500),
    feishu,
    wecom,
    wechaty,
    wecomRobot,
    credentialsKey: env.CREDENTIALS_KEY?.trim() || undefined,
  }
}
