import { createHash } from 'node:crypto'
import type { Contact, Room, Sayable, Wechaty } from 'wechaty'
import { AppError } from '../../core/errors.js'
import { MediaUnavailableError, RetryableSendError, type Card, type Inbound, type Outgoing, type Sender, type SendOptions } from '../../delivery/channel.js'
import { cardAsText } from '../../render/card-text.js'
import type { BotHandle } from './bot-handle.js'
import { PLATFORM } from './inbound-map.js'

/** A chat the puppet does not know (left, dissolved, never there): sending again will not help. */
export class WechatySendError extends AppError<'wechaty-send'> {
  constructor(message: string, options?: ErrorOptions) {
    super('wechaty-send', message, options)
  }
}

/**
 * Sends through the puppet: text as text, a card as text with its buttons listed as the commands to
 * type (a puppet has no buttons), pictures and files as FileBoxes. A puppet call that fails is
 * retried by the outbox; Wechaty has no request id, so a lost answer may rarely send twice.
 */
export class WechatySender implements Sender {
  readonly platform = PLATFORM
  readonly #picturesSent = new Set<string>() // outbox keys whose card picture went out (a retry sends only the card)

  constructor(
    private readonly handle: BotHandle,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Logged in: only then can anything be sent (a puppet waiting for its scan sends nothing). */
  ready(): boolean {
    return this.handle.started && (this.handle.bot?.isLoggedIn ?? false)
  }

  async send(chatId: string, message: Outgoing, options: SendOptions): Promise<{ messageId: string }> {
    const { bot, FileBox } = await this.handle.get()
    if (!bot.isLoggedIn) throw new RetryableSendError('wechaty: not logged in')
    const target = await this.#conversation(bot, chatId)
    const box = (bytes: Uint8Array, name: string) => FileBox.fromBase64(Buffer.from(bytes).toString('base64'), name)
    switch (message.kind) {
      case 'text':
        return this.#say(target, message.text, options, await this.#askerIn(bot, target, options.replyTo))
      case 'card':
        if (message.card.image && !this.#picturesSent.has(options.idempotencyKey)) {
          await this.#say(target, box(message.card.image.png, 'map.png'), options)
          this.#picturesSent.add(options.idempotencyKey)
          if (this.#picturesSent.size > 5000) this.#picturesSent.delete(this.#picturesSent.values().next().value!)
        }
        try {
          return await this.#say(target, this.#cardText(bot, target, message.card), options)
        } finally {
          this.#picturesSent.delete(options.idempotencyKey)
        }
      case 'image':
        return this.#say(target, box(message.png, 'map.png'), options)
      case 'file':
        return this.#say(target, box(message.bytes, message.fileName), options)
    }
  }

  /** The puppet gives the picture or file of a message it has seen; after a restart it may not any more. */
  async fetchMedia(media: NonNullable<Inbound['media']>): Promise<Uint8Array> {
    const { bot } = await this.handle.get()
    if (!bot.isLoggedIn) throw new Error('wechaty: not logged in') // the message is replayed later
    try {
      const file = await bot.puppet.messageFile(media.handle)
      return new Uint8Array(await file.toBuffer())
    } catch (error) {
      throw new MediaUnavailableError(`wechaty: the puppet has no file for message ${media.handle}`, { cause: error })
    }
  }

  #cardText(bot: Wechaty, target: Room | Contact, card: Card): string {
    const inRoom = isRoom(target)
    // in a room the bot hears only what @-mentions it: the commands say so
    const prefix = inRoom ? `@${bot.currentUser.name()} ` : ''
    return cardAsText(card, { commandPrefix: prefix, commandsHeading: inRoom ? '本群没有按钮，请发送以下文字办理：' : '请发送以下文字办理：' })
  }

  async #conversation(bot: Wechaty, chatId: string): Promise<Room | Contact> {
    const found = (await bot.Room.find({ id: chatId })) ?? (await bot.Contact.find({ id: chatId }))
    if (!found) throw new WechatySendError(`wechaty: no room or contact ${chatId}`)
    return found
  }

  /** A reply in a room @-mentions whoever asked, as one answers in a WeChat group. */
  async #askerIn(bot: Wechaty, target: Room | Contact, replyTo: string | undefined): Promise<Contact | undefined> {
    if (!replyTo || !isRoom(target)) return undefined
    try {
      const payload = await bot.puppet.messagePayload(replyTo)
      return payload.talkerId && payload.talkerId !== bot.currentUser.id ? await bot.Contact.find({ id: payload.talkerId }) : undefined
    } catch {
      return undefined // the message is gone from the puppet's cache: answer without the @
    }
  }

  async #say(target: Room | Contact, what: Sayable, options: SendOptions, mention?: Contact): Promise<{ messageId: string }> {
    try {
      const sent = mention && isRoom(target) ? await target.say(what as string, mention) : await target.say(what)
      return { messageId: sent?.id ?? `wechaty:${digest(options.idempotencyKey)}` }
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error)
      this.log(`wechaty: send failed: ${text}`)
      throw new RetryableSendError(`wechaty: ${text}`, undefined, { cause: error })
    }
  }
}

function isRoom(target: Room | Contact): target is Room {
  return 'topic' in target && typeof (target as Room).topic === 'function'
}

const digest = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 32)
