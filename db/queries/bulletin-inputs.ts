// What the monthly bulletin reads, each from an index (migration 0014): the patches with a step
// finished in the month, the open steps past due at its end, and the township counters.
import { sql, type Transaction } from 'kysely'
import { addCalendarDays, addMonths } from '../../core/index.js'
import type { Database } from '../schema.js'
import { countersOf } from './counters.js'
import { loadTenantPatches } from './tenant-patches.js'

export async function bulletinInputs(trx: Transaction<Database>, tenantId: number, month: string) {
  const first = `${month}-01`
  const last = addCalendarDays(addMonths(first, 1), -1)
  const between = (expr: string) =>
    trx.selectFrom('patches').select('id').where('tenant_id', '=', tenantId).where(sql.raw(expr), '>=', first).where(sql.raw(expr), '<=', last)
  const ids = await between(`(lifecycle->>'judgedOn')`)
    .union(between(`(proposal->>'reportedOn')`))
    .union(between(`(lifecycle->>'rectifiedOn')`))
    .execute()
  const { townships, patches } = await loadTenantPatches(trx, tenantId, ids.map((r) => r.id))
  const finished = patches.map((p) => ({ snapshot: p.snapshot, townshipCode: p.township?.code ?? '', military: p.row.military }))
  const code = new Map(townships.map((t) => [t.id, t.code]))
  const open = await trx
    .selectFrom('patch_dues')
    .select(['township_id', sql<number>`count(*)::int`.as('n')])
    .where('tenant_id', '=', tenantId)
    .where('due', '<=', last)
    .where('issued_on', '<=', last)
    .where('military', '=', false)
    .groupBy('township_id')
    .execute()
  const openPastDue = new Map(open.filter((r) => r.township_id !== null).map((r) => [code.get(r.township_id!) ?? '', r.n]))
  const counters = (await countersOf(trx, tenantId, { fromMonth: `${month.slice(0, 4)}-01`, toMonth: month, fold: 'months' })).map((c) => ({ ...c, townshipCode: code.get(c.townshipId) ?? '' }))
  return { townships, finished, openPastDue, counters }
}
