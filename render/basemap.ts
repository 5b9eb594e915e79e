// An optional basemap under the vector layers: XYZ tiles from a configured URL (e.g. 天地图's
// img_w / vec_w with the county's key), fetched with a timeout and kept in memory. A tile that does
// not come in time is left out; when none comes, the map is the vector layers alone.
// The tiles must be in CGCS2000/WGS84 Web Mercator (天地图 "_w"): GCJ-02 tiles (高德, 腾讯) sit
// hundreds of metres off the patch.
import { tilesFor, type Frame } from './map-frame.js'
import type { PlacedTile } from './patch-map.js'

export interface BasemapConfig {
  /** e.g. https://t{s}.tianditu.gov.cn/img_w/wmts?…&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY */
  url: string
  attribution: string
  /** {s} takes one of these, by tile (天地图: 0…7) */
  subdomains?: string[]
  timeoutMs?: number
}

export interface Basemap {
  tilesFor(frame: Frame): Promise<{ tiles: PlacedTile[]; attribution: string } | null>
}

type Fetch = (url: string, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<Response>

export interface BasemapOptions {
  fetch?: Fetch
  /** for the failure memory: a tile server that failed is not asked again for a while */
  now?: () => number
  maxTiles?: number
}

// policy choice: 3 s per tile (a card waits for its map), a failed tile retried after 5 minutes,
// 2000 tiles (~30 MB) kept
const DEFAULT_TIMEOUT_MS = 3000
const RETRY_FAILED_MS = 5 * 60_000
const MAX_TILES = 2000

export function createBasemap(config: BasemapConfig, options: BasemapOptions = {}): Basemap {
  const get: Fetch = options.fetch ?? ((url, init) => fetch(url, init))
  const now = options.now ?? Date.now
  const max = options.maxTiles ?? MAX_TILES
  const cache = new Map<string, Promise<PlacedTileBytes | null>>()
  const failedAt = new Map<string, number>()

  function tileUrl(z: number, x: number, y: number): string {
    const subs = config.subdomains?.length ? config.subdomains : ['']
    const s = subs[(x + y) % subs.length]!
    return config.url.replaceAll('{z}', String(z)).replaceAll('{x}', String(x)).replaceAll('{y}', String(y)).replaceAll('{s}', s)
  }

  function load(url: string): Promise<PlacedTileBytes | null> {
    const hit = cache.get(url)
    if (hit) {
      cache.delete(url) // most recently used last
      cache.set(url, hit)
      return hit
    }
    const failed = failedAt.get(url)
    if (failed !== undefined && now() - failed < RETRY_FAILED_MS) return Promise.resolve(null)
    const p = (async () => {
      const res = await get(url, { signal: AbortSignal.timeout(config.timeoutMs ?? DEFAULT_TIMEOUT_MS), headers: { 'user-agent': 'weipian-bot' } })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      const bytes = new Uint8Array(await res.arrayBuffer())
      const mime = imageMime(bytes)
      if (!mime) throw new Error('not a PNG or JPEG tile')
      return { bytes, mime }
    })().catch(() => {
      cache.delete(url)
      failedAt.set(url, now())
      return null
    })
    cache.set(url, p)
    if (cache.size > max) cache.delete(cache.keys().next().value!)
    return p
  }

  return {
    async tilesFor(frame) {
      const { z, tiles } = tilesFor(frame)
      const got = await Promise.all(tiles.map(async (t) => {
        const b = await load(tileUrl(z, t.x, t.y))
        return b ? { left: t.left, top: t.top, size: t.size, ...b } : null
      }))
      const placed = got.filter((t): t is PlacedTile => t !== null)
      return placed.length ? { tiles: placed, attribution: config.attribution } : null
    },
  }
}

interface PlacedTileBytes {
  bytes: Uint8Array
  mime: string
}

function imageMime(b: Uint8Array): string | undefined {
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png'
  if (b[0] === 0xff && b[1] === 0xd8) return 'image/jpeg'
  return undefined
}
