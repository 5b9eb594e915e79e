import type { Kysely } from 'kysely'
import type { Message, Wechaty } from 'wechaty'
import type { Database } from '../../db/schema.js'
import type { Accept, Inbound, Receiver } from '../../delivery/channel.js'
import type { BotHandle } from './bot-handle.js'
import { inboundFromMessage, joinedInbound, PLATFORM, type MessageFacts, type MessageKind, roomMedia } from './inbound-map.js'
import { tenantOfChat } from '../../db/queries/chat-context.js'

export type MessageOutcome = 'accepted' | 'duplicate' | 'ignored' | 'failed'

export interface WechatyReceiverOptions {
  handle: BotHandle
  db: Kysely<Database>
  now: () => Date
  log: (line: string) => void
  /** told when a message has been stored (or not): tests wait on it instead of on the clock */
  observe?: (messageId: string, outcome: MessageOutcome) => void
  /** a failed start (the puppet service away) is tried again after this long */
  restartMs?: number
}

/**
 * Messages from the puppet: each is read into plain facts, turned into an `Inbound` and handed to
 * `accept`, which stores it once per message id. Every handler catches: a rejecting Wechaty
 * listener takes the process down.
 */
export class WechatyReceiver implements Receiver {
  readonly platform = PLATFORM
  #accept: Accept | undefined
  #wired = false
  #retry: NodeJS.Timeout | undefined

  constructor(private readonly options: WechatyReceiverOptions) {}

  async start(accept: Accept): Promise<void> {
    this.#accept = accept
    const { log } = this.options
    const bot = (await this.options.handle.get()).bot // a puppet that is not installed stops the start here
    if (!this.#wired) {
      this.#wired = true
      bot.on('scan', (qrcode: string) => log(`Wechaty 需要扫码登录：${qrcode.startsWith('http') ? qrcode : `https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}`}`))
      bot.on('login', (user) => log(`Wechaty 已登录：${user.name()}`))
      bot.on('logout', (user) => log(`Wechaty 已退出登录：${user.name()}`))
      bot.on('error', (error) => log(`Wechaty 出错：${error.message}`))
      bot.on('message', (message) => void this.#onMessage(bot, message))
      bot.on('room-join', (room, invitees, inviter, date) =>
        void this.#onJoin(bot, room.id, invitees.map((c) => c.id), inviter.id, date))
    }
    await this.#startBot(bot)
  }

  async stop(): Promise<void> {
    this.#accept = undefined
    clearTimeout(this.#retry)
    const bot = this.options.handle.bot
    this.options.handle.started = false
    if (bot) await bot.stop().catch((error: unknown) => this.options.log(`Wechaty 停止时出错：${String(error)}`))
  }

  /** A puppet service that is away does not stop the server: it is tried again in a while. */
  async #startBot(bot: Wechaty) {
    try {
      await bot.start()
      this.options.handle.started = true
    } catch (error) {
      this.options.log(`Wechaty 启动失败，稍后重试：${(error as Error).message}`)
      this.#retry = setTimeout(() => this.#accept && void this.#startBot(bot), this.options.restartMs ?? 30_000)
    }
  }

  async #onMessage(bot: Wechaty, message: Message) {
    const id = message.id
    try {
      if (message.self()) return // the bot's own sends come back as messages
      if (!this.#accept) return this.#observe(id, 'ignored')
      const facts = await factsOf(bot, message)
      // every room's chatter reaches a puppet: ask the database only when the answer matters
      const bound = facts.roomId && !facts.mentionsSelf && roomMedia(facts) ? (await tenantOfChat(this.options.db, PLATFORM, facts.roomId)) !== null : false
      const inbound = inboundFromMessage(facts, bound, this.options.now())
      if (!inbound) return this.#observe(id, 'ignored')
      this.#observe(id, await this.#store(inbound))
    } catch (error) {
      this.options.log(`Wechaty 消息 ${id} 未能保存：${String(error)}`)
      this.#observe(id, 'failed')
    }
  }

  async #onJoin(bot: Wechaty, roomId: string, invitees: string[], inviterId: string, date: Date | undefined) {
    try {
      if (!this.#accept || !invitees.includes(bot.currentUser.id)) return
      await this.#store(joinedInbound(roomId, inviterId, date ?? this.options.now()))
    } catch (error) {
      this.options.log(`Wechaty 入群事件未能保存：${String(error)}`)
    }
  }


  /** Stores through the pipeline's one way in; the database away for a moment is waited out. */
  async #store(inbound: Inbound): Promise<'accepted' | 'duplicate'> {
    for (let attempt = 1; ; attempt++) {
      const accept = this.#accept
      if (!accept) throw new Error('wechaty: receiver stopped')
      try {
        return (await accept(inbound)).status
      } catch (error) {
        if (attempt >= 4) throw error
        await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt))
      }
    }
  }

  #observe(id: string, outcome: MessageOutcome) {
    this.options.observe?.(id, outcome)
  }
}

/** What the pipeline needs of a Wechaty message, read once (mentions and locations are async). */
async function factsOf(bot: Wechaty, message: Message): Promise<MessageFacts> {
  const T = bot.Message.Type
  const type = message.type()
  const kind: MessageKind =
    type === T.Text ? 'text' : type === T.Image ? 'image' : type === T.Attachment ? 'attachment' : type === T.Location ? 'location'
      : type === T.Audio ? 'audio' : type === T.Video ? 'video' : type === T.Emoticon ? 'emoticon' : 'other'
  const room = message.room()
  const talker = message.talker()
  const inRoomText = room !== undefined && kind === 'text'
  const self = bot.currentUser.id
  const mentioned = inRoomText ? await message.mentionList() : []
  // message.toLocation() throws in wechaty 1.20: ask the puppet
  const location = kind === 'location' ? await bot.puppet.messageLocation(message.id).catch(() => undefined) : undefined
  return {
    id: message.id,
    kind,
    self: message.self(),
    roomId: room?.id,
    talkerId: talker.id,
    talkerName: talker.name() || undefined,
    text: kind !== 'text' ? '' : inRoomText ? await message.mentionText() : message.text(),
    mentionsSelf: mentioned.some((c) => c.id === self),
    mentions: mentioned.filter((c) => c.id !== self).map((c) => ({ id: c.id, name: c.name() })),
    fileName: undefined,
    location: location && Number.isFinite(location.latitude) && Number.isFinite(location.longitude)
      ? { lat: location.latitude, lon: location.longitude, ...(location.name ? { name: location.name } : {}) }
      : undefined,
    at: message.date(),
  }
}
