import * as lark from '@larksuiteoapi/node-sdk'
import type { Accept, Receiver, ReceiverState } from '../../delivery/channel.js'
import type { FeishuConfig } from './config.js'
import { PLATFORM } from './inbound-map.js'

/** Events by the SDK's long connection (an outbound WebSocket: no public URL needed). */
export class FeishuLongConnection implements Receiver {
  readonly platform = PLATFORM
  #ws: lark.WSClient | undefined
  #state: ReceiverState = 'down'

  constructor(
    private readonly options: {
      config: Pick<FeishuConfig, 'appId' | 'appSecret' | 'domain'>
      dispatcher: lark.EventDispatcher
      /** the dispatcher's way in, set here when the receiver starts */
      bind: (accept: Accept | undefined) => void
      logger: lark.Logger
      log: (line: string) => void
    },
  ) {}

  async start(accept: Accept): Promise<void> {
    this.options.bind(accept)
    if (this.#ws) return
    const { config, logger, log } = this.options
    this.#ws = new lark.WSClient({
      appId: config.appId,
      appSecret: config.appSecret,
      domain: config.domain,
      logger,
      loggerLevel: lark.LoggerLevel.warn,
      onReady: () => {
        this.#state = 'up'
        log('飞书长连接已建立')
      },
      onReconnecting: () => {
        this.#state = 'connecting'
      },
      onReconnected: () => {
        this.#state = 'up'
      },
      onError: (error) => {
        this.#state = 'down'
        log(`飞书长连接失败，不再重试：${error.message}`)
      },
    })
    this.#state = 'connecting'
    await this.#ws.start({ eventDispatcher: this.options.dispatcher })
  }

  state(): ReceiverState {
    return this.#state
  }

  async stop(): Promise<void> {
    this.#state = 'down'
    this.#ws?.close({ force: true })
    this.#ws = undefined
    this.options.bind(undefined)
  }
}
