import type { LoadedPatch } from '../../db/queries/patches.js'
import { sql } from 'kysely'
import { patchAudience } from '../../core/index.js'
import { decidedReviewCard, patchCard, reviewCardPayload } from '../../render/cards.js'
import { pushKey } from '../../delivery/keys.js'
import { chatsOf } from '../../delivery/recipients.js'
import type { Context } from './context.js'


/**
 * The patch moved on: the card pushed to its township group(s) is updated in place (state line,
 * buttons), through the outbox like every other message, keyed by this inbound message. Only the
 * cards that were pushed are updated (military land never was: core's patchAudience). One update per
 * card and message: a second transition in the same message replaces the first one's update.
 */
export async function updatePatchCards(ctx: Context, patch: LoadedPatch): Promise<void> {
  const audience = patchAudience({ military: patch.snapshot.military, townshipId: patch.row.township_id })
  if (audience.kind !== 'township') return // never pushed to a township group: no card to update
  const townshipId = audience.townshipId
  const chats = await chatsOf(ctx.trx, ctx.tenant.id, audience)
  if (chats.length === 0) return
  const originals = await ctx.trx
    .selectFrom('outbox')
    .select(['idempotency_key', 'platform', 'target'])
    .where('idempotency_key', 'in', chats.map((c) => pushKey(patch.row.id, c.platform, c.chatId)))
    .where('kind', '=', 'card')
    .orderBy('id')
    .execute()
  if (originals.length === 0) return
  const township = await ctx.trx.selectFrom('townships').select('name').where('id', '=', townshipId).executeTakeFirstOrThrow()
  const card = { ...patchCard(patch, township.name, ctx.policy, ctx.now), mapOfPatch: patch.row.id }
  for (const original of originals) {
    const earlier = ctx.effects.findIndex((e) => e.payload.kind === 'update' && e.payload.ofKey === original.idempotency_key)
    if (earlier >= 0) ctx.effects.splice(earlier, 1)
    ctx.say({ kind: 'chat', platform: original.platform, chatId: original.target }, { kind: 'update', ofKey: original.idempotency_key, card }, patch.row.id)
  }
}

/**
 * Staff decided (confirmed, sent back, accepted, rejected): the review cards in the office still
 * carry their buttons, so they are updated to say it is done. Only cards that wait for this patch.
 */
export async function updateReviewCards(ctx: Context, patch: LoadedPatch): Promise<void> {
  const cards = await ctx.trx
    .selectFrom('outbox')
    .select(['idempotency_key', 'platform', 'target', sql<string>`payload->'card'->>'title'`.as('title')])
    .where('tenant_id', '=', ctx.tenant.id)
    .where('patch_id', '=', patch.row.id)
    .where('kind', '=', 'card')
    .where(sql<boolean>`payload->'card'->>'title' like '待%'`)
    .execute()
  for (const card of cards) {
    ctx.say({ kind: 'chat', platform: card.platform, chatId: card.target }, { kind: 'update', ofKey: card.idempotency_key, card: decidedReviewCard(patch, card.title) }, patch.row.id)
  }
}

/**
 * Evidence came in for a patch waiting for the office's review: its live review card (the newest
 * one of the step in each office chat, not yet decided) is updated with the new figures and picture.
 */
export async function refreshReviewCards(ctx: Context, patch: LoadedPatch): Promise<void> {
  const step = patch.snapshot.state === 'reported' ? 'reported' : patch.snapshot.state === 'rectified' ? 'rectified' : undefined
  if (!step) return
  const prefix = step === 'reported' ? '待审核' : '待验收'
  const cards = await ctx.trx
    .selectFrom('outbox')
    .select(['idempotency_key', 'platform', 'target', sql<string>`payload->'card'->>'text'`.as('text')])
    .where('tenant_id', '=', ctx.tenant.id)
    .where('patch_id', '=', patch.row.id)
    .where('kind', '=', 'card')
    .where(sql<boolean>`payload->'card'->>'title' like ${prefix + '%'}`)
    .orderBy('id', 'desc')
    .execute()
  const seen = new Set<string>()
  for (const card of cards) {
    const chat = `${card.platform}\u0000${card.target}`
    if (seen.has(chat)) continue // an older card of this chat was decided (sent back, reported again)
    seen.add(chat)
    const decided = await ctx.trx
      .selectFrom('outbox')
      .select('id')
      .where('patch_id', '=', patch.row.id)
      .where('kind', '=', 'update')
      .where(sql<boolean>`payload->>'ofKey' = ${card.idempotency_key}`)
      .where(sql<boolean>`payload->'card'->>'title' not like ${prefix + '%'}`)
      .executeTakeFirst()
    if (decided) continue
    const earlier = ctx.effects.findIndex((e) => e.payload.kind === 'update' && e.payload.ofKey === card.idempotency_key)
    if (earlier >= 0) ctx.effects.splice(earlier, 1)
    ctx.say({ kind: 'chat', platform: card.platform, chatId: card.target }, { kind: 'update', ofKey: card.idempotency_key, card: reviewCardPayload(patch, card.text ?? '', step) }, patch.row.id)
  }
}
