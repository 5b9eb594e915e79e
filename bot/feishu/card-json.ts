import type { Card, CardButton } from '../../render/card.js'

/**
 * The platform-neutral card as Feishu card JSON 2.0. A button's callback value carries the action
 * name beside its own values, so the click comes back as `{action, ...value}` (see inbound-map.ts).
 */
export function cardJson(card: Card, imageKey?: string): Record<string, unknown> {
  const elements: Record<string, unknown>[] = []
  if (card.fields.length > 0) {
    elements.push({ tag: 'markdown', content: card.fields.map(([label, value]) => `**${escapeMd(label)}**：${escapeMd(value)}`).join('\n') })
  }
  if (card.links?.length) {
    // the phone opens the map app at the patch (the links carry GCJ-02 coordinates)
    elements.push({ tag: 'markdown', content: card.links.map((l) => `[${escapeMd(l.label)}](${l.url})`).join('　') })
  }
  if (imageKey) {
    elements.push({ tag: 'img', img_key: imageKey, alt: plain(card.image?.alt ?? ''), preview: true, scale_type: 'fit_horizontal' })
  }
  if (card.text) elements.push({ tag: 'div', text: plain(card.text) })
  if (card.buttons?.length) {
    elements.push({
      tag: 'column_set',
      flex_mode: 'flow',
      horizontal_spacing: '8px',
      columns: card.buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [button(b)] })),
    })
  }
  return {
    schema: '2.0',
    config: { update_multi: true }, // 2.0 supports shared cards only
    header: { title: plain(card.title), template: card.template ?? 'blue' },
    body: { elements },
  }
}

/** The reserved key in a button value that names the action. */
export const ACTION_KEY = 'action'

function button(b: CardButton): Record<string, unknown> {
  const value: Record<string, string> = {}
  for (const [k, v] of Object.entries(b.value)) value[k] = String(v) // ids may arrive as numbers
  value[ACTION_KEY] = b.action
  return {
    tag: 'button',
    text: plain(b.label),
    type: b.style ?? 'default',
    behaviors: [{ type: 'callback', value }],
  }
}

const plain = (content: string) => ({ tag: 'plain_text', content })

/** Feishu markdown: a patch's free text must not turn into formatting, links or tags. */
export function escapeMd(text: string): string {
  return text.replace(/[\\*_~`[\]]/g, (c) => `\\${c}`).replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
