import type { Kysely } from 'kysely'
import { feishuChannel } from '../bot/feishu/feishu-channel.js'
import { advisoryLock } from '../bot/wecom/connection-lock.js'
import { robotChannel } from '../bot/wecom/robot-channel.js'
import { wecomChannel } from '../bot/wecom/wecom-channel.js'
import { wechatyChannel } from '../bot/wechaty/wechaty-channel.js'
import type { Database } from '../db/schema.js'
import type { Channel } from '../delivery/channel.js'
import type { Config } from './config.js'

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
