import type { WSClient, WsFrame } from '@wecom/aibot-node-sdk'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { Accept, Inbound, Receiver } from '../../delivery/channel.js'
import { currentCard } from '../../delivery/outbox/current-card.js'
import { acknowledgedCard } from '../../render/acknowledged-card.js'
import { chatOf, inboundFromCardEvent, inboundsFromMessage, joinedInbound, PLATFORM, type EventBody, type MessageBody } from './inbound-map.js'
import { noLock, type ConnectionLock } from './connection-lock.js'
import type { RecentFrames } from './recent-frames.js'
import { templateCard } from './template-card.js'

export type CallbackOutcome = 'accepted' | 'duplicate' | 'ignored' | 'failed'

export interface LongConnectionOptions {
  client: WSClient
  frames: RecentFrames
  db: Kysely<Database>
  now: () => Date
  log: (line: string) => void
  /** told when a callback has been stored (or not): tests wait on it instead of on the clock */
  observe?: (msgid: string, outcome: CallbackOutcome) => void
  /** the server moved the bot's one connection to another client (`disconnected_event`) */
  onKicked?: () => void
  /** only its holder connects (several instances on one PostgreSQL); none: connect at once */
  lock?: ConnectionLock
  /** after being kicked, how long before competing for the lock again */
  kickedBackoffMs?: number
}

/**
 * Callbacks by the SDK's long connection (an outbound WebSocket: no public URL). Each callback is
 * turned into inbound messages and handed to `accept`, which stores it once per msgid; WeCom wants
 * no acknowledgement of a callback, so a store that fails is tried again here a few times.
 */
export class WecomLongConnection implements Receiver {
  readonly platform = PLATFORM
  #accept: Accept | undefined
  #wired = false
  #connected = false
  #lease: { release: () => Promise<void> } | undefined
  #kicked: (() => void) | undefined
  readonly #groupsSeen = new Set<string>() // groups whose 'joined' is stored already (this process)

  constructor(private readonly options: LongConnectionOptions) {}

  async start(accept: Accept): Promise<void> {
    this.#accept = accept
    const { client, log } = this.options
    if (!this.#wired) {
      this.#wired = true
      client.on('authenticated', () => log('企业微信长连接已建立（已订阅）'))
      client.on('disconnected', (reason) => log(`企业微信长连接断开：${reason}`))
      client.on('reconnecting', (attempt) => log(`企业微信长连接重连中（第 ${attempt} 次）`))
      client.on('error', (error) => log(`企业微信长连接出错：${error.message}`))
      client.on('message', (frame) => void this.#onMessage(frame as WsFrame<MessageBody>))
      client.on('event.template_card_event', (frame) => void this.#onCardEvent(frame as WsFrame<EventBody>))
      client.on('event.disconnected_event', () => {
        log('企业微信长连接已被同一机器人的新连接顶替（一个机器人只能有一个连接）。')
        this.#connected = false // the SDK does not reconnect a kicked client
        this.options.onKicked?.()
        this.#kicked?.()
      })
    }
    void this.#connectWhileHeld().catch((error: unknown) => log(`企业微信连接锁出错：${String(error)}`))
  }

  async stop(): Promise<void> {
    this.#accept = undefined
    if (this.#connected) this.options.client.disconnect()
    this.#connected = false
    this.#kicked?.()
    await this.#lease?.release()
    this.#lease = undefined
  }

  /** Connects while this instance holds the lock; kicked, it lets the lock go and competes again later. */
  async #connectWhileHeld() {
    const lock = this.options.lock ?? noLock
    while (this.#accept) {
      const lease = await lock.hold(() => this.#accept !== undefined)
      if (!lease) return
      if (!this.#accept) return void (await lease.release())
      this.#lease = lease
      const kicked = new Promise<void>((resolve) => (this.#kicked = resolve))
      this.#connected = true
      this.options.client.connect()
      await kicked
      this.#lease = undefined
      await lease.release()
      // without a lock nothing says who should hold the connection: stay off, as the SDK does
      if (!this.options.lock || !this.#accept) return
      await new Promise((resolve) => setTimeout(resolve, this.options.kickedBackoffMs ?? 60_000))
    }
  }

  /** Every handler catches: a rejected listener would take the process down. */
  async #onMessage(frame: WsFrame<MessageBody>) {
    const body = frame.body
    const msgid = body?.msgid ?? ''
    try {
      if (!body) return this.#observe(msgid, 'ignored')
      const now = this.options.now()
      const inbounds = inboundsFromMessage(body, now)
      if (inbounds.length === 0) return this.#observe(msgid, 'ignored')
      this.options.frames.remember(msgid, frame, now.getTime())
      const chat = chatOf(body)
      if (chat && !chat.direct && !this.#groupsSeen.has(chat.chatId)) {
        await this.#store(joinedInbound(chat.chatId, inbounds[0]!.senderId, now))
        this.#groupsSeen.add(chat.chatId)
      }
      let outcome: CallbackOutcome = 'duplicate'
      for (const inbound of inbounds) if ((await this.#store(inbound)) === 'accepted') outcome = 'accepted'
      this.#observe(msgid, outcome)
    } catch (error) {
      this.options.log(`企业微信消息 ${msgid} 未能保存：${String(error)}`)
      this.#observe(msgid, 'failed')
    }
  }

  /** A button press: stored like a message, and the card shows the press at once (WeCom allows that within 5 s). */
  async #onCardEvent(frame: WsFrame<EventBody>) {
    const body = frame.body
    const msgid = body?.msgid ?? ''
    try {
      const inbound = body && inboundFromCardEvent(body, this.options.now())
      if (!inbound) return this.#observe(msgid, 'ignored')
      const outcome = await this.#store(inbound)
      if (outcome === 'accepted' && inbound.replyTo) {
        const card = await currentCard(this.options.db, PLATFORM, inbound.replyTo)
        if (card) {
          await this.options.client
            .updateTemplateCard(frame, templateCard(acknowledgedCard(card, inbound.action!), inbound.replyTo) as never)
            .catch((error: unknown) => this.options.log(`企业微信卡片更新失败：${error instanceof Error ? error.message : JSON.stringify(error)}`))
        }
      }
      this.#observe(msgid, outcome)
    } catch (error) {
      this.options.log(`企业微信卡片操作 ${msgid} 未能保存：${String(error)}`)
      this.#observe(msgid, 'failed')
    }
  }

  /** Stores through the pipeline's one way in; the database away for a moment is waited out. */
  async #store(inbound: Inbound): Promise<'accepted' | 'duplicate'> {
    for (let attempt = 1; ; attempt++) {
      const accept = this.#accept
      if (!accept) throw new Error('wecom: receiver stopped')
      try {
        return (await accept(inbound)).status
      } catch (error) {
        if (attempt >= 4) throw error
        await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt))
      }
    }
  }

  #observe(msgid: string, outcome: CallbackOutcome) {
    this.options.observe?.(msgid, outcome)
  }
}
