import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importBatch } from '../../db/import/import-batch.js'
import { featureCollection } from '../support/batch-files.js'
import { openPglite, type TestDatabase } from '../support/databases.js'
import { patchIn, seedZiyuan } from '../support/zi-yuan.js'

// The chat finds a patch by its number in any case (findPatchId uses upper(number)): two patches
// whose numbers differ only in case would make 「查 jc…」 pick one of them at random.
describe('patch numbers that differ only in case', () => {
  let t: TestDatabase
  const NOW = new Date('2026-07-20T02:00:00Z')
  beforeAll(async () => {
    t = await openPglite()
    await seedZiyuan(t.db, { code: '450329' })
  })
  afterAll(async () => t?.close())

  it('are repeated numbers within one file', async () => {
    const bytes = featureCollection([
      { geometry: patchIn(0, 0), properties: { JCBH: 'JC2026450329001', XZQMC: '资源镇' } },
      { geometry: patchIn(0, 1), properties: { JCBH: 'jc2026450329001', XZQMC: '资源镇' } },
      { geometry: patchIn(0, 2), properties: { JCBH: 'JC2026450329002', XZQMC: '资源镇' } },
    ])
    const report = await importBatch(t.db, { tenantCode: '450329', fileName: 'a.geojson', bytes, now: NOW })
    expect(report.counts).toMatchObject({ rows: 3, imported: 1, rejected: 2 })
    expect(report.problems.map((p) => p.problem)).toEqual([expect.stringMatching(/重复/), expect.stringMatching(/重复/)])
  })

  it('clash with a number already imported', async () => {
    const bytes = featureCollection([{ geometry: patchIn(0, 3), properties: { JCBH: 'jc2026450329002', XZQMC: '资源镇' } }])
    const report = await importBatch(t.db, { tenantCode: '450329', fileName: 'b.geojson', bytes, now: NOW })
    expect(report.counts).toMatchObject({ rows: 1, imported: 0, rejected: 1 })
    expect(report.problems[0]!.problem).toMatch(/图斑编号已存在/)
    const n = await t.db.selectFrom('patches').select('number').execute()
    expect(n.map((r) => r.number)).toEqual(['JC2026450329002'])
  })
})
