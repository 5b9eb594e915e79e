import type { Kysely } from 'kysely'
import { ROBOT_PLATFORM } from '../../db/queries/webhook-robots.js'
import type { Database } from '../../db/schema.js'
import type { Channel } from '../../delivery/channel.js'
import type { RobotConfig } from './config.js'
import { RobotSender, type RobotSenderOptions } from './robot-sender.js'

export type RobotChannel = Channel & { readonly sender: RobotSender }

/**
 * WeCom group robots (消息推送): a sender and no receiver — nothing can be said to a robot. Robots
 * are bound by staff (`绑定 资源镇 webhook <key>` in a one-to-one chat, or `npm run cli -- robot
 * bind`); with none bound the channel sends nothing.
 */
export function robotChannel(options: { config: RobotConfig; db: Kysely<Database>; now?: () => Date; log?: (line: string) => void } & Pick<RobotSenderOptions, 'fetch' | 'limit'>): RobotChannel {
  const now = options.now ?? (() => new Date())
  const sender = new RobotSender({
    db: options.db, baseUrl: options.config.baseUrl, now: () => now().getTime(),
    ...(options.log ? { log: options.log } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.limit ? { limit: options.limit } : {}),
  })
  return { platform: ROBOT_PLATFORM, sender, receivers: [] }
}
