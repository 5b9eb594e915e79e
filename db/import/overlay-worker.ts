// One overlay thread: reads the shared index and protection polygons (packed-areas.ts), then answers
// batches of patch geometries with three figures each (耕地, 永久基本农田, 生态保护红线, in 亩).
import { parentPort, workerData } from 'node:worker_threads'
import type { MultiPolygon, Polygon } from 'geojson'
import { ProtectionIndex } from '../../core/overlay.js'
import { packedSource, type PackedAreas } from './packed-areas.js'

const index = new ProtectionIndex(packedSource(workerData as PackedAreas))
const port = parentPort!

port.on('message', (job: { id: number; geometries: (Polygon | MultiPolygon | null)[] }) => {
  const out = new Float64Array(job.geometries.length * 3)
  job.geometries.forEach((g, i) => {
    if (!g) return
    const o = index.overlapByLayer(g)
    out[i * 3] = o.farmland
    out[i * 3 + 1] = o.basic_farmland
    out[i * 3 + 2] = o.red_line
  })
  port.postMessage({ id: job.id, out }, [out.buffer])
})
port.postMessage({ ready: true })
