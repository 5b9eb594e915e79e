// The figures of `统计` (and the dashboard's township table): patches by state, and the 问责 ratio core
// computes from the judged patches (001_8c1f6dae78f37652.txt:79) against the line of the scope.
import { accountabilityItemOf, assessAccountability, type AccountabilityItem, type AccountabilityResult, type Policy } from '../../core/index.js'
import type { PatchState } from '../../core/index.js'
import type { Queryable } from '../schema.js'
import { judgedPatches, stateCounts } from './patch-reports.js'

export interface ScopeStats {
  byState: Array<{ state: PatchState; n: number }>
  total: number
  accountability: AccountabilityResult
  line: Policy['accountability']['county']
}

/** A tenant's figures (townshipId undefined: the county's, against the county line). */
export async function scopeStats(db: Queryable, tenantId: number, policy: Policy, townshipId?: number): Promise<ScopeStats> {
  const byState = (await stateCounts(db, tenantId, townshipId)) as ScopeStats['byState']
  const items: AccountabilityItem[] = []
  for (const row of await judgedPatches(db, tenantId, townshipId)) {
    const item = accountabilityItemOf({
      kind: row.kind,
      state: row.state,
      farmlandMu: row.farmland_mu,
      judgment: row.judgment ?? undefined,
      rectification: row.rectification ?? undefined,
      flags: row.flags, // the city's verification (001:41) is a flag until its result is recorded
    })
    if (item) items.push(item)
  }
  const level = townshipId === undefined ? 'county' : 'township'
  return {
    byState,
    total: byState.reduce((sum, r) => sum + r.n, 0),
    accountability: assessAccountability(items, level, policy),
    line: policy.accountability[level],
  }
}
