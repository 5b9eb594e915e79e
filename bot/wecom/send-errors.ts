import { AppError } from '../../core/errors.js'
import { RetryableSendError } from '../../delivery/channel.js'

/**
 * What a failed send means for the outbox. The SDK rejects with an Error when the frame could not
 * go out or no receipt came (not connected, connection closed, 5 s receipt timeout) — worth trying
 * again — and with the receipt frame itself when WeCom answered an errcode.
 */
export class WecomApiError extends AppError<'wecom-api'> {
  constructor(
    message: string,
    readonly errcode: number | undefined,
    options?: ErrorOptions,
  ) {
    super('wecom-api', message, options)
  }
}

// WeCom's general codes: -1 system busy; 45009 API frequency over the limit; 45033 too many concurrent calls
const BUSY = new Set([-1, 6000])
const RATE_LIMITED = new Set([45009, 45033, 45011])

export function classifySendError(error: unknown, what: string): RetryableSendError | WecomApiError {
  if (error instanceof RetryableSendError || error instanceof WecomApiError) return error
  const receipt = receiptOf(error)
  if (receipt) {
    const text = `${what}: errcode ${receipt.errcode} ${receipt.errmsg}`.trim()
    if (RATE_LIMITED.has(receipt.errcode)) return new RetryableSendError(text, 60_000, { cause: error })
    if (BUSY.has(receipt.errcode)) return new RetryableSendError(text, undefined, { cause: error })
    return new WecomApiError(text, receipt.errcode)
  }
  // no answer at all: the frame may or may not have gone out; WeCom has no request id to dedupe a retry
  const message = error instanceof Error ? error.message : String(error)
  return new RetryableSendError(`${what}: ${message}`, undefined, { cause: error })
}

/** The receipt frame `{headers, errcode, errmsg}`, when that is what was thrown. */
export function receiptOf(error: unknown): { errcode: number; errmsg: string } | undefined {
  if (typeof error !== 'object' || error === null || error instanceof Error) return undefined
  const { errcode, errmsg } = error as { errcode?: unknown; errmsg?: unknown }
  return typeof errcode === 'number' ? { errcode, errmsg: typeof errmsg === 'string' ? errmsg : '' } : undefined
}
