import { AppError } from '../core/errors.js'
import type { Hono } from 'hono'
import type { Card, Inbound } from '../db/payloads.js'

export type { Card, CardButton, Inbound, InboundKind } from '../db/payloads.js'

/**
 * The shapes every messenger adapter (console, Feishu, WeCom, the worker) speaks, as in Bolt: a
 * channel is receivers — each turns platform events into an `Inbound` and calls `accept`, the
 * pipeline's one way in — and a sender, which delivers the `Outgoing` messages of the outbox.
 * Nothing else knows a platform's API.
 */


export type Outgoing =
  | { kind: 'text'; text: string }
  | { kind: 'card'; card: Card }
  | { kind: 'image'; png: Uint8Array; alt: string }
  | { kind: 'file'; fileName: string; bytes: Uint8Array; mime: string }

/**
 * How long any one call to a platform's HTTP API may take before it counts as lost (a transient
 * failure: the outbox retries, and the platform key makes a resend safe). Operational, not the
 * county's: without it a hanging answer kept its row claimed and its chat waiting for good.
 */
export const PLATFORM_CALL_TIMEOUT_MS = 10_000

export interface SendOptions {
  idempotencyKey: string
  replyTo?: string
  /** the county the message is for: a channel with per-county apps sends through that county's own */
  tenantId?: number | null
}

/** What `accept` answers once the message is stored: the receiver may acknowledge the platform then. */
export type Accepted =
  | { status: 'accepted'; inboundId: number; handled: Promise<'handled' | 'failed'> }
  | { status: 'duplicate'; inboundId: number }

/** The pipeline's one way in: store (once per platform message id), then handle in the background. */
export type Accept = (message: Inbound) => Promise<Accepted>

/** A receiver's connection, for /healthz: a passive one (webhook, console) is up while it is started. */
export type ReceiverState = 'up' | 'connecting' | 'down'

/** A way events come in (a webhook, a long connection, the console page). */
export interface Receiver {
  readonly platform: string
  start(accept: Accept): Promise<void>
  stop(): Promise<void>
  /** the connection's state; absent: nothing to lose (events are pushed to us) */
  state?(): ReceiverState
}

/** Delivers outbox messages on one platform; only the outbox sender calls it. */
export interface Sender {
  readonly platform: string
  send(chatId: string, message: Outgoing, options: SendOptions): Promise<{ messageId: string }>
  /**
   * Replaces a message already sent (a patch card showing the patch's new state). Optional: a
   * channel without it has nothing to update, and the outbox counts the update as done.
   */
  update?(chatId: string, messageId: string, message: Outgoing, options?: Pick<SendOptions, 'tenantId'>): Promise<void>
  fetchMedia(media: NonNullable<Inbound['media']>, messageId: string): Promise<Uint8Array>
  /**
   * Optional: false while this instance cannot send (another instance holds the platform's one
   * connection); its outbox rows are then left to the instance that can.
   */
  ready?(): boolean
}

/** A messenger as the runtime wires it: its sender, its receivers, and the HTTP routes they need. */
export interface Channel {
  readonly platform: string
  readonly sender: Sender
  readonly receivers: Receiver[]
  readonly routes?: Hono | undefined
}

/**
 * The platform will not give the media any more (a download link that expired, a file that does not
 * decrypt): the message is handled without it and the sender asked to send it again.
 */
export class MediaUnavailableError extends AppError<'media-unavailable'> {
  constructor(message: string, options?: ErrorOptions) {
    super('media-unavailable', message, options)
  }
}

/**
 * A failure worth retrying later. Two kinds, and the outbox treats them apart:
 * - `wait`: the platform said when to come back (a rate limit and its reset): the row is
 *   rescheduled at that moment and the attempt does not count toward giving up;
 * - `transient`: 5xx, network, token trouble: retried with capped exponential backoff.
 * A `retryAfterMs` makes it a wait unless the kind is given. Any other error is permanent.
 */
export class RetryableSendError extends AppError<'send-retryable'> {
  readonly kind: 'wait' | 'transient'
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: ErrorOptions & { kind?: 'wait' | 'transient' },
  ) {
    super('send-retryable', message, options)
    this.kind = options?.kind ?? (retryAfterMs !== undefined ? 'wait' : 'transient')
  }
}

export type SendFailureKind = 'wait' | 'transient' | 'permanent'

/** How the outbox treats a failed send. */
export function failureKind(error: unknown): SendFailureKind {
  return error instanceof RetryableSendError ? error.kind : 'permanent'
}
