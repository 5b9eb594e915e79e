import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { Inbound } from '../channel.js'
import type { OutboxPayload } from '../outbox/payload.js'

export interface TranscriptEntry {
  direction: 'in' | 'out'
  messageId: string
  at: string
  sender: string
  replyTo: string | null
  kind: string
  text?: string
  card?: Record<string, unknown>
  mapUrl?: string
  photo?: boolean
  location?: { lon: number; lat: number }
}

/** A console chat as people saw it: what they sent (inbound) and what the bot delivered (outbox). */
export async function transcript(db: Kysely<Database>, chatId: string, limit = 200): Promise<TranscriptEntry[]> {
  const inbound = await db
    .selectFrom('inbound_messages as m')
    .leftJoin('people as p', (j) => j.onRef('p.platform_user_id', '=', 'm.sender_id').onRef('p.platform', '=', 'm.platform'))
    .select(['m.id', 'm.message_id', 'm.received_at', 'm.kind', 'm.payload', 'p.name'])
    .where('m.platform', '=', 'console')
    .where('m.chat_id', '=', chatId)
    .orderBy('m.id', 'desc')
    .limit(limit)
    .execute()
  const outbound = await db
    .selectFrom('outbox')
    .select(['id', 'sent_id', 'sent_at', 'kind', 'payload', 'reply_to'])
    .where('platform', '=', 'console')
    .where('target', '=', chatId)
    .where('status', '=', 'sent')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  const entries: Array<TranscriptEntry & { order: number }> = [
    ...inbound.map((m) => {
      const p = m.payload as unknown as Inbound
      return {
        order: m.id * 2,
        direction: 'in' as const,
        messageId: m.message_id,
        at: new Date(m.received_at).toISOString(),
        sender: m.name ?? p.senderName ?? p.senderId,
        replyTo: p.replyTo ?? null,
        kind: m.kind,
        ...(p.text ? { text: p.text } : {}),
        ...(p.action ? { text: `［点击：${p.action.name}］` } : {}),
        ...(p.media ? { photo: true } : {}),
        ...(p.location ? { location: { lon: p.location.lon, lat: p.location.lat } } : {}),
      }
    }),
    ...outbound.map((o) => {
      const payload = o.payload as unknown as OutboxPayload
      return {
        order: o.id * 2 + 1,
        direction: 'out' as const,
        messageId: o.sent_id ?? '',
        at: new Date(o.sent_at ?? 0).toISOString(),
        sender: '卫片执法助手',
        replyTo: o.reply_to,
        kind: o.kind,
        ...(payload.kind === 'text' ? { text: payload.text } : {}),
        ...(payload.kind === 'card' ? { card: payload.card as unknown as Record<string, unknown> } : {}),
        ...(payload.kind === 'card' && payload.card.mapOfPatch !== undefined ? { mapUrl: `/console/api/patches/${payload.card.mapOfPatch}/map.png` } : {}),
      }
    }),
  ]
  // by time; inbound before the replies it caused when they share a millisecond
  return entries
    .sort((a, b) => a.at.localeCompare(b.at) || a.order - b.order)
    .slice(-limit)
    .map(({ order: _order, ...e }) => e)
}
