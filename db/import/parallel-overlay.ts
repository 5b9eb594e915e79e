// The overlay on every core: the patches of a batch are independent of each other, so threads
// (worker_threads), each with its own index over the same shared polygons, take chunks of patches
// from one queue. Node only (the Cloudflare worker keeps the one-thread ProtectionIndex).
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { MultiPolygon, Polygon } from 'geojson'
import type { LayerOverlap, ProtectionArea } from '../../core/overlay.js'
import { packAreas } from './packed-areas.js'

// policy choice: 250 patches per message — small enough to even out uneven patches across threads,
// large enough that messaging stays a few per cent of the work
const CHUNK = 250

export interface OverlayPool {
  readonly threads: number
  /** overlap of each geometry (null: none) with each protection layer, in 亩, in input order */
  overlap(geometries: readonly (Polygon | MultiPolygon | null)[]): Promise<LayerOverlap[]>
  close(): Promise<void>
}

/**
 * Run from TypeScript sources (tsx, vitest), the thread registers tsx's loader before it imports
 * the worker module (an inherited `--import` loader does not reach a worker's entry on Node 20).
 */
function spawn(url: URL, workerData: unknown): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData })
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}) })`
  return new Worker(boot, { eval: true, workerData })
}

export async function startOverlayPool(areas: readonly ProtectionArea[], threads = availableParallelism()): Promise<OverlayPool> {
  const packed = packAreas(areas)
  const url = new URL(`./overlay-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)
  const workers = await Promise.all(
    Array.from({ length: Math.max(1, threads) }, () => new Promise<Worker>((resolve, reject) => {
      const w = spawn(url, packed)
      w.once('error', reject)
      w.once('message', () => {
        w.off('error', reject)
        resolve(w)
      })
    })),
  )
  return {
    threads: workers.length,
    async overlap(geometries) {
      const out: LayerOverlap[] = new Array(geometries.length)
      let next = 0
      let id = 0
      const runOn = (w: Worker) => new Promise<void>((resolve, reject) => {
        const take = () => {
          if (next >= geometries.length) {
            w.off('message', onMessage)
            w.off('error', reject)
            resolve()
            return
          }
          const start = next
          next += CHUNK
          w.postMessage({ id: id++, start, geometries: geometries.slice(start, start + CHUNK) })
          pending = start
        }
        let pending = 0
        const onMessage = (m: { out: Float64Array }) => {
          for (let i = 0; i < m.out.length / 3; i++) {
            out[pending + i] = { farmland: m.out[i * 3]!, basic_farmland: m.out[i * 3 + 1]!, red_line: m.out[i * 3 + 2]! }
          }
          take()
        }
        w.on('message', onMessage)
        w.on('error', reject)
        take()
      })
      await Promise.all(workers.map(runOn))
      return out
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()))
    },
  }
}

/** importBatch's `overlayAll` on every core: threads for this one batch, stopped after it. */
export async function overlayInParallel(areas: readonly ProtectionArea[], geometries: readonly (Polygon | MultiPolygon | null)[]): Promise<LayerOverlap[]> {
  const pool = await startOverlayPool(areas)
  try {
    return await pool.overlap(geometries)
  } finally {
    await pool.close()
  }
}
