// The job ledger: a period's run and its effects commit together or not at all. The row is inserted
// first, so a second instance blocks on the unique key until the first commits, then skips; a crash
// mid-run rolls the row back with the effects, and the next tick runs the period again.
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/schema.js'

export interface RunKey {
  tenantId: number
  job: string
  period: string
  now: Date
}

export type RunResult = { ran: true; note: string | null } | { ran: false }

export async function runOnce(
  db: Kysely<Database>,
  key: RunKey,
  work: (trx: Transaction<Database>) => Promise<string | null | undefined>,
): Promise<RunResult> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('job_runs')
      .values({ tenant_id: key.tenantId, job: key.job, period: key.period, started_at: key.now })
      .onConflict((oc) => oc.columns(['tenant_id', 'job', 'period']).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!row) return { ran: false } as const
    const note = (await work(trx)) ?? null
    await trx.updateTable('job_runs').set({ finished_at: key.now, note }).where('id', '=', row.id).execute()
    return { ran: true, note } as const
  })
}
