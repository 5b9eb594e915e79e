import { mayActOnPatchIn, patchAudience, transition, type Action, type Actor, type OutgoingIntent, type PatchEvent } from '../../core/index.js'
import { loadPatch, savePatch, type LoadedPatch } from '../../db/queries/patches.js'
import { reviewCardPayload } from '../../render/cards.js'
import { refreshReviewCards, updatePatchCards, updateReviewCards } from './card-updates.js'
import type { Context, Recipient } from './context.js'
import { chatScopeOf } from './scope-of.js'

export type Applied = { ok: true; patch: LoadedPatch; events: PatchEvent[] } | { ok: false }

export interface ApplyOptions {
  /** written only when core accepts the action (e.g. the evidence row a photo becomes) */
  persist?: () => Promise<void>
  /** said before core's own messages when the action is accepted */
  preface?: string
}

/**
 * Runs one lifecycle action through core and writes its result: the patch, its events, and its
 * messages as outbox effects. A refusal becomes a reply saying why, and nothing is written.
 */
export async function applyAction(ctx: Context, patchId: number, action: Action, options: ApplyOptions = {}): Promise<Applied> {
  const loaded = await loadPatch(ctx.trx, patchId, true)
  if (!loaded || loaded.row.tenant_id !== ctx.tenant.id) {
    ctx.reply('未找到该图斑，请核对图斑编号。')
    return { ok: false }
  }
  const here = mayActOnPatchIn(chatScopeOf(ctx), { number: loaded.row.number, townshipId: loaded.row.township_id, military: loaded.row.military })
  if (!here.ok) {
    ctx.reply(here.reason, patchId)
    return { ok: false }
  }
  const result = transition(loaded.snapshot, action, actorOf(ctx), ctx.policy, ctx.now)
  if (!result.ok) {
    ctx.reply(result.reason, patchId)
    return { ok: false }
  }
  await savePatch(ctx.trx, patchId, result.patch, result.events, ctx.inboundId)
  await options.persist?.()
  const next: LoadedPatch = { ...loaded, snapshot: result.patch }
  // one reply to the sender per message (a photo gets one answer, not a receipt then a verdict):
  // the preface and what core tells the actor go together
  const toActor = result.messages.filter((m) => m.to.kind === 'actor').map((m) => m.text)
  const answer = [options.preface, ...toActor].filter(Boolean).join('\n')
  if (answer) ctx.reply(answer, patchId)
  for (const message of result.messages) if (message.to.kind !== 'actor') sayIntent(ctx, next, message, result.events)
  if (result.patch.state !== loaded.snapshot.state) await updatePatchCards(ctx, next)
  // a decision on a report or a rectification closes the office's review cards for that step
  // (a city 核验 that did not pass sends the rectification back, like a rejection)
  const decided = ['confirm', 'sendBack', 'accept', 'rejectRectification'].includes(action.type) ||
    (action.type === 'recordCityVerification' && result.patch.state === 'rectifying')
  if (decided) await updateReviewCards(ctx, next)
  // evidence that came after the review card: its figures and picture follow (the card is not a
  // snapshot of the past); a report this evidence completed has just made a new card
  else if (action.type === 'addEvidence' && result.patch.state === loaded.snapshot.state) await refreshReviewCards(ctx, next)
  return { ok: true, patch: next, events: result.events }
}

export function actorOf(ctx: Context): Actor {
  if (!ctx.person) return { personId: `unknown:${ctx.inbound.senderId}`, role: 'official' }
  return {
    personId: String(ctx.person.id),
    role: ctx.person.role,
    ...(ctx.person.townshipCode ? { townshipCode: ctx.person.townshipCode } : {}),
  }
}

/** core speaks of township / office / leaders / actor; the outbox of chats. Review requests get buttons. */
function sayIntent(ctx: Context, patch: LoadedPatch, message: OutgoingIntent, events: PatchEvent[]) {
  const patchId = patch.row.id
  // what core tells "the township" goes to the patch's audience: the office for military land
  const to: Recipient =
    message.to.kind === 'actor'
      ? { kind: 'here' }
      : message.to.kind === 'township'
        ? patchAudience({ military: patch.snapshot.military, townshipId: patch.row.township_id })
        : { kind: message.to.kind }
  const awaiting = events.find((e) => e.type === 'reported' || e.type === 'rectified')
  if (to.kind === 'office' && awaiting) {
    ctx.say(to, { kind: 'card', card: reviewCardPayload(patch, message.text, awaiting.type as 'reported' | 'rectified') }, patchId)
  } else if (to.kind === 'here') {
    ctx.reply(message.text, patchId)
  } else {
    ctx.say(to, { kind: 'text', text: message.text }, patchId)
  }
}
