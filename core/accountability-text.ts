// How a 问责 figure reads, the same in 统计 and the digest: the area, the ratio, and where it stands
// against its own line (001_8c1f6dae78f37652.txt:79: 县级100亩且15%, 乡镇5亩且15%).
import { nearAccountability, type AccountabilityResult } from './accountability.js'
import type { Policy } from './policy.js'

const pct = (r: number): string => `${(Math.round(r * 1000) / 10).toFixed(1)}%`
const mu = (n: number): string => `${Math.round(n * 100) / 100}亩`

/** 问责线100亩且15.0% */
export function accountabilityLineText(scope: 'county' | 'township', policy: Policy): string {
  const t = policy.accountability[scope]
  return `${scope === 'county' ? '县级' : '乡镇'}问责线${t.minMu}亩且${pct(t.minRatio)}`
}

/** 6亩 20.0% ⚠达到问责线 — "接近" as the letters read it (letters.nearFactor). */
export function accountabilityFigureText(a: AccountabilityResult, scope: 'county' | 'township', policy: Policy): string {
  const mark = a.triggered
    ? ' ⚠达到问责线'
    : a.illegalMu > 0 && nearAccountability(a, scope, policy.letters.nearFactor, policy)
      ? ' 接近问责线'
      : ''
  return `${mu(a.illegalMu)} ${pct(a.ratio)}${mark}`
}
