import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { OutboxCard } from '../../delivery/outbox/payload.js'
import { BUTTON_LABELS } from '../../render/cards.js'

export interface TranscriptEntry {
  direction: 'in' | 'out'
  messageId: string
  at: string
  sender: string
  replyTo: string | null
  kind: string
  text?: string
  card?: OutboxCard
  mapUrl?: string
  imageUrl?: string // a chart the bot sent
  fileUrl?: string // a document the bot sent (.docx)
  fileName?: string
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
    .select(['id', 'idempotency_key', 'created_at', 'sent_id', 'sent_at', 'kind', 'payload', 'reply_to'])
    .where('platform', '=', 'console')
    .where('target', '=', chatId)
    .where('status', '=', 'sent')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  // causal order: a reply right after the message that caused it; other bot messages by creation time
  const receivedAt = new Map(inbound.map((m) => [m.id, new Date(m.received_at).getTime()]))
  const causes = outbound.map((o) => /^in:(\d+):/.exec(o.idempotency_key)?.[1]).filter((id): id is string => id !== undefined).map(Number)
  const elsewhere = causes.filter((id) => !receivedAt.has(id))
  if (elsewhere.length) {
    // messages caused in another chat (a staff decision told to the township)
    const rows = await db.selectFrom('inbound_messages').select(['id', 'received_at']).where('id', 'in', elsewhere).execute()
    for (const r of rows) receivedAt.set(r.id, new Date(r.received_at).getTime())
  }
  // a card is shown as it is now: its newest delivered update replaces it, and updates are no messages of their own
  const latestCard = new Map<string, OutboxCard>()
  for (const o of outbound) {
    const p = o.payload
    if (p.kind === 'update' && !latestCard.has(p.ofKey)) latestCard.set(p.ofKey, p.card)
  }
  const messages = outbound.filter((o) => o.kind !== 'update')
  const entries: Array<TranscriptEntry & { order: number[] }> = [
    ...inbound.map((m) => {
      const p = m.payload
      return {
        order: [new Date(m.received_at).getTime(), 1, m.id, 0, 0],
        direction: 'in' as const,
        messageId: m.message_id,
        at: new Date(m.received_at).toISOString(),
        sender: m.name ?? p.senderName ?? p.senderId,
        replyTo: p.replyTo ?? null,
        kind: m.kind,
        ...(p.text ? { text: p.text } : {}),
        // the button's words, not its internal action name (approveDocument …)
        ...(p.action ? { text: `［点击：${p.action.label ?? BUTTON_LABELS[p.action.name] ?? '按钮'}］` } : {}),
        ...(p.media ? { photo: true } : {}),
        ...(p.location ? { location: { lon: p.location.lon, lat: p.location.lat } } : {}),
      }
    }),
    ...messages.map((o) => {
      const payload = o.payload
      const cause = /^in:(\d+):(\d+)$/.exec(o.idempotency_key)
      const causeAt = cause ? receivedAt.get(Number(cause[1])) : undefined
      return {
        order: cause && causeAt !== undefined ? [causeAt, 1, Number(cause[1]), 1, Number(cause[2])] : [new Date(o.created_at).getTime(), 0, o.id, 0, 0],
        direction: 'out' as const,
        messageId: o.sent_id ?? '',
        at: new Date(o.sent_at ?? 0).toISOString(),
        sender: '卫片执法助手',
        replyTo: o.reply_to,
        kind: o.kind,
        ...(payload.kind === 'text' ? { text: payload.text } : {}),
        ...(payload.kind === 'card' ? { card: latestCard.get(o.idempotency_key) ?? payload.card } : {}),
        ...(payload.kind === 'card' && payload.card.mapOfPatch !== undefined ? { mapUrl: `/console/api/patches/${payload.card.mapOfPatch}/map.png` } : {}),
        ...(payload.kind === 'image' ? { imageUrl: `/console/api/outbox/${o.id}/image.png` } : {}),
        ...(payload.kind === 'file' ? { fileUrl: `/console/api/documents/${payload.documentId}/file` } : {}),
      }
    }),
  ]
  const byOrder = (a: number[], b: number[]) => a.reduce((d, v, i) => d || v - b[i]!, 0)
  return entries
    .sort((a, b) => byOrder(a.order, b.order))
    .slice(-limit)
    .map(({ order: _order, ...e }) => e)
}
