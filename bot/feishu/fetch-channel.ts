import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { Channel } from '../../delivery/channel.js'
import { feishuEventMapping } from './card-click.js'
import { FeishuConfigError, type FeishuConfig } from './config.js'
import { dispatchEvent } from './event-handlers.js'
import { FetchFeishuSender } from './fetch-sender.js'
import { PLATFORM } from './inbound-map.js'
import type { PacerClock, PacerLimits } from './pacer.js'
import { FeishuWebhook } from './webhook-receiver.js'

export interface FetchChannelOptions {
  config: FeishuConfig
  db: Kysely<Database>
  now?: () => Date
  log?: (line: string) => void
  fetch?: typeof fetch
  clock?: PacerClock
  limits?: PacerLimits
}

export type FetchFeishuChannel = Channel & { readonly sender: FetchFeishuSender }

/**
 * Feishu without the SDK: the webhook receiver (WebCrypto checks, the shared event mapping) and the
 * fetch sender. What the worker runs; a long connection cannot exist there (no sockets that outlive a
 * request), so configuration asking for one is refused.
 */
export function feishuFetchChannel(options: FetchChannelOptions): FetchFeishuChannel {
  const { config, db } = options
  if (config.mode !== 'webhook') {
    throw new FeishuConfigError('Cloudflare Workers 上不能使用飞书长连接（FEISHU_MODE=ws）：请在开发者后台改为「将事件发送至开发者服务器」，并设置 FEISHU_MODE=webhook、FEISHU_ENCRYPT_KEY、FEISHU_VERIFICATION_TOKEN。')
  }
  const now = options.now ?? (() => new Date())
  const log = options.log ?? (() => {})
  const sender = new FetchFeishuSender({
    config,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  })
  const { handlers, bind } = feishuEventMapping({ db, now, log, cardJson: (card) => sender.cardJson(card) })
  const webhook = new FeishuWebhook({
    encryptKey: config.encryptKey,
    verificationToken: config.verificationToken,
    handle: (event) => dispatchEvent(handlers, event, log),
    bind, now, log,
  })
  return { platform: PLATFORM, sender, receivers: [webhook], routes: webhook.routes() }
}
