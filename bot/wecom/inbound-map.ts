import { findPatchNumbers } from '../../core/patch-number.js'
import type { Inbound } from '../../delivery/channel.js'
import { decodeButtonKey } from './template-card.js'

/**
 * 智能机器人 callbacks (the `body` of aibot_msg_callback / aibot_event_callback frames) → the plain
 * `Inbound` the pipeline takes. Pure: the clock is a parameter. People are keyed by WeCom userid; a
 * group is its chatid, the one-to-one chat the sender's userid (what `sendMessage` takes for it).
 */
export const PLATFORM = 'wecom'

interface Media {
  url?: string
  aeskey?: string
}
interface MixedItem {
  msgtype?: string
  text?: { content?: string }
  image?: Media
}
interface Quote {
  msgtype?: string
  text?: { content?: string }
  mixed?: { msg_item?: MixedItem[] }
  voice?: { content?: string }
}

export interface MessageBody {
  msgid?: string
  aibotid?: string
  chatid?: string
  chattype?: 'single' | 'group'
  from?: { userid?: string }
  create_time?: number
  msgtype?: string
  text?: { content?: string }
  image?: Media
  file?: Media
  mixed?: { msg_item?: MixedItem[] }
  voice?: { content?: string }
  quote?: Quote
}

export interface EventBody {
  msgid?: string
  create_time?: number
  chatid?: string
  chattype?: 'single' | 'group'
  from?: { userid?: string }
  msgtype?: string
  event?: {
    eventtype?: string
    event_key?: string
    task_id?: string
    // the documented shape nests the details under the event type's name
    template_card_event?: { event_key?: string; task_id?: string; card_type?: string }
  }
}

/** Where a callback came from: a group's chatid, or the sender's userid for the one-to-one chat. */
export function chatOf(body: { chatid?: string; chattype?: string; from?: { userid?: string } }): { chatId: string; direct: boolean } | undefined {
  const userId = body.from?.userid
  if (body.chattype === 'group') return body.chatid ? { chatId: body.chatid, direct: false } : undefined
  return userId ? { chatId: userId, direct: true } : undefined
}

/**
 * One callback may become several inbound messages: 图文混排 (text + pictures in one message, the way
 * a group member sends photos, since a group passes only what @-mentions the bot) is its text first,
 * then one image per picture (`<msgid>#img<n>`), each its own piece of evidence. What the bot cannot
 * take (voice, video) is kept as `unsupported`, so the sender hears what to send instead.
 */
export function inboundsFromMessage(body: MessageBody, now: Date): Inbound[] {
  const chat = chatOf(body)
  const senderId = body.from?.userid
  if (!body.msgid || !chat || !senderId) return []
  const at = typeof body.create_time === 'number' && body.create_time > 0 ? new Date(body.create_time < 1e12 ? body.create_time * 1000 : body.create_time) : now
  const base = {
    platform: PLATFORM,
    messageId: body.msgid,
    chatId: chat.chatId,
    senderId,
    at,
    ...(chat.direct ? { direct: true } : {}),
  }
  const quoted = quotedPatch(body.quote)
  const textInbound = (raw: string): Inbound | undefined => {
    const text = withQuotedPatch(stripLeadingMentions(raw), quoted)
    return text ? { ...base, kind: 'text', text } : undefined
  }
  switch (body.msgtype) {
    case 'text':
      // an @ with nothing else is a question too: the pipeline answers it with help
      return [textInbound(body.text?.content ?? '') ?? { ...base, kind: 'text', text: '' }]
    case 'image':
      return body.image?.url ? [{ ...base, kind: 'image', media: { handle: mediaHandle(body.image) } }] : [{ ...base, kind: 'unsupported', text: 'image' }]
    case 'file':
      return body.file?.url ? [{ ...base, kind: 'file', media: { handle: mediaHandle(body.file) } }] : [{ ...base, kind: 'unsupported', text: 'file' }]
    case 'mixed': {
      const items = body.mixed?.msg_item ?? []
      const text = items.filter((i) => i.msgtype === 'text').map((i) => i.text?.content ?? '').join('\n')
      const out: Inbound[] = []
      const first = textInbound(text)
      if (first) out.push(first)
      items
        .filter((i) => i.msgtype === 'image' && i.image?.url)
        .forEach((i, n) => out.push({ ...base, messageId: `${body.msgid}#img${n + 1}`, kind: 'image', media: { handle: mediaHandle(i.image!) } }))
      return out.length ? out : [{ ...base, kind: 'unsupported', text: 'mixed' }]
    }
    case 'voice':
      return [{ ...base, kind: 'unsupported', text: 'audio' }]
    default:
      return [{ ...base, kind: 'unsupported', text: body.msgtype ?? 'unknown' }]
  }
}

/** A template-card button: the callback's msgid is its own (a card can be pressed many times). */
export function inboundFromCardEvent(body: EventBody, now: Date): Inbound | undefined {
  const chat = chatOf(body)
  const senderId = body.from?.userid
  const details = body.event?.template_card_event ?? body.event
  const action = details?.event_key ? decodeButtonKey(details.event_key) : undefined
  if (!body.msgid || !chat || !senderId || !action) return undefined
  return {
    platform: PLATFORM,
    messageId: body.msgid,
    chatId: chat.chatId,
    senderId,
    kind: 'card_action',
    action,
    ...(details?.task_id ? { replyTo: details.task_id } : {}),
    ...(chat.direct ? { direct: true } : {}),
    at: now,
  }
}

/**
 * WeCom tells nobody when the bot is added to a group: the first callback from a group stands in,
 * as a 'joined' of its own, stored once per chat (its id is the chat's), handled before the message.
 */
export function joinedInbound(chatId: string, senderId: string, at: Date): Inbound {
  return { platform: PLATFORM, messageId: `joined:${chatId}`, chatId, senderId, kind: 'joined', at }
}

/** The callback msgid behind an inbound id (a mixed message's pictures carry a `#img<n>` suffix). */
export function platformMessageId(messageId: string): string {
  const hash = messageId.indexOf('#')
  return hash < 0 ? messageId : messageId.slice(0, hash)
}

/** What `fetchMedia` needs: the link (valid about five minutes) and the key for this one file. */
function mediaHandle(media: Media): string {
  return JSON.stringify({ url: media.url, ...(media.aeskey ? { aeskey: media.aeskey } : {}) })
}

export function parseMediaHandle(handle: string): { url: string; aeskey?: string } | undefined {
  try {
    const v = JSON.parse(handle) as { url?: unknown; aeskey?: unknown }
    if (typeof v.url !== 'string') return undefined
    return { url: v.url, ...(typeof v.aeskey === 'string' ? { aeskey: v.aeskey } : {}) }
  } catch {
    return undefined
  }
}

/** `@卫片执法助手 绑定 资源镇` → `绑定 资源镇`: a group message always starts by addressing the bot. */
function stripLeadingMentions(text: string): string {
  return text.replace(/^\s*(?:@\S+[\s\u2005\u3000]+)+/, '').replace(/^\s*@\S+\s*$/, '').trim()
}

/**
 * WeCom quotes carry the quoted content, not its message id, so a quote cannot name the card it
 * answers. When the quoted text names exactly one patch and the message names none, the number is
 * added, so 「引用」 a patch message works as replying to it does on Feishu.
 */
function quotedPatch(quote: Quote | undefined): string | undefined {
  if (!quote) return undefined
  const text = [quote.text?.content, quote.voice?.content, ...(quote.mixed?.msg_item ?? []).map((i) => i.text?.content)].filter(Boolean).join('\n')
  const numbers = findPatchNumbers(text)
  return numbers.length === 1 ? numbers[0] : undefined
}

function withQuotedPatch(text: string, number: string | undefined): string {
  if (!number || !text || findPatchNumbers(text).length > 0) return text
  return `${text} ${number}`
}
