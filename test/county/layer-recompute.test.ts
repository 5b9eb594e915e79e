// A layer imported again is a new version and patches keep the figures they were computed with;
// `layer recompute` recomputes them on request (patches not yet judged), with a line per patch.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main, type CliIo } from '../../app/cli.js'
import { areaMu } from '../../core/geometry.js'
import { appendEvent } from '../../db/events.js'
import { featureCollection } from '../support/batch-files.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { patchIn, seedZiyuan } from '../support/zi-yuan.js'

const NOW = new Date('2026-08-03T02:00:00Z')
const TENANT = '450329'
const number = (i: number) => `JC2026450329${String(i).padStart(6, '0')}`

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`layer recompute (${engine.name})`, () => {
    let t: TestDatabase
    let dir: string
    const out: string[] = []
    beforeAll(async () => {
      t = await engine.open()
      await seedZiyuan(t.db)
      await seedZiyuan(t.db, { code: '450330', townships: ['450329100'] }) // a county with no layers
      dir = await mkdtemp(join(tmpdir(), 'weipian-recompute-'))
    })
    afterAll(async () => {
      await t?.close()
      if (dir) await rm(dir, { recursive: true, force: true })
    })

    const io: Partial<CliIo> = { openDb: async () => t.db, release: async () => {}, now: () => NOW, out: (l) => void out.push(l), err: (l) => void out.push(l), env: {} }
    async function cli(...argv: string[]) {
      out.length = 0
      const code = await main(argv, io)
      const text = out.join('\n')
      expect(text).not.toMatch(/\n\s+at |Error:/) // a message, never a stack trace
      return { code, text }
    }
    async function file(name: string, body: string | Uint8Array) {
      await writeFile(join(dir, name), body)
      return join(dir, name)
    }
    const farmlandOf = async (n: number) => (await t.db.selectFrom('patches').select('farmland_mu').where('number', '=', number(n)).executeTakeFirstOrThrow()).farmland_mu
    const full = areaMu(patchIn(0)) // one patch square, ≈ 16.7 亩

    it('a new layer version leaves the figures; recompute --batch changes that batch’s unjudged patches, line by line, as events', async () => {
      // 耕地 v1 under patch 1 only
      expect((await cli('layer', 'import', await file('耕地1.geojson', featureCollection([{ geometry: patchIn(0, 0), properties: {} }])), '--tenant', TENANT, '--kind', '耕地')).code).toBe(0)
      const july = featureCollection([1, 2, 3].map((i) => ({ geometry: patchIn(0, i - 1), properties: { 监测编号: number(i), 行政区代码: '450329100' } })))
      expect((await cli('import', await file('july.geojson', july), '--tenant', TENANT, '--batch', '七月一批')).code).toBe(0)
      const august = featureCollection([{ geometry: patchIn(1, 0), properties: { 监测编号: number(4), 行政区代码: '450329101' } }])
      expect((await cli('import', await file('august.geojson', august), '--tenant', TENANT, '--batch', '八月一批')).code).toBe(0)
      expect(await farmlandOf(1)).toBeCloseTo(full, 6)
      expect(await farmlandOf(2)).toBe(0)
      // patch 3 has been judged: its figures are those its judgment used
      // (its state and the event that produced it, so that verify still finds the chain whole)
      const judgedPatch = await t.db.updateTable('patches').set({ state: 'judged' }).where('number', '=', number(3)).returning('id').executeTakeFirstOrThrow()
      await appendEvent(t.db, { patchId: judgedPatch.id, type: 'judged', at: new Date('2026-07-20T02:00:00Z'), actor: 'test', data: {} })

      // 耕地 v2 under patches 2, 3 and 4 instead
      const v2 = featureCollection([patchIn(0, 1), patchIn(0, 2), patchIn(1, 0)].map((geometry) => ({ geometry, properties: {} })))
      const replaced = await cli('layer', 'import', await file('耕地2.geojson', v2), '--tenant', TENANT, '--kind', '耕地')
      expect(replaced.text).toContain('已导入的图斑保留原有的叠加面积')
      expect(await farmlandOf(1)).toBeCloseTo(full, 6)
      expect(await farmlandOf(2)).toBe(0)

      const r = await cli('layer', 'recompute', '--tenant', TENANT, '--batch', '七月一批')
      expect(r.code).toBe(0)
      expect(r.text).toContain('批次“七月一批” 3 个图斑：重算后变化 2 个，不变 0 个，已判定保留原面积 1 个')
      expect(r.text).toContain('所用图层：耕地第 2 版，永久基本农田（未导入，按 0 计）')
      const mu = Math.round(full * 100) / 100
      expect(r.text).toContain(`${number(1)}：耕地 ${mu} → 0 亩`)
      expect(r.text).toContain(`${number(2)}：耕地 0 → ${mu} 亩`)
      expect(r.text).toContain(`${number(3)}：已判定，保留原面积`)
      expect(r.text).not.toContain(number(4))
      expect(await farmlandOf(1)).toBe(0)
      expect(await farmlandOf(2)).toBeCloseTo(full, 6)
      expect(await farmlandOf(3)).toBe(0)
      expect(await farmlandOf(4)).toBe(0) // another batch

      const events = await t.db.selectFrom('patch_events').innerJoin('patches', 'patches.id', 'patch_events.patch_id')
        .select(['patches.number', 'patch_events.data']).where('patch_events.type', '=', 'overlay_recomputed').orderBy('patches.number').execute()
      expect(events.map((e) => e.number)).toEqual([number(1), number(2)])
      expect(events[0]!.data).toMatchObject({ before: { farmland: expect.closeTo(full, 6) }, after: { farmland: 0 }, layerVersions: { farmland: 2, basic_farmland: null } })
      expect((await cli('verify')).code).toBe(0) // the chain still holds

      // again: nothing left to change
      expect((await cli('layer', 'recompute', '--tenant', TENANT, '--batch', '七月一批')).text).toContain('变化 0 个，不变 2 个')
      // the whole county: patch 4 now
      const all = await cli('layer', 'recompute', '--tenant', TENANT, '--json')
      const report = JSON.parse(all.text)
      expect(report.counts).toMatchObject({ patches: 4, changed: 1, unchanged: 2, 'kept-judged': 1 })
      expect(report.rows.find((x: { number: string }) => x.number === number(4))).toMatchObject({ outcome: 'changed', after: { farmland: expect.closeTo(full, 6) } })
    })

    it('bad input: a message with a fix, never a stack trace', async () => {
      const batch = await cli('layer', 'recompute', '--tenant', TENANT, '--batch', '九月一批')
      expect(batch).toMatchObject({ code: 1, text: expect.stringContaining('没有名为“九月一批”的批次') })
      expect(batch.text).toContain('七月一批、八月一批')
      expect(await cli('layer', 'recompute', '--tenant', '000000')).toMatchObject({ code: 1, text: expect.stringContaining('没有代码为 000000 的县') })
      expect(await cli('layer', 'recompute', '--tenant', '450330')).toMatchObject({ code: 1, text: expect.stringContaining('layer import') })
      expect(await cli('layer', 'recompute')).toMatchObject({ code: 1, text: expect.stringContaining('缺少 --tenant') })
      expect(await cli('layer', 'redo', '--tenant', TENANT)).toMatchObject({ code: 1, text: expect.stringContaining('layer recompute --tenant CODE') })
    })
  })
}
