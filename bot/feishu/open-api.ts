import { apiCodeOf, fromCode, FeishuApiError, type Failure } from './api-errors.js'
import { PLATFORM_CALL_TIMEOUT_MS, RetryableSendError } from '../../delivery/channel.js'

/**
 * Feishu's Open API over `fetch`, for where the SDK cannot load (workerd: `__dirname` in its start-up
 * code) — and usable from Node too. Only what the bot calls: the tenant token, message create / reply
 * / patch, image and file upload, message resources. Failures come out as the SDK sender's do
 * (api-errors.ts): RetryableSendError for limits, 5xx and the network, FeishuApiError otherwise; a
 * revoked token (99991663) is dropped and the call tried once more.
 */
export interface OpenApiOptions {
  appId: string
  appSecret: string
  /** base URL without a trailing slash: https://open.feishu.cn, or a local stand-in in tests */
  domain: string
  fetch?: typeof fetch
  now?: () => number
  /** per request, answer included (default PLATFORM_CALL_TIMEOUT_MS): a hanging answer is a retry */
  timeoutMs?: number
}

export interface MessageBody {
  msg_type: string
  content: string
  uuid?: string
}

export type CallResult<T> = { ok: true; data: T } | { ok: false; failure: Failure }

export class FeishuOpenApi {
  readonly #options: OpenApiOptions
  readonly #fetch: typeof fetch
  readonly #now: () => number
  #token: { value: string; until: number } | undefined
  #pendingToken: Promise<string> | undefined
  /** HTTP requests made (the worker counts them against its subrequest budget) */
  requests = 0

  constructor(options: OpenApiOptions) {
    this.#options = { ...options, domain: options.domain.replace(/\/+$/, '') }
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init))
    this.#now = options.now ?? (() => Date.now())
  }

  createMessage(chatId: string, body: MessageBody) {
    return this.#json<{ message_id?: string }>('send message', 'POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', { receive_id: chatId, ...body })
  }

  replyMessage(messageId: string, body: MessageBody & { reply_in_thread?: boolean }) {
    return this.#json<{ message_id?: string }>('reply message', 'POST', `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}/reply`, body)
  }

  patchMessage(messageId: string, content: string) {
    return this.#json<Record<string, never>>('patch card', 'PATCH', `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}`, { content })
  }

  async uploadImage(png: Uint8Array): Promise<string> {
    const form = () => {
      const f = new FormData()
      f.set('image_type', 'message')
      f.set('image', new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }), 'image.png')
      return f
    }
    const data = await this.#call<{ image_key?: string }>('upload image', 'POST', '/open-apis/im/v1/images', form)
    if (!data.image_key) throw new FeishuApiError('upload image: no image_key in the answer', undefined, undefined)
    return data.image_key
  }

  async uploadFile(fileName: string, fileType: string, bytes: Uint8Array): Promise<string> {
    const form = () => {
      const f = new FormData()
      f.set('file_type', fileType)
      f.set('file_name', fileName)
      f.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), fileName)
      return f
    }
    const data = await this.#call<{ file_key?: string }>('upload file', 'POST', '/open-apis/im/v1/files', form)
    if (!data.file_key) throw new FeishuApiError('upload file: no file_key in the answer', undefined, undefined)
    return data.file_key
  }

  /** A picture or file a user sent (im.messageResource.get). */
  async resource(messageId: string, fileKey: string, type: 'image' | 'file'): Promise<Uint8Array> {
    const path = `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}/resources/${encodeURIComponent(fileKey)}?type=${type}`
    return this.#withToken('download resource', async (token) => {
      const res = await this.#request(path, { method: 'GET', headers: { authorization: `Bearer ${token}` } }, 'download resource')
      if (res.ok && !(res.headers.get('content-type') ?? '').includes('application/json')) return { ok: true, data: new Uint8Array(await res.arrayBuffer()) }
      return { ok: false, failure: await failureOf(res, 'download resource') }
    })
  }

  /** The tenant access token, cached until 5 minutes before it expires. */
  async token(): Promise<string> {
    if (this.#token && this.#token.until > this.#now()) return this.#token.value
    this.#pendingToken ??= (async () => {
      try {
        const res = await this.#request('/open-apis/auth/v3/tenant_access_token/internal', {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify({ app_id: this.#options.appId, app_secret: this.#options.appSecret }),
        }, 'tenant token')
        const body = (await res.json().catch(() => undefined)) as { code?: number; msg?: string; tenant_access_token?: string; expire?: number } | undefined
        if (!res.ok || body?.code !== 0 || !body.tenant_access_token) {
          const failure = fromCode(body?.code, res.status, undefined, 'tenant token', body?.msg ?? '', undefined)
          throw failure.kind === 'token' ? new FeishuApiError('tenant token refused', body?.code, res.status) : failure.error
        }
        this.#token = { value: body.tenant_access_token, until: this.#now() + Math.max(60, (body.expire ?? 7200) - 300) * 1000 }
        return body.tenant_access_token
      } finally {
        this.#pendingToken = undefined
      }
    })()
    return this.#pendingToken
  }

  #json<T>(what: string, method: string, path: string, body: unknown): Promise<T> {
    return this.#call<T>(what, method, path, () => JSON.stringify(body))
  }

  async #call<T>(what: string, method: string, path: string, body: () => string | FormData): Promise<T> {
    return this.#withToken(what, async (token) => {
      const payload = body()
      const headers: Record<string, string> = { authorization: `Bearer ${token}` }
      if (typeof payload === 'string') headers['content-type'] = 'application/json; charset=utf-8'
      const res = await this.#request(path, { method, headers, body: payload }, what)
      const json = (await res.json().catch((error: unknown) => {
        // the answer stopped coming (timeout, reset): the message may have gone; the uuid makes a resend safe
        if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) throw new RetryableSendError(`${what}: ${String(error)}`, undefined, { cause: error })
        return undefined
      })) as { code?: number; data?: T } | undefined
      const api = apiCodeOf(json)
      if (res.ok && api?.code === 0) return { ok: true, data: (json?.data ?? {}) as T }
      return { ok: false, failure: fromCode(api?.code, res.status, res.headers.get('x-ogw-ratelimit-reset') ?? undefined, what, api?.msg ?? res.statusText, undefined) }
    })
  }

  /** Network failures are retryable (the `uuid` makes a resend safe); anything else is answered. */
  async #request(path: string, init: RequestInit, what: string): Promise<Response> {
    this.requests++
    try {
      return await this.#fetch(`${this.#options.domain}${path}`, { ...init, signal: AbortSignal.timeout(this.#options.timeoutMs ?? PLATFORM_CALL_TIMEOUT_MS) })
    } catch (error) {
      throw new RetryableSendError(`${what}: ${String(error)}`, undefined, { cause: error })
    }
  }

  async #withToken<T>(what: string, run: (token: string) => Promise<CallResult<T>>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const result = await run(await this.token())
      if (result.ok) return result.data
      if (result.failure.kind !== 'token') throw result.failure.error
      this.#token = undefined // revoked or expired: fetch a new one, once
      if (attempt > 0) throw new FeishuApiError(`${what}: the tenant access token was refused twice`, 99991663, undefined)
    }
  }
}

async function failureOf(res: Response, what: string): Promise<Failure> {
  const json = (await res.json().catch(() => undefined)) as unknown
  const api = apiCodeOf(json)
  return fromCode(api?.code, res.status, res.headers.get('x-ogw-ratelimit-reset') ?? undefined, what, api?.msg ?? res.statusText, undefined)
}
