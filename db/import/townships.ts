// Township of a patch: codes differ between sources and years, so by code, then name, then boundary.
import type { MultiPolygon, Polygon } from 'geojson'
import { largestOverlap, pointInPolygon } from '../../core/geometry.js'
import { matchTownship } from '../../core/township-match.js'

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

export { townshipCodeOf, townshipStem } from '../../core/township-match.js'

export class TownshipMatcher {
  private readonly withBoundary: { id: TownshipRef; geometry: Polygon | MultiPolygon }[]

  constructor(readonly townships: readonly TownshipRef[]) {
    this.withBoundary = townships.filter((t) => t.boundary).map((t) => ({ id: t, geometry: t.boundary! }))
  }

  match(input: { code: string | null; name: string | null; geometry: Polygon | MultiPolygon | null; centroid: [number, number] | null }): TownshipMatch | null {
    const byCode = input.code ? matchTownship(input.code, this.townships) : undefined
    if (byCode?.ok && byCode.by === 'code') return { township: byCode.township, by: 'code' }
    // a file's name is written out: a prefix is what a person types, not evidence of a township
    const byName = input.name ? matchTownship(input.name, this.townships) : undefined
    if (byName?.ok && byName.by !== 'prefix') return { township: byName.township, by: 'name' }
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
}
