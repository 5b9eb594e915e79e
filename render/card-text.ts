import { findPatchNumbers } from '../core/index.js'
import type { Card, CardButton } from './card.js'

/**
 * A card for a messenger without buttons (Wechaty, the WeCom group robot): the title, the fields,
 * the text, then each button as the words to type instead — the same commands core's grammar
 * (core/parse.ts) reads, with the patch number written out, so they work from any chat.
 */
export interface TypedOption {
  label: string
  /** what to send; undefined when only a button can do it (a letter's 批准/作废) */
  command: string | undefined
}

export function typedOptions(card: Card): TypedOption[] {
  const number = findPatchNumbers([card.title, ...card.fields.map(([, v]) => v)].join('\n'))[0]
  const bulletin = card.title.includes('通报')
  return (card.buttons ?? []).map((b) => ({ label: b.label, command: commandFor(b, number, bulletin) }))
}

function commandFor(b: CardButton, number: string | undefined, bulletin: boolean): string | undefined {
  const n = number ? `${number} ` : ''
  switch (b.action) {
    case 'report':
      if (b.value.judgment === 'illegal') return `${n}已核查 违法 违法类型（如 农村乱占耕地建房）`
      if (b.value.judgment === 'legal') return `${n}合法 批准文号`
      return `${n}设施农业用地（或 临时用地、农村道路、实地未变化）`
    case 'query':
      return `查 ${number ?? '图斑号'}`
    case 'confirm':
      return `确认 ${number ?? '图斑号'}`
    case 'sendBack':
      return `退回 ${n}理由`
    case 'accept':
      return `验收 ${number ?? '图斑号'}`
    case 'rejectRectification':
      return `驳回 ${n}理由`
    case 'approveDocument':
      return bulletin ? '同意通报' : undefined
    case 'returnDocument':
      return '退回通报 理由'
    default:
      return undefined
  }
}

export interface CardTextOptions {
  /** put before each command (a room where the bot hears only what @-mentions it) */
  commandPrefix?: string
  /** the line above the commands: where to send them */
  commandsHeading?: string
  /** markdown (bold title, quoted fields) rather than plain text */
  markdown?: boolean
  /** markdown without escapes needs look-alikes for the patch's free text */
  escape?: (text: string) => string
}

export function cardAsText(card: Card, options: CardTextOptions = {}): string {
  const esc = options.escape ?? ((s: string) => s)
  const md = options.markdown ?? false
  const lines = [md ? `**${esc(card.title)}**` : `【${card.title}】`]
  for (const [label, value] of card.fields) lines.push(md ? `> ${esc(label)}：${esc(value)}` : `${label}：${value}`)
  if (card.text) lines.push(esc(card.text))
  for (const l of card.links ?? []) lines.push(md ? `[${esc(l.label)}](${l.url})` : `${l.label}：${l.url}`)
  const options_ = typedOptions(card)
  if (options_.length) {
    lines.push(options.commandsHeading ?? '请发送文字办理：')
    for (const o of options_) {
      const what = o.command ? `${options.commandPrefix ?? ''}${o.command}` : '此项只能在飞书或企业微信智能机器人的卡片按钮上操作'
      lines.push(md ? `- ${esc(o.label)}：\`${esc(what)}\`` : `· ${o.label}：${what}`)
    }
  }
  return lines.join('\n')
}
