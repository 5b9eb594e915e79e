import { createHash } from 'node:crypto'
import type { WSClient } from '@wecom/aibot-node-sdk'
import { MediaUnavailableError, type Card, type Inbound, type Outgoing, type Sender, type SendOptions } from '../../delivery/channel.js'
import { PLATFORM, parseMediaHandle, platformMessageId } from './inbound-map.js'
import type { RecentFrames } from './recent-frames.js'
import { classifySendError, receiptOf } from './send-errors.js'
import { cardMarkdown, taskIdOf, templateCard } from './template-card.js'

export interface WecomSenderOptions {
  client: WSClient
  frames: RecentFrames
  now?: () => number
  log?: (line: string) => void
}

// a temporary media id is valid three days: reuse it for two
const MEDIA_REUSE_MS = 2 * 24 * 3600_000

/**
 * WeCom's sending half, over the same long connection as the receiver: a reply goes through the
 * message's respond frame while it is open (a stream, finished at once), everything else through
 * `sendMessage` to the chat — markdown, template cards, uploaded pictures and files. Every failure
 * is mapped to retry-or-not for the outbox.
 */
export class WecomSender implements Sender {
  readonly platform = PLATFORM
  readonly #client: WSClient
  readonly #frames: RecentFrames
  readonly #now: () => number
  readonly #log: (line: string) => void
  readonly #media = new Map<string, { id: Promise<string>; at: number }>() // sha256 → media_id
  readonly #picturesSent = new Set<string>() // outbox keys whose card picture went out (a retry sends only the card)

  constructor(options: WecomSenderOptions) {
    this.#client = options.client
    this.#frames = options.frames
    this.#now = options.now ?? Date.now
    this.#log = options.log ?? (() => {})
  }

  /** Only the instance holding the bot's connection sends (see connection-lock.ts). */
  ready(): boolean {
    return this.#client.isConnected
  }

  async send(chatId: string, message: Outgoing, options: SendOptions): Promise<{ messageId: string }> {
    switch (message.kind) {
      case 'text':
        return this.#text(chatId, message.text, options)
      case 'card':
        return this.#card(chatId, message.card, options)
      case 'image':
        return this.#sendMedia(chatId, 'image', message.png, 'map.png')
      case 'file':
        return this.#sendMedia(chatId, 'file', message.bytes, message.fileName)
    }
  }

  /** Downloads and decrypts through the SDK; a link that expired or a file that does not decrypt will not come back. */
  async fetchMedia(media: NonNullable<Inbound['media']>): Promise<Uint8Array> {
    const handle = parseMediaHandle(media.handle)
    if (!handle) throw new MediaUnavailableError('wecom: the media handle is unreadable')
    try {
      const { buffer } = await this.#client.downloadFile(handle.url, handle.aeskey)
      return new Uint8Array(buffer)
    } catch (error) {
      const status = (error as { response?: { status?: number } }).response?.status
      const message = error instanceof Error ? error.message : String(error)
      if ((status !== undefined && status >= 400 && status < 500) || message.startsWith('decryptFile:')) {
        throw new MediaUnavailableError(`wecom: ${status ? `HTTP ${status}` : 'decrypt failed'}`, { cause: error })
      }
      throw new Error(`wecom: download failed: ${status ? `HTTP ${status}` : message}`, { cause: error }) // the message is replayed
    }
  }

  async #text(chatId: string, text: string, options: SendOptions): Promise<{ messageId: string }> {
    const frame = options.replyTo ? this.#frames.take(platformMessageId(options.replyTo), this.#now()) : undefined
    if (frame) {
      const streamId = `s_${digest(options.idempotencyKey)}`
      try {
        await this.#client.replyStream(frame, streamId, text, true)
        return { messageId: `stream:${streamId}` }
      } catch (error) {
        // WeCom refused the answer (the window closed, say): say it in the chat instead
        if (!receiptOf(error)) throw classifySendError(error, 'reply')
        this.#log(`wecom: reply refused (${receiptOf(error)!.errcode}), sending to the chat instead`)
      }
    }
    const ack = await this.#call('send markdown', () => this.#client.sendMessage(chatId, { msgtype: 'markdown', markdown: { content: text } }))
    return { messageId: ack.headers.req_id }
  }

  async #card(chatId: string, card: Card, options: SendOptions): Promise<{ messageId: string }> {
    // template cards take pictures by public URL only: the map goes first, as a picture of its own
    if (card.image && !this.#picturesSent.has(options.idempotencyKey)) {
      await this.#sendMedia(chatId, 'image', card.image.png, 'map.png')
      this.#picturesSent.add(options.idempotencyKey)
      if (this.#picturesSent.size > 5000) this.#picturesSent.delete(this.#picturesSent.values().next().value!)
    }
    if (!card.buttons?.length) {
      const ack = await this.#call('send card', () => this.#client.sendMessage(chatId, { msgtype: 'markdown', markdown: { content: cardMarkdown(card) } }))
      return { messageId: ack.headers.req_id }
    }
    // the task id names the card: a button press comes back with it, and the outbox row is found by it
    const taskId = taskIdOf(options.idempotencyKey)
    await this.#call('send card', () => this.#client.sendMessage(chatId, { msgtype: 'template_card', template_card: templateCard(card, taskId) as never }))
    this.#picturesSent.delete(options.idempotencyKey)
    return { messageId: taskId }
  }

  async #sendMedia(chatId: string, type: 'image' | 'file', bytes: Uint8Array, fileName: string): Promise<{ messageId: string }> {
    const mediaId = await this.#upload(type, bytes, fileName)
    const ack = await this.#call(`send ${type}`, () => this.#client.sendMediaMessage(chatId, type, mediaId))
    return { messageId: ack.headers.req_id }
  }

  /** One upload per content while its media id lasts: a map sent again (a retry, another group) reuses it. */
  #upload(type: 'image' | 'file', bytes: Uint8Array, fileName: string): Promise<string> {
    const sha = `${type}:${createHash('sha256').update(bytes).digest('hex')}`
    const cached = this.#media.get(sha)
    if (cached && this.#now() - cached.at < MEDIA_REUSE_MS) return cached.id
    const id = this.#call(`upload ${type}`, () => this.#client.uploadMedia(Buffer.from(bytes), { type, filename: fileName })).then((r) => r.media_id)
    id.catch(() => this.#media.delete(sha)) // a failed upload is tried again next time
    this.#media.set(sha, { id, at: this.#now() })
    return id
  }

  async #call<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      throw classifySendError(error, what)
    }
  }
}

const digest = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 32)
