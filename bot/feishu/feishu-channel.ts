import * as lark from '@larksuiteoapi/node-sdk'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { Channel } from '../../delivery/channel.js'
import { feishuEventMapping } from './card-click.js'
import { dispatchEvent } from './event-handlers.js'
import type { FeishuConfig } from './config.js'
import { createDispatcher } from './events.js'
import { FeishuSender } from './sender.js'
import { PLATFORM } from './inbound-map.js'
import { FeishuLongConnection } from './long-connection.js'
import type { PacerClock, PacerLimits } from './pacer.js'
import { sdkLogger } from './sdk-logger.js'
import { FeishuWebhook } from './webhook-receiver.js'

export interface FeishuChannelOptions {
  config: FeishuConfig
  db: Kysely<Database>
  now?: () => Date
  log?: (line: string) => void
  /** the SDK's token cache is module-global per app id unless each client gets its own */
  cache?: lark.Cache
  /** pacing clock (tests pass a virtual one) */
  clock?: PacerClock
  limits?: PacerLimits
  replyInThread?: boolean
}

export type FeishuChannel = Channel & {
  readonly sender: FeishuSender
  /** the one event mapping both receivers feed (tests drive it as the WSClient would) */
  readonly dispatcher: lark.EventDispatcher
}

/**
 * Feishu: one sender, and the receiver the configuration asks for — the long connection or the
 * webhook — both over one event mapping.
 */
export function feishuChannel(options: FeishuChannelOptions): FeishuChannel {
  const { config, db } = options
  const now = options.now ?? (() => new Date())
  const log = options.log ?? (() => {})
  const logger = sdkLogger(log)
  const sender = new FeishuSender({
    config, log,
    ...(options.cache ? { cache: options.cache } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.replyInThread !== undefined ? { replyInThread: options.replyInThread } : {}),
  })
  const { handlers, bind } = feishuEventMapping({ db, now, log, cardJson: (card) => sender.cardJson(card) })
  const dispatcher = createDispatcher(handlers, logger)
  if (config.mode === 'ws') {
    return { platform: PLATFORM, sender, dispatcher, receivers: [new FeishuLongConnection({ config, dispatcher, bind, logger, log })] }
  }
  const handle = (event: Record<string, unknown>) => dispatchEvent(handlers, event, log)
  const webhook = new FeishuWebhook({ encryptKey: config.encryptKey, verificationToken: config.verificationToken, handle, bind, now, log })
  return { platform: PLATFORM, sender, dispatcher, receivers: [webhook], routes: webhook.routes() }
}
