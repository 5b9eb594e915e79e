import type { Kysely } from 'kysely'
import { feishuChannel } from '../bot/feishu/feishu-channel.js'
import { advisoryLock } from '../bot/wecom/connection-lock.js'
import { robotChannel } from '../bot/wecom/robot-channel.js'
import { wecomChannel } from '../bot/wecom/wecom-channel.js'
import { wechatyChannel } from '../bot/wechaty/wechaty-channel.js'
import type { Database } from '../db/schema.js'
import type { Channel } from '../delivery/channel.js'
import type { Config } from './config.js'
import { credentialsKey, tenantApps } from '../db/credentials.js'
import { tenantRoutedChannel, type TenantApp } from '../delivery/tenant-channel.js'
import type { FeishuConfig } from '../bot/feishu/config.js'
import type { WecomConfig } from '../bot/wecom/config.js'

/** The messengers the configuration asks for (validated once, in config.ts), ready for the runtime. */
export function channelsFromConfig(config: Config, deps: { db: Kysely<Database>; now: () => Date; log: (line: string) => void }): Channel[] {
  const channels: Channel[] = []
  if (config.feishu) {
    deps.log(`飞书：${config.feishu.mode === 'ws' ? '长连接（无需公网地址）' : 'Webhook POST /feishu/events'}，${config.feishu.domain}`)
    channels.push(feishuChannel({ config: config.feishu, ...deps }))
  }
  if (config.wecom) {
    deps.log(`企业微信：智能机器人长连接（无需公网地址），${config.wecom.wsUrl ?? '官方地址'}`)
    // one connection per bot: with PostgreSQL, several instances take turns by an advisory lock
    const lock = config.database.kind === 'postgres' ? advisoryLock(deps.db, config.wecom.botId, { log: deps.log }) : undefined
    channels.push(wecomChannel({ config: config.wecom, ...deps, ...(lock ? { lock } : {}) }))
  }
  if (config.wechaty) {
    deps.log(`Wechaty：puppet ${config.wechaty.puppet}（非官方通道，一个账号只能由一个实例登录）`)
    channels.push(wechatyChannel({ config: config.wechaty, ...deps }))
  }
  // group robots need no switch: they send only to the robots staff have bound, and nothing else
  channels.push(robotChannel({ config: config.wecomRobot, ...deps }))
  return channels
}

/**
 * The configured channels with each county's own Feishu app and WeCom bot (tenant_credentials,
 * decrypted with CREDENTIALS_KEY) joined in: one routed channel per platform. A county's own Feishu
 * app uses the long connection (no per-app webhook URL); a county without one shares the
 * deployment's app.
 */
export async function withTenantApps(
  channels: Channel[],
  config: Pick<Config, 'feishu' | 'wecom' | 'database'> & { credentialsKey?: string | undefined },
  deps: { db: Kysely<Database>; now: () => Date; log: (line: string) => void },
  build: { feishu?: (c: FeishuConfig) => Channel; wecom?: (c: WecomConfig) => Channel } = {},
): Promise<Channel[]> {
  const key = credentialsKey(config.credentialsKey)
  if (!key) return channels
  const out = [...channels]
  const join = (platform: string, apps: TenantApp[]) => {
    if (apps.length === 0) return
    const i = out.findIndex((c) => c.platform === platform)
    const routed = tenantRoutedChannel(platform, i >= 0 ? out[i] : undefined, apps)
    if (i >= 0) out[i] = routed
    else out.push(routed)
    deps.log(`${platform}：${apps.length} 个县自带应用（按县分别限速）`)
  }
  const feishu = build.feishu ?? ((c: FeishuConfig) => feishuChannel({ config: c, ...deps }))
  join('feishu', (await tenantApps(deps.db, 'feishu', key)).map((a) => ({
    tenantIds: a.tenantIds,
    channel: feishu({ mode: 'ws', appId: a.appId, appSecret: a.secret, domain: a.domain ?? config.feishu?.domain ?? 'https://open.feishu.cn' }),
  })))
  const wecom = build.wecom ?? ((c: WecomConfig) => {
    const lock = config.database.kind === 'postgres' ? advisoryLock(deps.db, c.botId, { log: deps.log }) : undefined
    return wecomChannel({ config: c, ...deps, ...(lock ? { lock } : {}) })
  })
  join('wecom', (await tenantApps(deps.db, 'wecom', key)).map((a) => ({
    tenantIds: a.tenantIds,
    channel: wecom({ botId: a.appId, secret: a.secret, wsUrl: a.domain ?? config.wecom?.wsUrl, ca: config.wecom?.ca }),
  })))
  return out
}
