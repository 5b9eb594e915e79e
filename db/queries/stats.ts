// The figures of `统计` (and the dashboard's township table): patches by state, the 问责 ratio core
// computes from the judged patches (001_8c1f6dae78f37652.txt:79) against the line of the scope, and
// 总 = 已整改 + 未整改 over the illegal patches, only accepted areas counting as 已整改 (001:71-73).
import { accountabilityItemOf, assessAccountability, remainingAreas, remediedAreas, type AccountabilityItem, type AccountabilityResult, type Policy } from '../../core/index.js'
import type { PatchState } from '../../core/index.js'
import type { Queryable } from '../schema.js'
import { judgedPatches, stateCounts } from './patch-reports.js'

export interface ScopeStats {
  byState: Array<{ state: PatchState; n: number }>
  total: number
  accountability: AccountabilityResult
  line: Policy['accountability']['county']
  /** the illegal patches' areas: total = demolished + permitted (accepted) + left */
  areas: { total: number; demolished: number; permitted: number; left: number }
}

/** A tenant's figures (townshipId undefined: the county's, against the county line). */
export async function scopeStats(db: Queryable, tenantId: number, policy: Policy, townshipId?: number): Promise<ScopeStats> {
  const byState = (await stateCounts(db, tenantId, townshipId)) as ScopeStats['byState']
  const items: AccountabilityItem[] = []
  const areas = { total: 0, demolished: 0, permitted: 0, left: 0 }
  for (const row of await judgedPatches(db, tenantId, townshipId)) {
    const patch = {
      kind: row.kind,
      state: row.state,
      areaMu: row.area_mu,
      farmlandMu: row.farmland_mu,
      judgment: row.judgment ?? undefined,
      rectification: row.rectification ?? undefined,
      flags: row.flags, // the city's verification (001:41) is a flag until its result is recorded
      ...(row.lifecycle.remedied ? { remedied: row.lifecycle.remedied } : {}),
    }
    const item = accountabilityItemOf(patch)
    if (item) items.push(item)
    if (patch.judgment?.kind === 'illegal') {
      const done = remediedAreas(patch)
      areas.total += patch.areaMu
      areas.demolished += done.demolishedMu
      areas.permitted += done.permittedMu
      areas.left += remainingAreas(patch).areaMu
    }
  }
  const level = townshipId === undefined ? 'county' : 'township'
  return {
    byState,
    total: byState.reduce((sum, r) => sum + r.n, 0),
    accountability: assessAccountability(items, level, policy),
    line: policy.accountability[level],
    areas,
  }
}
