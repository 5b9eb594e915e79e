import type { Card } from './card.js'

/** The pressed card with the press acknowledged on it (shared cards: everyone sees who pressed what). */
export function acknowledgedCard(card: Card, action: { name: string; value: Record<string, string> }): Card {
  const button = card.buttons?.find((b) => b.action === action.name && Object.entries(b.value).every(([k, v]) => action.value[k] === String(v)))
  const label = button?.label ?? action.name
  return { ...card, fields: [...card.fields.filter(([l]) => l !== '最近操作'), ['最近操作', `「${label}」已收到，正在处理`]] }
}
