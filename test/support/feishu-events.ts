import { randomBytes } from 'node:crypto'
import type { Hono } from 'hono'
import type { FeishuChannel } from '../../bot/feishu/feishu-channel.js'
import { encryptEvent, signatureOf } from '../../bot/feishu/verify.js'

/** Feishu events as Feishu sends them (schema 2.0), and the two ways of delivering them. */
export const APP_ID = 'cli_a1b2c3d4e5f60718'
export const APP_SECRET = 'test-app-secret'
export const ENCRYPT_KEY = 'test-encrypt-key'
export const VERIFICATION_TOKEN = 'test-verification-token'

let seq = 0
const id = (prefix: string) => `${prefix}${Date.now().toString(16)}${(++seq).toString(16).padStart(8, '0')}`

export type FeishuEvent = Record<string, unknown> & { header: { event_id: string; event_type: string; token: string } & Record<string, string> }

function envelope(eventType: string, event: Record<string, unknown>, at: Date, eventId = id('ev_')): FeishuEvent {
  return {
    schema: '2.0',
    header: { event_id: eventId, token: VERIFICATION_TOKEN, create_time: String(at.getTime()), event_type: eventType, tenant_key: 'tenant-x', app_id: APP_ID },
    event,
  }
}

export interface MessageSpec {
  chatId: string
  senderId: string
  at: Date
  messageId?: string
  eventId?: string
  parentId?: string
  text?: string
  mentions?: Array<{ key: string; name: string; openId: string }>
  image?: string // image_key
  file?: { key: string; name: string }
  location?: { lat: string; lng: string; name?: string }
  post?: unknown
  /** a one-to-one chat with the bot */
  chatType?: 'group' | 'p2p'
}

export function messageEvent(spec: MessageSpec): FeishuEvent {
  const [type, content] = spec.image
    ? ['image', { image_key: spec.image }]
    : spec.file
      ? ['file', { file_key: spec.file.key, file_name: spec.file.name }]
      : spec.location
        ? ['location', { name: spec.location.name ?? '', latitude: spec.location.lat, longitude: spec.location.lng }]
        : spec.post
          ? ['post', spec.post]
          : ['text', { text: spec.text ?? '' }]
  return envelope(
    'im.message.receive_v1',
    {
      sender: { sender_id: { open_id: spec.senderId, union_id: `on_${spec.senderId}`, user_id: null }, sender_type: 'user', tenant_key: 'tenant-x' },
      message: {
        message_id: spec.messageId ?? id('om_'),
        ...(spec.parentId ? { parent_id: spec.parentId, root_id: spec.parentId } : {}),
        create_time: String(spec.at.getTime()),
        update_time: String(spec.at.getTime()),
        chat_id: spec.chatId,
        chat_type: spec.chatType ?? 'group',
        message_type: type,
        content: JSON.stringify(content),
        ...(spec.mentions ? { mentions: spec.mentions.map((m) => ({ key: m.key, id: { open_id: m.openId }, name: m.name, tenant_key: 'tenant-x' })) } : {}),
      },
    },
    spec.at,
    spec.eventId,
  )
}

export function cardActionEvent(spec: { chatId: string; operatorId: string; messageId: string; value: Record<string, string>; at: Date; eventId?: string }): FeishuEvent {
  return envelope(
    'card.action.trigger',
    {
      operator: { tenant_key: 'tenant-x', open_id: spec.operatorId, union_id: `on_${spec.operatorId}` },
      token: 'c-card-update-token', // the card's own token: not the verification token
      action: { value: spec.value, tag: 'button' },
      host: 'im_message',
      context: { open_message_id: spec.messageId, open_chat_id: spec.chatId },
    },
    spec.at,
    spec.eventId,
  )
}

export function botAddedEvent(spec: { chatId: string; operatorId: string; at: Date }): FeishuEvent {
  return envelope('im.chat.member.bot.added_v1', { chat_id: spec.chatId, operator_id: { open_id: spec.operatorId }, external: false, name: '资源镇卫片群' }, spec.at)
}

export interface SignedRequest {
  body: string
  headers: Record<string, string>
}

/** Encrypted and signed as Feishu does; `key`/`token`/`signature` overrides make the bad ones. */
export function signed(event: Record<string, unknown>, at: Date, opts: { key?: string; signKey?: string; nonce?: string; plain?: boolean; badSignature?: boolean } = {}): SignedRequest {
  const body = opts.plain ? JSON.stringify(event) : JSON.stringify({ encrypt: encryptEvent(JSON.stringify(event), opts.key ?? ENCRYPT_KEY) })
  const timestamp = String(Math.floor(at.getTime() / 1000))
  const nonce = opts.nonce ?? randomBytes(8).toString('hex')
  let signature = signatureOf(timestamp, nonce, opts.signKey ?? opts.key ?? ENCRYPT_KEY, body)
  if (opts.badSignature) signature = signature.replace(/^./, (c) => (c === '0' ? '1' : '0'))
  return { body, headers: { 'content-type': 'application/json', 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce, 'x-lark-signature': signature } }
}

export async function postWebhook(app: Hono, request: SignedRequest): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await app.request('/feishu/events', { method: 'POST', body: request.body, headers: request.headers })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

/** Exactly what the SDK's WSClient does with a frame: the event's JSON, invoked without a signature check. */
export async function deliverLongConnection(channel: FeishuChannel, event: FeishuEvent): Promise<Record<string, unknown>> {
  const result: unknown = await channel.dispatcher.invoke(JSON.parse(JSON.stringify(event)), { needCheck: false })
  return result && typeof result === 'object' ? (result as Record<string, unknown>) : {}
}
