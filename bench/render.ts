// `npm run bench -- render [--runs N]`
// The locator map of one patch with its layers (render/patch-map.ts), as the cards, the dossier and
// the dashboard draw it: the demo county 资源县 in an in-memory PGlite, the patches with the most
// 耕地/永久基本农田 in turn. Figures: reading the map's data (layers, neighbours, township), building
// the SVG, rasterising it to PNG, and all three together; p50 / p95 over N maps. Goal (issue 14):
// all three ≤ 50 ms p95 on the project's machine. The rasterising step's CPU time is printed too:
// wall time on a machine whose cores are shared says little.
import { loadDemoCounty } from '../db/demo/load-demo-county.js'
import { openDatabase } from '../db/open.js'
import { fontStatusLine } from '../render/map-font.js'
import { loadPatchMapInput } from '../render/patch-map-data.js'
import { patchMapSvg, svgToPng } from '../render/patch-map.js'

const WARMUP = 10

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

export function report(name: string, times: number[]): string {
  const s = [...times].sort((a, b) => a - b)
  return `${name.padEnd(24)} p50 ${percentile(s, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(s, 95).toFixed(1).padStart(6)} ms   (${s.length} runs)`
}

export async function run(args: string[]): Promise<void> {
  const runsAt = args.indexOf('--runs')
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 200
  console.log(fontStatusLine())
  const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' })
  try {
    await loadDemoCounty(db, { now: new Date('2026-11-03T01:00:00Z') })
    const patches = await db.selectFrom('patches').select('id').where('geometry', 'is not', null).where('farmland_mu', '>', 0).orderBy('farmland_mu', 'desc').limit(20).execute()
    if (patches.length === 0) throw new Error('演示县没有压占耕地的图斑')
    const load: number[] = [], svg: number[] = [], png: number[] = [], total: number[] = [], cpu: number[] = []
    let layers = 0, bytes = 0
    for (let i = 0; i < runs + WARMUP; i++) {
      const id = patches[i % patches.length]!.id
      const t0 = performance.now()
      const input = (await loadPatchMapInput(db, id))!
      const t1 = performance.now()
      const text = patchMapSvg(input)
      const t2 = performance.now()
      const c0 = process.cpuUsage()
      const out = svgToPng(text)
      const c1 = process.cpuUsage(c0)
      const t3 = performance.now()
      if (i < WARMUP) continue
      load.push(t1 - t0); svg.push(t2 - t1); png.push(t3 - t2); total.push(t3 - t0)
      cpu.push((c1.user + c1.system) / 1000)
      layers += input.layers!.length
      bytes += out.length
    }
    console.log(`地图：${patches.length} 个压占耕地的图斑轮流出图，平均每幅 ${(layers / runs).toFixed(1)} 个图层面、PNG ${(bytes / runs / 1024).toFixed(0)} KB`)
    console.log(report('读取数据（PGlite）', load))
    console.log(report('生成 SVG', svg))
    console.log(report('栅格化为 PNG', png))
    // CPU time of the same step: on a loaded machine (shared cores) closer to what a quiet one takes
    console.log(report('栅格化为 PNG（CPU 时间）', cpu))
    console.log(report('合计（目标 p95 ≤ 50 ms）', total))
  } finally {
    await db.destroy()
  }
}
