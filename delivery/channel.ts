/**
 * The one shape every messenger adapter (console, Feishu, WeCom) speaks. A channel turns a platform
 * event into an `Inbound` and hands it to the pipeline; it delivers `Outgoing` messages the sender
 * gives it. Nothing else in bot/ knows a platform's API.
 */
/** `unsupported`: a message type the bot cannot take (voice, video, sticker …): stored, and answered */
export type InboundKind = 'text' | 'image' | 'file' | 'location' | 'card_action' | 'unsupported'

export interface Inbound {
  platform: string
  messageId: string // unique per platform: the dedupe key
  chatId: string
  senderId: string
  senderName?: string
  kind: InboundKind
  text?: string
  replyTo?: string // platform message id this replies to (a patch card, say)
  location?: { lon: number; lat: number; datum: 'gcj02' | 'wgs84'; name?: string }
  media?: { handle: string; fileName?: string; mime?: string }
  action?: { name: string; value: Record<string, string> } // a card button
  /** people @-mentioned inside the message (not the leading @ that addresses the bot), in order */
  mentions?: Array<{ id: string; name: string }>
  at: Date
}

export interface CardButton {
  label: string
  action: string // e.g. 'report', 'confirm'
  value: Record<string, string>
  style?: 'primary' | 'danger' | 'default'
}

/** A platform-neutral card; each channel renders it its own way. */
export interface Card {
  title: string
  template?: 'blue' | 'red' | 'orange' | 'green' | 'grey'
  fields: Array<[label: string, value: string]>
  text?: string
  buttons?: CardButton[]
  image?: { png: Uint8Array; alt: string }
}

export type Outgoing =
  | { kind: 'text'; text: string }
  | { kind: 'card'; card: Card }
  | { kind: 'image'; png: Uint8Array; alt: string }
  | { kind: 'file'; fileName: string; bytes: Uint8Array; mime: string }

export interface SendOptions {
  idempotencyKey: string
  replyTo?: string
}

export type InboundHandler = (message: Inbound) => Promise<void>

export interface Channel {
  readonly platform: string
  start(handler: InboundHandler): Promise<void>
  stop(): Promise<void>
  send(chatId: string, message: Outgoing, options: SendOptions): Promise<{ messageId: string }>
  /**
   * Replaces a message already sent (a patch card showing the patch's new state). Optional: a
   * channel without it has nothing to update, and the outbox counts the update as done.
   */
  update?(chatId: string, messageId: string, message: Outgoing): Promise<void>
  fetchMedia(media: NonNullable<Inbound['media']>, messageId: string): Promise<Uint8Array>
}

/** A failure worth retrying later (rate limit, 5xx, network); anything else is permanent. */
export class RetryableSendError extends Error {
  readonly code = 'SEND_RETRYABLE'
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}
