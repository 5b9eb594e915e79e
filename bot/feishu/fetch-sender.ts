import type { Card, Inbound, Outgoing, Sender, SendOptions } from '../../delivery/channel.js'
import { CODES, FeishuApiError } from './api-errors.js'
import { cardJson } from './card-json.js'
import type { FeishuConfig } from './config.js'
import { PLATFORM, platformMessageId } from './inbound-map.js'
import { FeishuOpenApi } from './open-api.js'
import { FEISHU_LIMITS, Pacer, realClock, type PacerClock, type PacerLimits } from './pacer.js'
import { feishuUuidOf, fileTypeOf, replyTarget } from './send-parts.js'
import { sha256Hex } from './web-crypto.js'

export interface FetchSenderOptions {
  config: Pick<FeishuConfig, 'appId' | 'appSecret' | 'domain'>
  fetch?: typeof fetch
  clock?: PacerClock
  limits?: PacerLimits
  replyInThread?: boolean
}

/**
 * Feishu's sending half over `fetch` (open-api.ts): the same messages as the SDK sender (sender.ts) —
 * card JSON 2.0, the outbox key as `uuid`, replies in the thread, a withdrawn parent answered in the
 * chat, one upload per picture — and the same failures for the outbox. Paced per chat and per app
 * within one process or invocation; across invocations the limits' refusals come back as retries.
 */
export class FetchFeishuSender implements Sender {
  readonly platform = PLATFORM
  readonly api: FeishuOpenApi
  readonly pacer: Pacer
  readonly #replyInThread: boolean
  readonly #imageKeys = new Map<string, Promise<string>>() // png sha256 → image_key

  constructor(options: FetchSenderOptions) {
    this.api = new FeishuOpenApi({ ...options.config, ...(options.fetch ? { fetch: options.fetch } : {}) })
    this.pacer = new Pacer(options.clock ?? realClock, options.limits ?? FEISHU_LIMITS)
    this.#replyInThread = options.replyInThread ?? true
  }

  async send(chatId: string, message: Outgoing, options: SendOptions): Promise<{ messageId: string }> {
    const body = { ...(await this.#content(message)), uuid: await feishuUuidOf(options.idempotencyKey) }
    const parent = options.replyTo ? replyTarget(options.replyTo) : undefined
    await this.pacer.acquire(chatId)
    let answer: { message_id?: string }
    try {
      answer = parent ? await this.api.replyMessage(parent, { ...body, reply_in_thread: this.#replyInThread }) : await this.api.createMessage(chatId, body)
    } catch (error) {
      this.#held(error, chatId)
      // the message answered was withdrawn meanwhile: say it in the chat instead
      if (!parent || !(error instanceof FeishuApiError && error.apiCode === CODES.messageGone)) throw error
      await this.pacer.acquire(chatId)
      answer = await this.api.createMessage(chatId, body)
    }
    if (!answer.message_id) throw new FeishuApiError('send message: no message_id in the answer', undefined, undefined)
    return { messageId: answer.message_id }
  }

  async update(chatId: string, messageId: string, message: Outgoing): Promise<void> {
    if (message.kind !== 'card') throw new FeishuApiError(`update: a ${message.kind} message cannot be patched`, undefined, undefined)
    const content = JSON.stringify(await this.cardJson(message.card))
    await this.pacer.acquire(chatId)
    await this.api.patchMessage(messageId, content).catch((error: unknown) => {
      this.#held(error, chatId)
      throw error
    })
  }

  async fetchMedia(media: NonNullable<Inbound['media']>, messageId: string): Promise<Uint8Array> {
    return this.api.resource(platformMessageId(messageId), media.handle, media.handle.startsWith('img_') ? 'image' : 'file')
  }

  /** A card as Feishu card JSON, its picture uploaded (once per content). */
  async cardJson(card: Card): Promise<Record<string, unknown>> {
    return cardJson(card, card.image ? await this.#imageKey(card.image.png) : undefined)
  }

  async #content(message: Outgoing): Promise<{ msg_type: string; content: string }> {
    switch (message.kind) {
      case 'text':
        return { msg_type: 'text', content: JSON.stringify({ text: message.text }) }
      case 'card':
        return { msg_type: 'interactive', content: JSON.stringify(await this.cardJson(message.card)) }
      case 'image':
        return { msg_type: 'image', content: JSON.stringify({ image_key: await this.#imageKey(message.png) }) }
      case 'file': {
        await this.pacer.acquireUpload()
        const fileKey = await this.api.uploadFile(message.fileName, fileTypeOf(message.fileName), message.bytes)
        return { msg_type: 'file', content: JSON.stringify({ file_key: fileKey }) }
      }
    }
  }

  #imageKey(png: Uint8Array): Promise<string> {
    return (async () => {
      const sha = await sha256Hex(png)
      let known = this.#imageKeys.get(sha)
      if (!known) {
        known = this.pacer.acquireUpload().then(() => this.api.uploadImage(png))
        known.catch(() => this.#imageKeys.delete(sha)) // a failed upload is tried again next time
        this.#imageKeys.set(sha, known)
      }
      return known
    })()
  }

  /** The platform said "too many": hold the chat (230020) or the app before the next send. */
  #held(error: unknown, chatId: string) {
    if (!(error instanceof Error) || !('retryAfterMs' in error)) return
    const ms = (error as { retryAfterMs?: number }).retryAfterMs
    if (ms === undefined) return
    const chat = error instanceof FeishuApiError ? undefined : /230020/.test(error.message) ? chatId : undefined
    this.pacer.hold(chat, ms)
  }
}
