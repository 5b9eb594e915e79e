import { AppError } from '../../core/errors.js'
import { RetryableSendError } from '../../delivery/channel.js'

/**
 * What a failed Open API call means for the outbox. The SDK retries nothing and throws AxiosErrors
 * from its own (CommonJS) axios, so errors are recognised by shape, not by class.
 */
export const CODES = {
  appRateLimited: 99991400, // HTTP 429, header x-ogw-ratelimit-reset (seconds)
  chatRateLimited: 230020, // 5 messages/s per chat, shared by every bot in it
  tokenInvalid: 99991663, // a revoked or expired tenant token the SDK still has cached
  messageGone: 230011, // the message replied to was withdrawn (or never existed)
} as const

/** A refusal that retrying will not cure (no permission, bot not in the chat, bad content …). */
export class FeishuApiError extends AppError<'feishu-api'> {
  constructor(
    message: string,
    readonly apiCode: number | undefined,
    readonly status: number | undefined,
    options?: ErrorOptions,
  ) {
    super('feishu-api', message, options)
  }
}

export type Failure =
  | { kind: 'token' }
  | { kind: 'rateLimited'; scope: 'app' | 'chat'; retryAfterMs: number; error: RetryableSendError }
  | { kind: 'retryable'; error: RetryableSendError }
  | { kind: 'permanent'; error: FeishuApiError }

interface AxiosLike {
  isAxiosError: true
  message: string
  code?: string
  config?: { url?: string }
  response?: { status: number; headers?: Record<string, unknown> & { get?: (name: string) => unknown }; data?: unknown }
}

const isAxiosError = (e: unknown): e is AxiosLike => typeof e === 'object' && e !== null && (e as { isAxiosError?: unknown }).isAxiosError === true

/** The body's `{code, msg}` when a call "succeeded" at the HTTP level but Feishu said no. */
export function apiCodeOf(body: unknown): { code: number; msg: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const { code, msg } = body as { code?: unknown; msg?: unknown }
  return typeof code === 'number' ? { code, msg: typeof msg === 'string' ? msg : '' } : undefined
}

/** The SDK's own words when the token endpoint answered HTTP 200 with a non-zero code (secret rotated, app disabled). */
const TOKEN_REFUSED = /^failed to get (tenant|app)_access_token/

export function classify(error: unknown, what: string): Failure {
  if (error instanceof Error && TOKEN_REFUSED.test(error.message)) {
    // not the request's fault: the app's credentials are refused for now; retried with backoff
    return { kind: 'retryable', error: new RetryableSendError(`${what}: 获取 tenant_access_token 失败（${error.message}）`, undefined, { cause: error }) }
  }
  if (isAxiosError(error) && /\/auth\/v3\//.test(error.config?.url ?? '')) {
    const status = error.response?.status
    return { kind: 'retryable', error: new RetryableSendError(`${what}: 令牌接口${status ? ` HTTP ${status}` : `无应答（${error.code ?? error.message}）`}`, undefined, { cause: error }) }
  }
  if (!isAxiosError(error)) {
    if (error instanceof FeishuApiError) return fromCode(error.apiCode, error.status, undefined, what, error.message, error)
    return { kind: 'permanent', error: new FeishuApiError(`${what}: ${String(error)}`, undefined, undefined, { cause: error }) }
  }
  const response = error.response
  if (!response) {
    // no answer at all: refused, reset, timed out — the message may or may not have gone out; the uuid makes a retry safe
    return { kind: 'retryable', error: new RetryableSendError(`${what}: ${error.code ?? error.message}`, undefined, { cause: error }) }
  }
  const body = apiCodeOf(response.data)
  return fromCode(body?.code, response.status, header(response.headers, 'x-ogw-ratelimit-reset'), what, body?.msg ?? error.message, error)
}

/** A failure from what the Open API answered: business code, HTTP status, `x-ogw-ratelimit-reset` (fetch clients use it directly). */
export function fromCode(code: number | undefined, status: number | undefined, reset: string | undefined, what: string, msg: string, cause: unknown): Failure {
  const text = `${what}: ${status ? `HTTP ${status} ` : ''}${code !== undefined ? `code ${code} ` : ''}${msg}`.trim()
  if (code === CODES.tokenInvalid) return { kind: 'token' }
  if (code === CODES.appRateLimited || code === CODES.chatRateLimited || status === 429) {
    const seconds = Number(reset)
    const retryAfterMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000
    const scope = code === CODES.chatRateLimited ? 'chat' : 'app'
    return { kind: 'rateLimited', scope, retryAfterMs, error: new RetryableSendError(text, retryAfterMs, { cause }) }
  }
  if (status !== undefined && status >= 500) return { kind: 'retryable', error: new RetryableSendError(text, undefined, { cause }) }
  return { kind: 'permanent', error: new FeishuApiError(text, code, status, { cause }) }
}

function header(headers: NonNullable<AxiosLike['response']>['headers'], name: string): string | undefined {
  if (!headers) return undefined
  const v = typeof headers.get === 'function' ? headers.get(name) : headers[name]
  return v === undefined || v === null ? undefined : String(v)
}
