// One scene for the map tests: a patch on 耕地 and 永久基本农田 near 资源镇's west line.
import type { PatchMapInput } from '../../render/patch-map.js'
import { square } from './zi-yuan.js'

/** A patch of ~100 m on 耕地 and 永久基本农田, a neighbour, the township's west line in view, 红线 far off. */
export function scene(): PatchMapInput {
  return {
    patch: { number: 'JC2026450329001', geometry: square(110.6, 26.0, 0.001), areaMu: 16.65 },
    township: { name: '资源镇', boundary: square(110.599, 25.95, 0.05) },
    layers: [
      { kind: 'farmland', geometry: square(110.599, 25.999, 0.003) },
      { kind: 'basic_farmland', geometry: square(110.5995, 25.9995, 0.002) },
      { kind: 'red_line', geometry: square(110.7, 26.1, 0.01) },
    ],
    areas: { farmland: 16.65, basic_farmland: 16.65, red_line: 0 },
    neighbours: [
      { number: 'JC2026450329002', geometry: square(110.6015, 26.0, 0.0005) },
      { number: 'JC2026450329099', geometry: square(110.65, 26.05, 0.001) },
    ],
    place: '坐落：白竹村',
  }
}

