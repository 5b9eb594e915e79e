import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { Channel } from '../../delivery/channel.js'
import { BotHandle } from './bot-handle.js'
import type { WechatyConfig } from './config.js'
import { PLATFORM } from './inbound-map.js'
import { WechatyReceiver, type WechatyReceiverOptions } from './receiver.js'
import { WechatySender } from './sender.js'

export interface WechatyChannelOptions {
  config: WechatyConfig
  db: Kysely<Database>
  now?: () => Date
  log?: (line: string) => void
  /** a puppet instance instead of the configured package (tests: wechaty-puppet-mock) */
  puppet?: object
  observe?: WechatyReceiverOptions['observe']
}

export type WechatyChannel = Channel & {
  readonly sender: WechatySender
  readonly receivers: [WechatyReceiver]
  /** the Wechaty instance both halves share (built on start) */
  readonly handle: BotHandle
}

/**
 * Wechaty, for a county that already runs a puppet (e.g. the WorkPro puppet service for WeCom):
 * one Wechaty instance, a receiver and a sender over it. Not the default WeCom route — it rests
 * on an unofficial, paid puppet; the 智能机器人 (bot/wecom/) is.
 */
export function wechatyChannel(options: WechatyChannelOptions): WechatyChannel {
  const log = options.log ?? (() => {})
  const handle = new BotHandle(options.config, options.puppet)
  const receiver = new WechatyReceiver({
    handle, db: options.db, now: options.now ?? (() => new Date()), log,
    ...(options.observe ? { observe: options.observe } : {}),
  })
  return { platform: PLATFORM, sender: new WechatySender(handle, log), receivers: [receiver], handle }
}
