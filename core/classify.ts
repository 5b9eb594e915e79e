// Which patches need the county's one-by-one field check (重点图斑), which 拆除复耕 needs the city's
// verification, which are military land, and where an illegal patch is routed.
import { defaultPolicy } from './policy.js'
import type { DepartmentTrigger, Policy } from './policy.js'

export interface PatchFacts {
  kind: 'land' | 'mineral'
  /** 图斑类型 / 监测类别, e.g. 新增非农建设类, 年度内持续变化类 */
  category?: string
  areaMu: number
  farmlandMu: number
  basicFarmlandMu: number
  redLineMu: number
  /** the judgment, when known; a patch is "疑似违法" until judged legal or other */
  judgment?: 'legal' | 'illegal' | 'other'
  /** 其他用地 kind, when proposed or judged (临时用地, 设施农业用地 …) */
  otherKind?: string
  violationType?: string
  /** reported or planned rectification measure; 拆除复耕 triggers the demolition thresholds */
  measure?: 'demolished_restored' | 'permits_completed' | 'case_filed'
  military?: boolean
  /** where the patch lies, for routing (002_ad387473bb9415ab.txt:46-60) */
  zones?: DepartmentTrigger[]
}

export interface Classification {
  key: boolean
  keyReasons: string[]
  cityVerification: boolean
  military: boolean
  departments: string[]
}

const fmt = (n: number): string => String(Math.round(n * 100) / 100)

export function classifyPatch(facts: PatchFacts, policy: Policy = defaultPolicy): Classification {
  const k = policy.keyPatch
  const reasons: string[] = []
  const suspected = facts.judgment === undefined || facts.judgment === 'illegal'
  const demolition = facts.measure === 'demolished_restored'
  const basicOrRed = Math.max(facts.basicFarmlandMu, facts.redLineMu)

  // 001_8c1f6dae78f37652.txt:35 — policy choice: "永久基本农田或生态保护红线" is either one, not their sum
  if (facts.kind === 'land' && suspected && facts.category !== undefined && k.categories.includes(facts.category)) {
    if (facts.farmlandMu >= k.farmlandMu) reasons.push(`疑似违法占用耕地${fmt(facts.farmlandMu)}亩，达到${k.farmlandMu}亩`)
    if (basicOrRed >= k.basicFarmlandOrRedLineMu) {
      reasons.push(`涉及永久基本农田或生态保护红线${fmt(basicOrRed)}亩，达到${k.basicFarmlandOrRedLineMu}亩`)
    }
  }
  if (facts.kind === 'mineral' && suspected && facts.areaMu >= k.mineralMu) {
    reasons.push(`疑似违法开采${fmt(facts.areaMu)}亩，达到${k.mineralMu}亩`)
  }
  if (demolition) {
    if (basicOrRed >= k.demolitionBasicOrRedLineMu) {
      reasons.push(`拆除复耕涉及永久基本农田或生态保护红线${fmt(basicOrRed)}亩，达到${k.demolitionBasicOrRedLineMu}亩`)
    }
    if (facts.farmlandMu >= k.demolitionFarmlandMu) {
      reasons.push(`拆除复耕涉及耕地${fmt(facts.farmlandMu)}亩，达到${k.demolitionFarmlandMu}亩`)
    }
  }
  // 003_2681e0387a043106.txt:45 — the wider list, when the county follows it
  if (k.wider.enabled) {
    if (facts.basicFarmlandMu > 0) reasons.push('占用永久基本农田')
    if (facts.farmlandMu >= k.wider.farmlandMu) reasons.push(`占用耕地${fmt(facts.farmlandMu)}亩，达到${k.wider.farmlandMu}亩`)
    if (facts.otherKind !== undefined && k.wider.otherKinds.some((o) => sameOtherKind(o, facts.otherKind!))) {
      reasons.push(`报${facts.otherKind}`)
    }
    if (demolition) reasons.push('报拆除')
    if (facts.kind === 'mineral') reasons.push('矿产图斑')
  }

  // 001_8c1f6dae78f37652.txt:41
  const cv = policy.cityVerification
  const cityVerification = demolition && (basicOrRed >= cv.basicOrRedLineMu || facts.farmlandMu >= cv.farmlandMu)

  return {
    key: reasons.length > 0,
    keyReasons: [...new Set(reasons)],
    cityVerification,
    military: facts.military === true,
    departments: facts.judgment === 'illegal' ? routeDepartments(facts, policy) : [],
  }
}

// 设施农用地 (003) and 设施农业用地 (001) are the same thing
function sameOtherKind(a: string, b: string): boolean {
  const norm = (s: string): string => s.replace('设施农用地', '设施农业用地')
  return norm(a) === norm(b)
}

/**
 * Departments an illegal patch goes to: the lead office first, then each department whose
 * responsibility the patch falls in (002_ad387473bb9415ab.txt:46-60).
 */
export function routeDepartments(facts: PatchFacts, policy: Policy = defaultPolicy): string[] {
  const triggers = new Set<DepartmentTrigger>(facts.zones ?? [])
  if (facts.violationType === '农村乱占耕地建房') triggers.add('rural_housing')
  if (facts.redLineMu > 0) triggers.add('ecological_red_line')
  const out = [policy.routing.lead]
  for (const r of policy.routing.rules) if (triggers.has(r.when) && !out.includes(r.department)) out.push(r.department)
  return out
}
