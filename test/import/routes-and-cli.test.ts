import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { main } from '../../app/cli.js'
import { batchRoutes } from '../../app/routes/batches.js'
import { openDatabase } from '../../db/open.js'
import { centroidOf } from '../../core/index.js'
import { csv, featureCollection } from '../support/batch-files.js'
import { openPglite, type TestDatabase } from '../support/databases.js'
import { patchIn, seedZiyuan } from '../support/zi-yuan.js'

const good = featureCollection([{ geometry: patchIn(0), properties: { JCBH: 'R-1-2026001', XZQDM: '450329100', XFSJ: '2026-07-15' } }])
const partly = featureCollection([
  { geometry: patchIn(0, 1), properties: { JCBH: 'R-2-2026001', XZQDM: '450329100' } },
  { geometry: patchIn(0, 2), properties: { XZQDM: '450329100' } },
])

describe('POST /api/batches', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await openPglite()
    await seedZiyuan(t.db)
  })
  afterAll(async () => t?.close())

  const post = (fields: Record<string, string | Blob>, name = 'b.geojson') => {
    const form = new FormData()
    for (const [k, v] of Object.entries(fields)) {
      if (typeof v === 'string') form.append(k, v)
      else form.append(k, v, name)
    }
    const app = batchRoutes({ db: t.db, now: () => new Date('2026-07-20T02:00:00Z') })
    return app.request('/api/batches', { method: 'POST', body: form })
  }

  it('imports a multipart upload and answers with the report', async () => {
    const res = await post({ file: new Blob([good]), tenant: '450329', batch: '七月一批', issued: '2026-07-16' })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({ status: 'ok', counts: { imported: 1 }, batch: { label: '七月一批', issuedOn: '2026-07-16' } })
    expect(body.text).toContain('七月一批')
  })

  it('422 for an unreadable file, 400 for a bad request, 404 for an unknown county', async () => {
    expect((await post({ file: new Blob([new Uint8Array([0x50, 0x4b, 3, 4, 9, 9])]), tenant: '450329' }, 'x.zip')).status).toBe(422)
    expect((await post({ tenant: '450329' })).status).toBe(400)
    expect((await post({ file: new Blob([good]), tenant: '450329', issued: '7月16日' })).status).toBe(400)
    expect((await post({ file: new Blob([good]), tenant: '000000' })).status).toBe(404)
  })

  it('takes areaUnit like the CLI takes --area-unit, and refuses m²-looking values without it', async () => {
    const [lon, lat] = centroidOf(patchIn(3))
    const table = csv([['监测编号', '行政区代码', '监测面积', 'LZB', 'BZB'], ['JC2026000000101', '450329202', 6667, lon, lat], ['JC2026000000102', '450329202', 3334, lon + 0.001, lat]])
    const refused = await post({ file: new Blob([table]), tenant: '450329' }, 'm2.csv')
    expect(refused.status).toBe(422)
    const why = await refused.json()
    expect(why.error).toMatchObject({ code: 'area-unit-unknown', message: expect.stringContaining('像平方米'), fix: expect.stringContaining('areaUnit=m2') })
    expect(why.text).toContain('areaUnit=m2')
    expect(why.text).not.toContain('--area-unit')
    const bad = await post({ file: new Blob([table]), tenant: '450329', areaUnit: '平方米' }, 'm2.csv')
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.message).toContain('areaUnit 应为 mu（亩）、m2（平方米）或 ha（公顷）')
    const taken = await post({ file: new Blob([table]), tenant: '450329', areaUnit: 'm2' }, 'm2.csv')
    expect(taken.status).toBe(200)
    expect(await taken.json()).toMatchObject({ status: 'ok', counts: { imported: 2 }, units: { declaredArea: { unit: 'm2', how: 'option' } } })
    const row = await t.db.selectFrom('patches').select('area_mu').where('number', '=', 'JC2026000000101').executeTakeFirstOrThrow()
    expect(Number(row.area_mu)).toBeCloseTo(10, 2)
  })
})

describe('npm run cli -- import', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weipian-cli-'))
    // stubbed, not process.env replaced: a plain object there would stop TZ changes taking effect for
    // the test files that run after this one in the same worker (isolate: false)
    const dataDir = join(dir, 'data')
    vi.stubEnv('DATA_DIR', dataDir)
    vi.stubEnv('DATABASE_URL', undefined)
    const db = await openDatabase({ kind: 'pglite', dataDir })
    await seedZiyuan(db)
    await db.destroy()
    await writeFile(join(dir, 'good.geojson'), good)
    await writeFile(join(dir, 'partly.geojson'), partly)
    await writeFile(join(dir, 'broken.zip'), new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]))
  })
  afterAll(async () => {
    vi.unstubAllEnvs()
    await rm(dir, { recursive: true, force: true })
  })

  it('exit 0 all good, 2 some rows rejected, 1 unreadable; the report is printed in Chinese', async () => {
    const out: string[] = []
    const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s))
    const err = vi.spyOn(console, 'error').mockImplementation((s: string) => void out.push(s))
    try {
      expect(await main(['import', join(dir, 'good.geojson'), '--tenant', '450329', '--batch', '七月一批'])).toBe(0)
      expect(out.join('\n')).toContain('共 1 个图斑，导入 1 个')
      expect(await main(['import', join(dir, 'good.geojson'), '--tenant', '450329'])).toBe(0)
      expect(out.join('\n')).toContain('本次未做任何更改')
      expect(await main(['import', join(dir, 'partly.geojson'), '--tenant', '450329'])).toBe(2)
      expect(out.join('\n')).toContain('第 2 个要素：缺少图斑编号')
      expect(await main(['import', join(dir, 'broken.zip'), '--tenant', '450329'])).toBe(1)
      expect(out.join('\n')).toContain('压缩包已损坏')
      expect(await main(['import', join(dir, 'good.geojson')])).toBe(1) // no --tenant: usage
      expect(await main(['nonsense'])).toBe(1)
      expect(await main(['import', join(dir, 'good.geojson'), '--tenant', '450329', '--bogus'])).toBe(1)
    } finally {
      log.mockRestore()
      err.mockRestore()
    }
  }, 30_000)
})
