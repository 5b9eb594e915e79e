import type { Inbound } from '../../delivery/channel.js'
import { ACTION_KEY } from './card-json.js'

/**
 * Feishu events (schema 2.0, as the SDK's dispatcher flattens them: header and event fields side by
 * side) → the plain `Inbound` the pipeline takes. Pure: the clock is a parameter.
 */
export const PLATFORM = 'feishu'

export interface MessageEvent {
  event_id?: string
  sender?: { sender_id?: { open_id?: string }; sender_type?: string }
  message?: {
    message_id: string
    root_id?: string
    parent_id?: string
    create_time?: string // ms
    chat_id: string
    chat_type?: string // group | p2p
    message_type: string
    content: string // JSON
    mentions?: Array<{ key: string; name?: string; id?: { open_id?: string }; mentioned_type?: string }>
  }
}

export interface CardActionEvent {
  event_id?: string
  operator?: { open_id?: string }
  action?: { value?: unknown; tag?: string }
  context?: { open_message_id?: string; open_chat_id?: string }
}

export interface BotAddedEvent {
  event_id?: string
  chat_id?: string
  operator_id?: { open_id?: string }
  name?: string
}

/**
 * One Feishu message may become several inbound messages: a rich-text post with text and pictures
 * is its text first, then one image per picture (`<message_id>#img<n>`), so each picture is kept
 * as its own piece of evidence. Anything we cannot take (voice, video, stickers, unreadable content)
 * is still kept, as `unsupported`, so the sender hears what to send instead.
 */
export function inboundsFromMessage(event: MessageEvent, now: Date): Inbound[] {
  const m = event.message
  const senderId = event.sender?.sender_id?.open_id
  if (!m || !senderId || (event.sender?.sender_type && event.sender.sender_type !== 'user')) return []
  const content = parseContent(m.content)
  const at = m.create_time && Number.isFinite(Number(m.create_time)) ? new Date(Number(m.create_time)) : now
  const base = {
    platform: PLATFORM,
    messageId: m.message_id,
    chatId: m.chat_id,
    senderId,
    at,
    ...((m.parent_id ?? m.root_id) ? { replyTo: (m.parent_id ?? m.root_id)! } : {}),
    // a one-to-one chat with the bot: the pipeline knows it as the sender's direct chat
    ...(m.chat_type === 'p2p' ? { direct: true } : {}),
  }
  const unsupported: Inbound = { ...base, kind: 'unsupported', text: m.message_type ?? 'unknown' }
  if (!content) return [unsupported]
  switch (m.message_type) {
    case 'text': {
      // an @ with nothing else is a question too: the pipeline answers it with help
      const text = String(content.text ?? '')
      const mentions = mentionsIn(text, m.mentions)
      return [{ ...base, kind: 'text', text: stripMentions(text, m.mentions), ...(mentions.length ? { mentions } : {}), ...(addressed(text, m.mentions) ? { addressed: true } : {}) }]
    }
    case 'image':
      return typeof content.image_key === 'string' ? [{ ...base, kind: 'image', media: { handle: content.image_key } }] : [unsupported]
    case 'file':
      return typeof content.file_key === 'string'
        ? [{ ...base, kind: 'file', media: { handle: content.file_key, ...(typeof content.file_name === 'string' ? { fileName: content.file_name } : {}) } }]
        : [unsupported]
    case 'location': {
      const lat = Number(content.latitude) // strings, GCJ-02
      const lon = Number(content.longitude)
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) return [unsupported]
      return [{ ...base, kind: 'location', location: { lon, lat, datum: 'gcj02', ...(typeof content.name === 'string' ? { name: content.name } : {}) } }]
    }
    case 'post': {
      const { title, body, images } = readPost(content, m.mentions)
      const out: Inbound[] = []
      const clean = stripMentions([title, body].filter(Boolean).join('\n'), m.mentions)
      // a post's @ nodes read as the @_user_n keys a text has: the same people, the same leading @
      const mentions = mentionsIn(body, m.mentions)
      if (clean) out.push({ ...base, kind: 'text', text: clean, ...(mentions.length ? { mentions } : {}), ...(addressed(body, m.mentions) ? { addressed: true } : {}) })
      images.forEach((key, i) => out.push({ ...base, messageId: `${m.message_id}#img${i + 1}`, kind: 'image', media: { handle: key } }))
      return out.length ? out : [unsupported]
    }
    default:
      return [unsupported]
  }
}

/** A button click: its own event, deduplicated by event id (a card can be clicked many times). */
export function inboundFromCardAction(event: CardActionEvent, now: Date): Inbound | undefined {
  const raw = event.action?.value
  const value = typeof raw === 'string' ? parseContent(raw) : (raw as Record<string, unknown> | undefined)
  const chatId = event.context?.open_chat_id
  const senderId = event.operator?.open_id
  if (!event.event_id || !chatId || !senderId || !value || typeof value[ACTION_KEY] !== 'string') return undefined
  const rest: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) if (k !== ACTION_KEY && v !== undefined && v !== null) rest[k] = String(v)
  return {
    platform: PLATFORM,
    messageId: event.event_id,
    chatId,
    senderId,
    kind: 'card_action',
    action: { name: value[ACTION_KEY] as string, value: rest },
    ...(event.context?.open_message_id ? { replyTo: event.context.open_message_id } : {}),
    at: now,
  }
}

/** The platform message id behind an inbound id (a post's pictures carry a `#img<n>` suffix). */
export function platformMessageId(messageId: string): string {
  const hash = messageId.indexOf('#')
  return hash < 0 ? messageId : messageId.slice(0, hash)
}

function parseContent(content: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(content)
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** `@_user_1 已核查 违法` → `已核查 违法`: mentions (the bot, colleagues) are not part of the command. */
export function stripMentions(text: string, mentions: NonNullable<MessageEvent['message']>['mentions']): string {
  let out = text
  for (const m of mentions ?? []) out = out.split(m.key).join(' ')
  return out.replace(/@_all\b/g, ' ').replace(/[ \t\u3000]+/g, ' ').replace(/ *\n */g, '\n').trim()
}

/**
 * The people a text @-mentions (`登记 @张三 干事`), in the order they appear. The leading run of
 * mentions addresses the bot (`@卫片助手 登记 …`) and is not a subject; nor is a bot
 * (`mentioned_type`, when Feishu sends it). Mentions Feishu gives no open_id for are left out.
 */
export function mentionsIn(text: string, mentions: NonNullable<MessageEvent['message']>['mentions']): Array<{ id: string; name: string }> {
  // @_user_1 is a prefix of @_user_10: match the longest key, and never a key followed by a digit
  const at = (key: string) => new RegExp(`${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\d)`)
  const position = (key: string) => at(key).exec(text)?.index ?? -1
  const all = [...(mentions ?? [])].filter((m) => m.key).sort((a, b) => b.key.length - a.key.length)
  const keyed = all.filter((m) => m.id?.open_id && m.mentioned_type !== 'bot' && position(m.key) >= 0)
  let rest = text.trimStart()
  const leading = new Set<string>()
  for (let more = true; more; ) {
    more = false
    for (const m of all) {
      if (at(m.key).exec(rest)?.index === 0) {
        leading.add(m.key)
        rest = rest.slice(m.key.length).trimStart()
        more = true
      }
    }
  }
  return keyed
    .filter((m) => !leading.has(m.key))
    .sort((a, b) => position(a.key) - position(b.key))
    .map((m) => ({ id: m.id!.open_id!, name: m.name ?? '' }))
}

type PostNode = { tag?: string; text?: string; image_key?: string; user_id?: string; user_name?: string }
type Mentions = NonNullable<MessageEvent['message']>['mentions']

/**
 * A post is `{title, content: [[node…]…]}`, sometimes wrapped in a locale key (`zh_cn`, `en_us`).
 * An `at` node carries the mention's key (`@_user_1`, listed in `message.mentions` with its open_id),
 * `all`, or an open_id: each is written as the key a text message would have.
 */
function readPost(content: Record<string, unknown>, mentions: Mentions): { title: string; body: string; images: string[] } {
  const post = (Array.isArray(content.content) ? content : Object.values(content).find((v) => v && typeof v === 'object' && Array.isArray((v as Record<string, unknown>).content))) as
    | { title?: string; content: PostNode[][] }
    | undefined
  if (!post) return { title: '', body: '', images: [] }
  const images: string[] = []
  const lines: string[] = []
  const keyOf = (node: PostNode) => {
    const id = node.user_id ?? ''
    if (id === 'all' || id === '@_all') return '@_all'
    if (id.startsWith('@_')) return id
    return mentions?.find((m) => m.id?.open_id === id)?.key ?? ''
  }
  for (const paragraph of post.content) {
    let line = ''
    for (const node of Array.isArray(paragraph) ? paragraph : []) {
      if ((node.tag === 'text' || node.tag === 'a') && node.text) line += node.text
      else if (node.tag === 'at') line += ` ${keyOf(node)} `
      else if (node.tag === 'img' && node.image_key) images.push(node.image_key)
    }
    if (line.trim()) lines.push(line.trim())
  }
  return { title: post.title ?? '', body: lines.join('\n'), images }
}

/** Whether the message addresses the bot: it begins with an @ (the convention `mentionsIn` reads), or @s a bot. */
function addressed(text: string, mentions: Mentions): boolean {
  if (mentions?.some((m) => m.mentioned_type === 'bot' && text.includes(m.key))) return true
  const first = text.trimStart()
  return (mentions ?? []).some((m) => m.key && first.startsWith(m.key) && !/^\d/.test(first.slice(m.key.length)))
}

/** The bot was added to a group: an inbound of its own, answered by the pipeline with how to bind. */
export function inboundFromBotAdded(event: BotAddedEvent, now: Date): Inbound | undefined {
  if (!event.chat_id || !event.event_id) return undefined
  return {
    platform: PLATFORM,
    messageId: `bot-added:${event.event_id}`,
    chatId: event.chat_id,
    senderId: event.operator_id?.open_id ?? 'system',
    kind: 'joined',
    at: now,
  }
}
