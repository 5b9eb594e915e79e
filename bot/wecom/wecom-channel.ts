import { WSClient } from '@wecom/aibot-node-sdk'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import { PLATFORM_CALL_TIMEOUT_MS, type Channel } from '../../delivery/channel.js'
import type { WecomConfig } from './config.js'
import type { ConnectionLock } from './connection-lock.js'
import { PLATFORM } from './inbound-map.js'
import { WecomLongConnection, type LongConnectionOptions } from './long-connection.js'
import { RecentFrames } from './recent-frames.js'
import { sdkLogger } from './sdk-logger.js'
import { WecomSender } from './sender.js'

export interface WecomChannelOptions {
  config: WecomConfig
  db: Kysely<Database>
  now?: () => Date
  log?: (line: string) => void
  /** how long a message's respond frame is used for its first reply */
  replyWindowMs?: number
  /** first reconnect delay; it doubles up to 30 s (tests shorten it) */
  reconnectBaseMs?: number
  observe?: LongConnectionOptions['observe']
  onKicked?: LongConnectionOptions['onKicked']
  /** several instances on one PostgreSQL: only the lock holder connects (app/channels.ts passes it) */
  lock?: ConnectionLock
  kickedBackoffMs?: number
}

export type WecomChannel = Channel & {
  readonly sender: WecomSender
  readonly receivers: [WecomLongConnection]
  /** the SDK client both halves share (one socket per bot) */
  readonly client: WSClient
}

/**
 * WeCom 智能机器人: one SDK client, one long connection, a receiver and a sender over it. The
 * connection is retried forever (the SDK stops after 10 by default), and the SDK's debug logger,
 * which prints aeskeys and links, is never on.
 */
export function wecomChannel(options: WecomChannelOptions): WecomChannel {
  const { config, db } = options
  const now = options.now ?? (() => new Date())
  const log = options.log ?? (() => {})
  const client = new WSClient({
    botId: config.botId,
    secret: config.secret,
    ...(config.wsUrl ? { wsUrl: config.wsUrl } : {}),
    ...(config.ca ? { wsOptions: { ca: config.ca } } : {}),
    maxReconnectAttempts: -1,
    maxAuthFailureAttempts: -1,
    reconnectInterval: options.reconnectBaseMs ?? 1000,
    // its HTTP calls (media downloads) time out as every platform call does (sends wait 5 s for a receipt)
    requestTimeout: PLATFORM_CALL_TIMEOUT_MS,
    logger: sdkLogger(log),
  })
  const frames = new RecentFrames(options.replyWindowMs ?? 60_000)
  const sender = new WecomSender({ client, frames, now: () => now().getTime(), log })
  const receiver = new WecomLongConnection({
    client, frames, db, now, log,
    ...(options.observe ? { observe: options.observe } : {}),
    ...(options.onKicked ? { onKicked: options.onKicked } : {}),
    ...(options.lock ? { lock: options.lock } : {}),
    ...(options.kickedBackoffMs !== undefined ? { kickedBackoffMs: options.kickedBackoffMs } : {}),
  })
  return { platform: PLATFORM, sender, receivers: [receiver], client }
}
