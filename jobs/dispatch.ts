import type { Kysely } from 'kysely'
import { patchAudience, transition, type Actor } from '../core/index.js'
import { tenantPolicy } from '../db/queries/tenant-policy.js'
import { loadPatch, savePatch } from '../db/queries/patches.js'
import type { Database } from '../db/schema.js'
import { enqueue, type OutboxMessage } from '../delivery/outbox/enqueue.js'
import { pushKey } from '../delivery/keys.js'
import { chatsOf } from '../delivery/recipients.js'
import { patchCard } from '../render/cards.js'
import { noticeStranded, noticeUnbound } from './undelivered.js'

const SYSTEM: Actor = { personId: 'system', role: 'system' }

export interface DispatchOptions {
  /** the platforms this process sends on (its senders): a chat elsewhere is not delivered to */
  platforms: readonly string[]
  limit?: number
}

/**
 * Pushes every issued patch to its audience (core's patchAudience): a card to its township group, or
 * to the office as a confidential item for military land (001:61). One transaction per patch: state,
 * event, outbox row. A patch waits, issued, while its group is not bound (the office is told which
 * townships), while its group is bound only on a platform this process does not run (the office is
 * told which platform), and while its card is dead in the outbox (re-queued by `npm run cli -- outbox --retry`).
 */
export async function dispatchIssued(db: Kysely<Database>, now: Date, options: DispatchOptions): Promise<number> {
  const { platforms, limit = 500 } = options
  if (platforms.length === 0) return 0
  const pending = await db
    .selectFrom('patches')
    .innerJoin('tenants', 'tenants.id', 'patches.tenant_id')
    .select(['patches.id', 'patches.tenant_id', 'tenants.policy_overrides'])
    .where('patches.state', '=', 'issued')
    .where('patches.township_id', 'is not', null)
    .where((eb) =>
      eb.exists(
        eb.selectFrom('chats').select('chats.id').whereRef('chats.tenant_id', '=', 'patches.tenant_id').where('chats.platform', 'in', platforms).where((c) =>
          c.or([
            c.and([c('patches.military', '=', true), c('chats.kind', '=', 'office')]),
            c.and([c('patches.military', '=', false), c('chats.kind', '=', 'township'), c('chats.township_id', '=', c.ref('patches.township_id'))]),
          ]),
        ),
      ),
    )
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('outbox').select('outbox.id').whereRef('outbox.patch_id', '=', 'patches.id').where('outbox.status', '=', 'dead').where('outbox.idempotency_key', 'like', 'push:%'))),
    )
    .orderBy('patches.tenant_id')
    .orderBy('patches.number')
    .limit(limit)
    .execute()
  const tenants = await db
    .selectFrom('patches')
    .select('tenant_id')
    .distinct()
    .where('state', '=', 'issued')
    .where('military', '=', false)
    .execute()
  for (const { tenant_id } of tenants) await db.transaction().execute((trx) => noticeUnbound(trx, tenant_id, now))
  await noticeStranded(db, platforms, now)
  let pushed = 0
  for (const { id, policy_overrides } of pending) {
    const policy = tenantPolicy(policy_overrides)
    await db.transaction().execute(async (trx) => {
      const loaded = await loadPatch(trx, id, true)
      if (!loaded || loaded.snapshot.state !== 'issued') return
      const audience = patchAudience({ military: loaded.snapshot.military, townshipId: loaded.row.township_id })
      // chats on the platforms running here; none (unbound since the query): the patch waits
      const chats = (await chatsOf(trx, loaded.row.tenant_id, audience)).filter((c) => platforms.includes(c.platform))
      if (chats.length === 0) return
      const result = transition(loaded.snapshot, { type: 'push', confidential: audience.kind === 'office' }, SYSTEM, policy, now)
      if (!result.ok) return
      await savePatch(trx, id, result.patch, result.events, null)
      const township = await trx.selectFrom('townships').select('name').where('id', '=', loaded.row.township_id!).executeTakeFirstOrThrow()
      const next = { ...loaded, snapshot: result.patch }
      const rows: OutboxMessage[] = chats.map((chat) => ({
        key: pushKey(id, chat.platform, chat.chatId), // card updates find the card by it
        tenantId: loaded.row.tenant_id,
        platform: chat.platform,
        target: chat.chatId,
        patchId: id,
        payload: audience.kind === 'office'
          ? { kind: 'text', text: result.messages.map((m) => m.text).join('\n') }
          : { kind: 'card', card: { ...patchCard(next, township.name, policy, now), mapOfPatch: id } },
      }))
      await enqueue(trx, rows, now)
      pushed++
    })
  }
  return pushed
}
