// Township of a patch: codes differ between sources and years, so by code, then name, then boundary.
import type { MultiPolygon, Polygon } from 'geojson'
import { largestOverlap, pointInPolygon } from '../../core/geometry.js'

export interface TownshipRef {
  id: number
  code: string
  name: string
  boundary: Polygon | MultiPolygon | null
}

export type MatchedBy = 'code' | 'name' | 'boundary' | 'centroid'
export interface TownshipMatch {
  township: TownshipRef
  by: MatchedBy
}

// ethnic townships: 车田苗族乡, 河口瑶族乡, 某某瑶族苗族乡
const ETHNIC = '(?:苗|瑶|壮|侗|回|彝|土家|蒙古|满|藏|畲|仫佬|毛南|布依|水|白|哈尼|傣|黎|傈僳|佤|拉祜|纳西|景颇|羌|土|达斡尔|鄂温克|鄂伦春|锡伯|朝鲜|哈萨克|柯尔克孜|东乡|撒拉|保安|裕固|京|仡佬|各)族'
const SUFFIX = new RegExp(`(街道办事处|街道|(?:${ETHNIC})*民族乡|(?:${ETHNIC})+乡|乡|镇)$`)

/** '车田苗族乡' → '车田', '资源镇' → '资源', '中峰' → '中峰'. */
export function townshipStem(name: string): string {
  const n = name.replace(/\s/g, '')
  const stem = n.replace(SUFFIX, '')
  return stem === '' ? n : stem
}

/** A 9-digit township code from 9- or 12-digit input (统计用区划代码 has 12); null otherwise. */
export function townshipCodeOf(code: string | null): string | null {
  if (!code) return null
  const digits = code.replace(/\D/g, '')
  if (digits.length === 9) return digits
  if (digits.length === 12 && digits.endsWith('000')) return digits.slice(0, 9)
  return null
}

export class TownshipMatcher {
  private readonly byCode = new Map<string, TownshipRef>()
  private readonly byName = new Map<string, TownshipRef>()
  private readonly byStem = new Map<string, TownshipRef[]>()
  private readonly withBoundary: { id: TownshipRef; geometry: Polygon | MultiPolygon }[]

  constructor(readonly townships: readonly TownshipRef[]) {
    for (const t of townships) {
      this.byCode.set(t.code, t)
      this.byName.set(t.name.replace(/\s/g, ''), t)
      const stem = townshipStem(t.name)
      this.byStem.set(stem, [...(this.byStem.get(stem) ?? []), t])
    }
    this.withBoundary = townships.filter((t) => t.boundary).map((t) => ({ id: t, geometry: t.boundary! }))
  }

  match(input: { code: string | null; name: string | null; geometry: Polygon | MultiPolygon | null; centroid: [number, number] | null }): TownshipMatch | null {
    const code = townshipCodeOf(input.code)
    const byCode = code ? this.byCode.get(code) : undefined
    if (byCode) return { township: byCode, by: 'code' }
    const byName = input.name ? this.matchName(input.name) : null
    if (byName) return { township: byName, by: 'name' }
    if (input.geometry) {
      const t = largestOverlap(input.geometry, this.withBoundary)
      if (t) return { township: t, by: 'boundary' }
    }
    if (input.centroid) {
      const t = this.withBoundary.find((c) => pointInPolygon(input.centroid!, c.geometry))
      if (t) return { township: t.id, by: 'centroid' }
    }
    return null
  }

  private matchName(raw: string): TownshipRef | null {
    const name = raw.replace(/\s/g, '')
    const exact = this.byName.get(name)
    if (exact) return exact
    const stem = this.byStem.get(townshipStem(name))
    if (stem?.length === 1) return stem[0]
    // '资源县中峰镇' / '广西壮族自治区桂林市资源县中峰镇': a full administrative path ending in the township
    const tail = this.townships.filter((t) => name.endsWith(t.name.replace(/\s/g, '')))
    if (tail.length === 1) return tail[0]
    // '资源县两水乡': the prefix up to the county, then the stem
    const local = /^.*(?:省|自治区|市|县|旗)(.+)$/.exec(name)?.[1]
    const localStem = local ? this.byStem.get(townshipStem(local)) : undefined
    if (localStem?.length === 1) return localStem[0]
    return null
  }
}
