// A group the system does not know yet (not bound): the bot explains how to bind once, then speaks
// only when spoken to — it may sit in a busy group for days before staff bind it.

export interface UnboundMessage {
  /** the bot was just added */
  joined: boolean
  /** a one-to-one chat with the bot */
  direct: boolean
  /** the message @-mentions the bot */
  addressed: boolean
  /** a 绑定 command (answered: done, or why not) */
  bind: boolean
  /** the bot already said something in this chat */
  answeredBefore: boolean
}

export function answersUnbound(m: UnboundMessage): boolean {
  return m.joined || m.direct || m.bind || m.addressed || !m.answeredBefore
}
