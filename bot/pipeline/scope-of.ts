import type { ChatScope, Sender } from '../../core/index.js'
import type { Context } from './context.js'

/** The sender's people row as core sees it; undefined when they have none. */
export function senderOf(ctx: Pick<Context, 'person'>): Sender | undefined {
  if (!ctx.person) return undefined
  const base = { role: ctx.person.role, personId: ctx.person.id }
  return ctx.person.township_id === null ? base : { ...base, townshipId: ctx.person.township_id }
}

/** The chat as core sees it: its kind and, for a township group, its township. */
export function chatScopeOf(ctx: Pick<Context, 'chat' | 'township'> & { tenant?: Pick<Context['tenant'], 'level'> }): ChatScope {
  const level = ctx.tenant?.level === 'city' || ctx.tenant?.level === 'province' ? { level: ctx.tenant.level } : {}
  return ctx.township ? { kind: ctx.chat.kind, townshipId: ctx.township.id, townshipName: ctx.township.name, ...level } : { kind: ctx.chat.kind, ...level }
}
