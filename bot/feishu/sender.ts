import { createHash } from 'node:crypto'
import * as lark from '@larksuiteoapi/node-sdk'
import { PLATFORM_CALL_TIMEOUT_MS, RetryableSendError, type Card, type Inbound, type Outgoing, type Sender, type SendOptions } from '../../delivery/channel.js'
import { apiCodeOf, classify, CODES, FeishuApiError, type Failure } from './api-errors.js'
import { cardJson } from './card-json.js'
import type { FeishuConfig } from './config.js'
import { PLATFORM, platformMessageId } from './inbound-map.js'
import { fileTypeOf, replyTarget } from './send-parts.js'
import { FEISHU_LIMITS, Pacer, realClock, type PacerClock, type PacerLimits } from './pacer.js'
import { sdkLogger } from './sdk-logger.js'

export interface FeishuSenderOptions {
  config: Pick<FeishuConfig, 'appId' | 'appSecret' | 'domain'>
  /** the SDK's token cache is module-global per app id unless each client gets its own */
  cache?: lark.Cache
  /** pacing clock (tests pass a virtual one) */
  clock?: PacerClock
  limits?: PacerLimits
  now?: () => Date
  log?: (line: string) => void
  /** answer a message in its thread (true) or as a quoted reply in the chat (false) */
  replyInThread?: boolean
  /** per Open API call, token requests included (default PLATFORM_CALL_TIMEOUT_MS) */
  timeoutMs?: number
}

/**
 * Feishu's sending half, through the official SDK: messages out paced per chat and per app, every
 * failure mapped to retry-or-not for the outbox. Sends carry the outbox key as Feishu's `uuid`, so a
 * retry after a lost answer is not a second message.
 */
export class FeishuSender implements Sender {
  readonly platform = PLATFORM
  readonly client: lark.Client
  readonly pacer: Pacer
  readonly #config: FeishuSenderOptions['config']
  readonly #cache: lark.Cache
  readonly #logger: lark.Logger
  readonly #replyInThread: boolean
  readonly #imageKeys = new Map<string, Promise<string>>() // png sha256 → image_key
  /** API calls between taking a rate slot and their answer (tests advance virtual time only at 0) */
  inFlight = 0

  constructor(options: FeishuSenderOptions) {
    this.#config = options.config
    this.#cache = options.cache ?? new lark.DefaultCache()
    this.#logger = sdkLogger(options.log ?? (() => {}))
    this.#replyInThread = options.replyInThread ?? true
    this.pacer = new Pacer(options.clock ?? realClock, options.limits ?? FEISHU_LIMITS)
    this.client = new lark.Client({
      appId: options.config.appId,
      appSecret: options.config.appSecret,
      domain: options.config.domain,
      appType: lark.AppType.SelfBuild,
      cache: this.#cache,
      logger: this.#logger,
      loggerLevel: lark.LoggerLevel.warn,
      // the SDK sets no timeout: a hanging answer would hold the row's claim and its chat
      httpInstance: withTimeout(options.timeoutMs ?? PLATFORM_CALL_TIMEOUT_MS),
    })
  }

  async send(chatId: string, message: Outgoing, options: SendOptions): Promise<{ messageId: string }> {
    const { msgType, content } = await this.#content(message)
    const uuid = feishuUuid(options.idempotencyKey)
    const parent = options.replyTo ? replyTarget(options.replyTo) : undefined
    const create = () => this.client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId, msg_type: msgType, content, uuid } })
    const body = await this.#call('send message', chatId, async () => {
      if (!parent) return create()
      const answer = await this.client.im.message.reply({ path: { message_id: parent }, data: { msg_type: msgType, content, uuid, reply_in_thread: this.#replyInThread } })
      // the message answered was withdrawn meanwhile: say it in the chat instead
      return apiCodeOf(answer)?.code === CODES.messageGone ? create() : answer
    }).catch(async (error: unknown) => {
      if (!parent || !(error instanceof FeishuApiError && error.apiCode === CODES.messageGone)) throw error
      return this.#call('send message', chatId, create)
    })
    const messageId = body.data?.message_id
    if (!messageId) throw new FeishuApiError('send message: no message_id in the answer', undefined, undefined)
    return { messageId }
  }

  /** The outbox's card update: only cards can be patched (im.message.patch takes interactive content only). */
  async update(chatId: string, messageId: string, message: Outgoing): Promise<void> {
    if (message.kind !== 'card') throw new FeishuApiError(`update: a ${message.kind} message cannot be patched`, undefined, undefined)
    await this.patchCard(messageId, message.card, chatId)
  }

  /**
   * Replaces a card already sent (im.message.patch): e.g. to show a patch's new state on its card.
   * Paced with the chat's sends when the chat is known, so an update never overtakes the limits.
   */
  async patchCard(messageId: string, neutral: Card, chatId?: string): Promise<void> {
    const imageKey = neutral.image ? await this.#imageKey(neutral.image.png) : undefined
    await this.#call('patch card', chatId, () =>
      this.client.im.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(cardJson(neutral, imageKey)) } }),
    )
  }

  async fetchMedia(media: NonNullable<Inbound['media']>, messageId: string): Promise<Uint8Array> {
    const type = media.handle.startsWith('img_') ? 'image' : 'file'
    return this.#withToken('download resource', undefined, async () => {
      const resource = await this.client.im.messageResource.get({ path: { message_id: platformMessageId(messageId), file_key: media.handle }, params: { type } })
      const chunks: Buffer[] = []
      for await (const chunk of resource.getReadableStream()) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array))
      return new Uint8Array(Buffer.concat(chunks))
    })
  }

  async #content(message: Outgoing): Promise<{ msgType: string; content: string }> {
    switch (message.kind) {
      case 'text':
        return { msgType: 'text', content: JSON.stringify({ text: message.text }) }
      case 'card': {
        const imageKey = message.card.image ? await this.#imageKey(message.card.image.png) : undefined
        return { msgType: 'interactive', content: JSON.stringify(cardJson(message.card, imageKey)) }
      }
      case 'image':
        return { msgType: 'image', content: JSON.stringify({ image_key: await this.#imageKey(message.png) }) }
      case 'file': {
        const fileKey = await this.#upload('upload file', () =>
          this.client.im.file.create({ data: { file_type: fileTypeOf(message.fileName), file_name: message.fileName, file: Buffer.from(message.bytes) } }),
        )
        return { msgType: 'file', content: JSON.stringify({ file_key: fileKey.file_key }) }
      }
    }
  }

  /** One upload per picture: a map sent again (a retry, another group) reuses its key. */
  #imageKey(png: Uint8Array): Promise<string> {
    const sha = createHash('sha256').update(png).digest('hex')
    let key = this.#imageKeys.get(sha)
    if (!key) {
      key = this.#upload('upload image', () => this.client.im.image.create({ data: { image_type: 'message', image: Buffer.from(png) } })).then((r) => r.image_key!)
      key.catch(() => this.#imageKeys.delete(sha)) // a failed upload is tried again next time
      this.#imageKeys.set(sha, key)
    }
    return key
  }

  async #upload<T extends { image_key?: string; file_key?: string }>(what: string, call: () => Promise<T | null>): Promise<T> {
    return this.#withToken(what, undefined, async () => {
      await this.pacer.acquireUpload()
      this.inFlight++
      try {
        const result = await call()
        // the SDK answers null when Feishu refused with a business code
        if (!result || (!result.image_key && !result.file_key)) throw new FeishuApiError(`${what}: refused`, undefined, undefined)
        return result
      } finally {
        this.inFlight--
      }
    })
  }

  /** A paced API call whose `{code}` is checked: the SDK returns business refusals as data. */
  async #call<T>(what: string, chatId: string | undefined, call: () => Promise<T>): Promise<T> {
    return this.#withToken(what, chatId, async () => {
      const answered = chatId !== undefined ? await this.pacer.acquire(chatId) : undefined
      this.inFlight++
      try {
        const body = await call()
        const api = apiCodeOf(body)
        if (api && api.code !== 0) throw new FeishuApiError(`${what}: code ${api.code} ${api.msg}`, api.code, 200)
        return body
      } finally {
        answered?.()
        this.inFlight--
      }
    })
  }

  /** Maps failures for the outbox; a revoked token is dropped from the cache and the call tried once more. */
  async #withToken<T>(what: string, chatId: string | undefined, run: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run()
      } catch (error) {
        const failure: Failure = classify(error, what)
        if (failure.kind === 'token') {
          await this.#cache.set(lark.CTenantAccessToken, undefined, 0, { namespace: this.#config.appId })
          if (attempt === 0) continue
          // refused again with a fresh token: the app's credentials are in trouble, not this message
          throw new RetryableSendError(`${what}: the tenant access token was refused twice (99991663)`, undefined, { cause: error })
        }
        if (failure.kind === 'rateLimited') this.pacer.hold(failure.scope === 'chat' ? chatId : undefined, failure.retryAfterMs)
        throw failure.error
      }
    }
  }

  /** A card as Feishu card JSON, its picture uploaded (once per content). */
  async cardJson(card: Card): Promise<Record<string, unknown>> {
    return cardJson(card, card.image ? await this.#imageKey(card.image.png) : undefined)
  }
}

/** Feishu's `uuid` (request dedupe for an hour) takes at most 50 characters: longer keys are hashed. */
export function feishuUuid(key: string): string {
  if (key.length <= 50 && /^[\x21-\x7e]+$/.test(key)) return key
  const h = createHash('sha256').update(key).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

/**
 * The SDK's own HTTP instance (its interceptors unwrap the answers, hence the result's type) with a
 * timeout on every call: axios then fails it with ECONNABORTED and no response, which api-errors.ts
 * maps to a retry. The SDK calls only `request`; the other verbs go through it too.
 */
function withTimeout(timeout: number): lark.HttpInstance {
  const request = async <R>(opts: Parameters<lark.HttpInstance['request']>[0]): Promise<R> =>
    (await lark.defaultHttpInstance.request({ timeout, ...opts })) as R
  const bodiless = (method: string) => <R>(url: string, opts?: Parameters<lark.HttpInstance['get']>[1]) => request<R>({ ...opts, method, url })
  const withBody = (method: string) => <R>(url: string, data?: unknown, opts?: Parameters<lark.HttpInstance['post']>[2]) => request<R>({ ...opts, method, url, data })
  return {
    request,
    get: bodiless('get'), delete: bodiless('delete'), head: bodiless('head'), options: bodiless('options'),
    post: withBody('post'), put: withBody('put'), patch: withBody('patch'),
  }
}
