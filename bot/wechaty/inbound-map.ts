import type { Inbound } from '../../delivery/channel.js'

/**
 * A Wechaty message, read into plain data (the receiver does the async reading) → the `Inbound`
 * the pipeline takes. Pure: the clock is a parameter. A room is a chat (its id, which holds `@` on
 * WeChat puppets); a contact is a person (its id); a message outside a room is the one-to-one chat,
 * keyed by the contact's id (what the sender answers to).
 */
export const PLATFORM = 'wechaty'

export type MessageKind = 'text' | 'image' | 'attachment' | 'location' | 'audio' | 'video' | 'emoticon' | 'other'

export interface MessageFacts {
  id: string
  kind: MessageKind
  self: boolean
  roomId: string | undefined
  talkerId: string
  talkerName: string | undefined
  /** the text with the @-mentions taken out (Wechaty's mentionText) */
  text: string
  /** whether the bot's own account is @-mentioned */
  mentionsSelf: boolean
  /** others @-mentioned in the message, in order (登记 @某人) */
  mentions: Array<{ id: string; name: string }>
  fileName: string | undefined
  location: { lat: number; lon: number; name?: string } | undefined
  at: Date | undefined
}

/**
 * What a room passes to the bot: only text that @-mentions it (a puppet sees every word of every
 * room it is in, and a bot answering chatter would be noise), and pictures and files in a room the
 * county has bound (evidence, linked to the sender's last step). A one-to-one chat passes everything.
 */
/** Media in a room without an @-mention: taken only where the room is bound (the one case that needs the database). */
export function roomMedia(m: Pick<MessageFacts, 'kind'>): boolean {
  return m.kind === 'image' || m.kind === 'attachment' || m.kind === 'location'
}

export function inboundFromMessage(m: MessageFacts, roomBound: boolean, now: Date): Inbound | undefined {
  if (m.self || !m.id || !m.talkerId) return undefined
  const direct = m.roomId === undefined
  if (!direct && !(m.mentionsSelf || (roomMedia(m) && roomBound))) return undefined
  const base = {
    platform: PLATFORM,
    messageId: m.id,
    chatId: m.roomId ?? m.talkerId,
    senderId: m.talkerId,
    ...(m.talkerName ? { senderName: m.talkerName } : {}),
    at: m.at && Number.isFinite(m.at.getTime()) ? m.at : now,
    ...(direct ? { direct: true } : {}),
  }
  switch (m.kind) {
    case 'text':
      // an @ with nothing else is a question too: the pipeline answers it with help
      return { ...base, kind: 'text', text: m.text.trim(), ...(m.mentions.length ? { mentions: m.mentions } : {}) }
    case 'image':
      return { ...base, kind: 'image', media: { handle: m.id, ...(m.fileName ? { fileName: m.fileName } : {}) } }
    case 'attachment':
      return { ...base, kind: 'file', media: { handle: m.id, ...(m.fileName ? { fileName: m.fileName } : {}) } }
    case 'location':
      // WeChat shares locations in GCJ-02, as Feishu does
      return m.location ? { ...base, kind: 'location', location: { ...m.location, datum: 'gcj02' } } : { ...base, kind: 'unsupported', text: 'location' }
    case 'audio':
      return { ...base, kind: 'unsupported', text: 'audio' }
    case 'video':
      return { ...base, kind: 'unsupported', text: 'video' }
    case 'emoticon':
      return { ...base, kind: 'unsupported', text: 'sticker' }
    default:
      return { ...base, kind: 'unsupported', text: 'other' }
  }
}

/** The bot was invited into a room: a 'joined' of its own, once per invitation. */
export function joinedInbound(roomId: string, inviterId: string, at: Date): Inbound {
  return { platform: PLATFORM, messageId: `joined:${roomId}:${at.getTime()}`, chatId: roomId, senderId: inviterId, kind: 'joined', at }
}
