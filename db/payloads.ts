// What the JSON columns hold, typed: the tables' payloads are these shapes and nothing looser.
// They sit here, below every layer that writes them, so db/schema.ts can name them.
import type { Bulletin, Letter } from '../core/index.js'

// ── inbound_messages.payload: the message as the channel gave it ──

/** `unsupported`: a message type the bot cannot take (voice, video, sticker …): stored, and answered */
/** `joined`: the bot was added to the chat (answered with how to bind it) */
export type InboundKind = 'text' | 'image' | 'file' | 'location' | 'card_action' | 'unsupported' | 'joined'

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
  action?: { name: string; value: Record<string, string>; /** the button's words, as the person saw them */ label?: string } // a card button
  /** people @-mentioned inside the message (not the leading @ that addresses the bot), in order */
  mentions?: Array<{ id: string; name: string }>
  /** a one-to-one chat with the bot, not a group: `chatId` is then the sender's own */
  direct?: boolean
  /** the message @-mentions the bot (in a group that is not bound, only these are answered) */
  addressed?: boolean
  at: Date
}

/** As stored (JSON): the date as an ISO string. */
export type StoredInbound = Omit<Inbound, 'at'> & { at: string }

// ── outbox.payload ──

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
  /** links to open (a phone map app's navigation to the patch) */
  links?: Array<{ label: string; url: string }>
  image?: { png: Uint8Array; alt: string }
}

/**
 * What an outbox row holds. Large things (the map picture, a .docx) are referenced, not copied:
 * the sender materialises them at delivery, so the outbox stays small.
 */
export type OutboxCard = Omit<Card, 'image'> & {
  mapOfPatch?: number
  /** with the contact sheet of the patch's first N photos under the map (the review card): N as when written */
  photoSheet?: number
  /** a chart as the card's picture (the published bulletin's ratio chart) */
  chartOf?: { chart: string; data: unknown }
}

export type OutboxPayload =
  | { kind: 'text'; text: string }
  | { kind: 'card'; card: OutboxCard }
  /** a new version of a card sent before: `ofKey` is the idempotency key of the original card's row */
  | { kind: 'update'; ofKey: string; card: OutboxCard }
  | { kind: 'file'; documentId: number }
  | { kind: 'image'; imageOf: { chart: string; data: unknown } }

// ── documents.content ──

export interface BulletinContent {
  bulletin: Bulletin
}

export interface LetterContent {
  letter: Letter
  facts: { illegalMu: number; totalMu: number; ratio: number; overdue: number }
}

export type DocumentContent = BulletinContent | LetterContent
