import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { Card } from '../channel.js'
import { createMaterialiser } from './materialise.js'
import type { OutboxPayload } from './payload.js'

/**
 * The card a platform message shows now, from the outbox (so it survives a restart): the card sent
 * as that message, or the newest update of it. undefined: not a card we sent.
 */
// one materialiser per database: it caches rendered maps, and a click should not render the map anew
const materialisers = new WeakMap<Kysely<Database>, ReturnType<typeof createMaterialiser>>()
/** The wiring's own materialiser (with the basemap, its cache) answers clicks too. */
export function useMaterialiserFor(db: Kysely<Database>, materialise: ReturnType<typeof createMaterialiser>): void {
  materialisers.set(db, materialise)
}

function materialiserOf(db: Kysely<Database>) {
  let m = materialisers.get(db)
  if (!m) materialisers.set(db, (m = createMaterialiser(db)))
  return m
}

export async function currentCard(db: Kysely<Database>, platform: string, sentMessageId: string): Promise<Card | undefined> {
  const sent = await db
    .selectFrom('outbox')
    .selectAll()
    .where('platform', '=', platform)
    .where('sent_id', '=', sentMessageId)
    .where('kind', '=', 'card')
    .orderBy('id')
    .executeTakeFirst()
  if (!sent) return undefined
  // updates of this card name it by key and are written to its chat; the last one written is the card now
  const updates = await db
    .selectFrom('outbox')
    .select(['payload'])
    .where('platform', '=', platform)
    .where('sent_id', '=', sentMessageId)
    .where('kind', '=', 'update')
    .orderBy('id', 'desc')
    .execute()
  const latest: OutboxPayload =
    updates.map((u) => u.payload as OutboxPayload).find((p) => p.kind === 'update' && p.ofKey === sent.idempotency_key) ?? (sent.payload as OutboxPayload)
  const outgoing = await materialiserOf(db)(latest, sent)
  return outgoing.kind === 'card' ? outgoing.card : undefined
}
