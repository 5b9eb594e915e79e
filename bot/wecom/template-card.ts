import { createHash } from 'node:crypto'
import type { Card, CardButton } from '../../render/card.js'

/**
 * The platform-neutral card as WeCom draws it. A card with buttons is a `button_interaction`
 * template card whose `task_id` we choose (so a press names the card it came from); each button's
 * key carries the action and its values, so the press comes back as `{action, ...value}`. A card
 * without buttons is markdown. Template cards show pictures by public URL only, so a card's map is
 * sent as an image message of its own (sender.ts).
 */
export type TemplateCardBody = {
  card_type: 'button_interaction'
  main_title: { title: string; desc?: string }
  sub_title_text?: string
  /** type 1: a row that opens `url` (the navigation link) */
  horizontal_content_list?: Array<{ keyname: string; value: string; type?: 1; url?: string }>
  button_list: Array<{ text: string; style: number; key: string }>
  task_id: string
}

/** The reserved key in a button's key that names the action (as on Feishu). */
export const ACTION_KEY = 'action'

// WeCom's documented caps: six rows, six buttons, 1024-byte keys, 128-byte task ids
const MAX_ROWS = 6
const MAX_BUTTONS = 6
const MAX_KEY_BYTES = 1024

export function templateCard(card: Card, taskId: string): TemplateCardBody {
  const link = card.links?.[0]
  const room = link ? MAX_ROWS - 1 : MAX_ROWS
  const rows: NonNullable<TemplateCardBody['horizontal_content_list']> = card.fields.slice(0, room).map(([label, value]) => ({ keyname: clip(label, 10), value: clip(value, 60) }))
  if (link) rows.push({ keyname: '导航', value: clip(link.label, 60), type: 1, url: link.url })
  const overflow = card.fields.slice(room).map(([label, value]) => `${label}：${value}`)
  const sub = [...overflow, card.text ?? ''].filter(Boolean).join('\n')
  return {
    card_type: 'button_interaction',
    main_title: { title: clip(card.title, 36) },
    ...(sub ? { sub_title_text: clip(sub, 300) } : {}),
    ...(rows.length ? { horizontal_content_list: rows } : {}),
    button_list: (card.buttons ?? []).slice(0, MAX_BUTTONS).map((b) => ({ text: clip(b.label, 10), style: styleOf(b.style), key: buttonKey(b) })),
    task_id: taskId,
  }
}

/** A card as WeCom markdown (cards without buttons, and the group-robot fallback). */
export function cardMarkdown(card: Card): string {
  const lines = [`**${escapeMd(card.title)}**`]
  for (const [label, value] of card.fields) lines.push(`> ${escapeMd(label)}：${escapeMd(value)}`)
  if (card.text) lines.push(escapeMd(card.text))
  for (const l of card.links ?? []) lines.push(`[${escapeMd(l.label)}](${l.url})`)
  return lines.join('\n')
}

export function buttonKey(b: CardButton): string {
  const value: Record<string, string> = { [ACTION_KEY]: b.action }
  for (const [k, v] of Object.entries(b.value)) if (k !== ACTION_KEY) value[k] = String(v)
  const key = JSON.stringify(value)
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new Error(`button key over ${MAX_KEY_BYTES} bytes: ${b.action}`)
  return key
}

export function decodeButtonKey(key: string): { name: string; value: Record<string, string> } | undefined {
  try {
    const v = JSON.parse(key) as Record<string, unknown>
    if (!v || typeof v !== 'object' || typeof v[ACTION_KEY] !== 'string') return undefined
    const value: Record<string, string> = {}
    for (const [k, x] of Object.entries(v)) if (k !== ACTION_KEY && x !== null && x !== undefined) value[k] = String(x)
    return { name: v[ACTION_KEY] as string, value }
  } catch {
    return undefined
  }
}

/** A task id from the outbox key: the same row always makes the same card (digits, letters, `_-@` only). */
export function taskIdOf(idempotencyKey: string): string {
  return `card_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}`
}

function styleOf(style: CardButton['style']): number {
  return style === 'danger' ? 3 : style === 'primary' ? 1 : 2 // 1 blue, 2 grey, 3 red
}

function clip(text: string, max: number): string {
  const chars = [...text]
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`
}

const LOOKALIKE: Record<string, string> = { '*': '＊', '`': '｀', '[': '［', ']': '］', '<': '＜', '>': '＞', '#': '＃' }

/** WeCom markdown has no escapes: a patch's free text gets look-alikes instead of formatting or links. */
export function escapeMd(text: string): string {
  return text.replace(/[*`[\]<>#]/g, (c) => LOOKALIKE[c]!)
}
