import { databaseConfigFromEnv, type DatabaseConfig } from '../db/open.js'
import { feishuConfigFromEnv, type FeishuConfig } from '../bot/feishu/config.js'
import { robotConfigFromEnv, wecomConfigFromEnv, type RobotConfig, type WecomConfig } from '../bot/wecom/config.js'
import type { BasemapConfig } from '../render/basemap.js'
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
  basemap: BasemapConfig | undefined // BASEMAP_URL: XYZ tiles under the maps, see docs/deploy.md「底图」
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
    basemap: basemapConfigFromEnv(env),
  }
}

/** BASEMAP_URL with {z} {x} {y} (and {s} for BASEMAP_SUBDOMAINS); a URL without them stops the start. */
export function basemapConfigFromEnv(env: NodeJS.ProcessEnv): BasemapConfig | undefined {
  const url = env.BASEMAP_URL?.trim()
  if (!url) return undefined
  if (!/^https?:\/\//.test(url) || !['{z}', '{x}', '{y}'].every((k) => url.includes(k))) {
    throw new Error('BASEMAP_URL 须为 http(s) 瓦片地址，含 {z}、{x}、{y}（如天地图 https://t{s}.tianditu.gov.cn/img_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=img&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=密钥）')
  }
  const timeout = env.BASEMAP_TIMEOUT_MS ? Number(env.BASEMAP_TIMEOUT_MS) : undefined
  if (timeout !== undefined && !(timeout > 0)) throw new Error('BASEMAP_TIMEOUT_MS 须为正整数（毫秒）')
  return {
    url,
    attribution: env.BASEMAP_ATTRIBUTION?.trim() || '底图：' + new URL(url.replaceAll('{s}', '0')).hostname,
    ...(env.BASEMAP_SUBDOMAINS ? { subdomains: env.BASEMAP_SUBDOMAINS.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
    ...(timeout ? { timeoutMs: timeout } : {}),
  }
}
