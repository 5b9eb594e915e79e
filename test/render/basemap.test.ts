// The optional basemap, against a local XYZ tile server: tiles under the layers, cached, and a
// server that does not answer in time leaves the vector layers alone.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBasemap } from '../../render/basemap.js'
import { tilesFor } from '../../render/map-frame.js'
import { mapFrameOf, renderPatchMap, patchMapSvg, svgToPng } from '../../render/patch-map.js'
import { decodePng } from '../support/png.js'
import { scene } from '../support/map-scene.js'

const BLUE = svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256"><rect width="256" height="256" fill="#1565c0"/></svg>')

describe('an XYZ basemap from a local tile server', () => {
  let server: Server
  let base = ''
  const requests: string[] = []
  const held: Array<() => void> = []
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url!)
      if (req.url!.startsWith('/slow/')) {
        held.push(() => res.end()) // answered only when the test closes: the client must time out
        return
      }
      if (req.url!.startsWith('/html/')) return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>key invalid</html>')
      res.writeHead(200, { 'content-type': 'image/png' }).end(BLUE)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    held.forEach((f) => f())
    await new Promise((r) => server.close(r))
  })

  it('asks for the tiles covering the frame, puts them under the layers, and keeps them', async () => {
    const input = scene()
    const frame = mapFrameOf(input)
    const { z, tiles } = tilesFor(frame)
    const basemap = createBasemap({ url: `${base}/t/{z}/{x}/{y}.png`, attribution: '底图：测试瓦片' })
    input.basemap = await basemap.tilesFor(frame)
    expect(input.basemap?.tiles).toHaveLength(tiles.length)
    expect(requests.filter((r) => r.startsWith(`/t/${z}/`))).toHaveLength(tiles.length)
    const svg = patchMapSvg(input)
    expect(svg.indexOf('<g id="basemap">')).toBeLessThan(svg.indexOf('data-layer="farmland"'))
    expect(svg).toContain('data-label="底图：测试瓦片"')
    // where no layer is drawn the basemap shows: blue
    const [r, g, b] = decodePng(renderPatchMap(input)).at(3, 3)
    expect(b).toBeGreaterThan(150)
    expect(r).toBeLessThan(60)
    expect(g).toBeLessThan(130)
    // a second map of the same place asks nothing again
    const before = requests.length
    await basemap.tilesFor(frame)
    expect(requests.length).toBe(before)
  })

  it('fills {s} from the subdomains and takes the tiles a frame of another zoom needs', async () => {
    const input = scene()
    input.patch.geometry = { type: 'Polygon', coordinates: [[[110.6, 26.0], [110.61, 26.0], [110.61, 26.01], [110.6, 26.01], [110.6, 26.0]]] }
    const basemap = createBasemap({ url: `${base}/s{s}/{z}/{x}/{y}`, attribution: 'x', subdomains: ['a', 'b'] })
    const got = await basemap.tilesFor(mapFrameOf(input))
    expect(got?.tiles.length).toBeGreaterThan(0)
    expect(requests.some((r) => r.startsWith('/sa/')) || requests.some((r) => r.startsWith('/sb/'))).toBe(true)
  })

  it('gives up on a tile server that does not answer in time, and does not ask it again for a while', async () => {
    let clock = 0
    const basemap = createBasemap({ url: `${base}/slow/{z}/{x}/{y}`, attribution: 'x', timeoutMs: 100 }, { now: () => clock })
    const frame = mapFrameOf(scene())
    expect(await basemap.tilesFor(frame)).toBeNull()
    const asked = requests.filter((r) => r.startsWith('/slow/')).length
    expect(asked).toBeGreaterThan(0)
    clock += 60_000
    expect(await basemap.tilesFor(frame)).toBeNull()
    expect(requests.filter((r) => r.startsWith('/slow/')).length).toBe(asked)
    // the vector map is drawn all the same
    const input = { ...scene(), basemap: null }
    expect(patchMapSvg(input)).not.toContain('id="basemap"')
  })

  it('leaves out what is not a PNG or JPEG (a key refused answers with a page)', async () => {
    const basemap = createBasemap({ url: `${base}/html/{z}/{x}/{y}`, attribution: 'x' })
    expect(await basemap.tilesFor(mapFrameOf(scene()))).toBeNull()
  })
})
