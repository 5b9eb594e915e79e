import { sql } from 'kysely'
import type { Runtime } from '../../app/runtime.js'
import type { Db } from '../../db/open.js'

/**
 * Handles what was accepted, then delivers the outbox until nothing is pending, moving virtual time
 * over backoffs and waits. Only a row that can go next counts (the oldest pending of its chat: a later
 * one waits behind it), and only on the platforms the runtime sends to.
 */
export async function settleOutbox(
  db: Db,
  runtime: Runtime,
  time: { now(): number; advanceTo(at: number): unknown },
  maxMs = 10 * 60_000,
): Promise<void> {
  await runtime.pipeline.idle()
  const until = time.now() + maxMs
  for (;;) {
    await runtime.flush()
    const next = await db
      .selectFrom('outbox as o')
      .select(sql<Date>`min(o.next_attempt_at)`.as('at'))
      .where('o.status', '=', 'pending')
      .where('o.platform', 'in', [...runtime.senders.keys()])
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('outbox as e').select('e.id').whereRef('e.platform', '=', 'o.platform').whereRef('e.target', '=', 'o.target').where('e.status', '=', 'pending').whereRef('e.id', '<', 'o.id'))))
      .executeTakeFirst()
    if (!next?.at) return
    const at = new Date(next.at).getTime()
    if (at > until) throw new Error('outbox did not drain')
    await time.advanceTo(Math.max(at, time.now() + 1))
  }
}
