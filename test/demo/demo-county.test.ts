import { booleanWithin } from '@turf/turf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { overlapMu } from '../../core/geometry.js'
import { buildDemoCounty } from '../../db/demo/demo-county-data.js'
import { loadDemoCounty } from '../../db/demo/load-demo-county.js'
import type { Db } from '../../db/open.js'
import { openPglite, type TestDatabase } from '../support/databases.js'

const NOW = new Date('2026-07-15T02:00:00Z')

async function snapshot(db: Db) {
  const patches = await db
    .selectFrom('patches')
    .innerJoin('townships', 'townships.id', 'patches.township_id')
    .select([
      'patches.number', 'patches.kind', 'patches.category', 'townships.code as township', 'patches.area_mu',
      'patches.farmland_mu', 'patches.basic_farmland_mu', 'patches.red_line_mu', 'patches.military', 'patches.geometry',
    ])
    .orderBy('patches.number')
    .execute()
  const townships = await db.selectFrom('townships').select(['code', 'name', 'boundary']).orderBy('code').execute()
  return { patches, townships }
}

describe('demo county 资源县 on PGlite', () => {
  let a: TestDatabase
  let b: TestDatabase
  beforeAll(async () => {
    ;[a, b] = await Promise.all([openPglite(), openPglite()])
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
  })

  it('loads the county, its people, chats, protection layer and one batch', async () => {
    const result = await loadDemoCounty(a.db, { now: NOW })
    expect(result.created).toBe(true)

    const tenant = await a.db.selectFrom('tenants').selectAll().executeTakeFirstOrThrow()
    expect(tenant).toMatchObject({ code: '450329', name: '资源县' })

    const townships = await a.db.selectFrom('townships').select(['code', 'name']).orderBy('code').execute()
    expect(townships).toEqual([
      { code: '450329100', name: '资源镇' },
      { code: '450329101', name: '中峰镇' },
      { code: '450329102', name: '梅溪镇' },
      { code: '450329202', name: '瓜里乡' },
      { code: '450329203', name: '车田苗族乡' },
      { code: '450329204', name: '两水苗族乡' },
      { code: '450329205', name: '河口瑶族乡' },
    ])

    const chats = await a.db.selectFrom('chats').select(['platform', 'platform_chat_id', 'kind', 'township_id']).execute()
    expect(chats).toHaveLength(9)
    expect(chats.every((c) => c.platform === 'console')).toBe(true)
    expect(chats.filter((c) => c.kind === 'township').map((c) => c.platform_chat_id).sort()).toEqual(
      townships.map((t) => `console:township:${t.code}`),
    )
    expect(chats.filter((c) => c.kind === 'township').every((c) => c.township_id !== null)).toBe(true)
    expect(chats.find((c) => c.platform_chat_id === 'console:office')?.kind).toBe('office')
    expect(chats.find((c) => c.platform_chat_id === 'console:leader')?.kind).toBe('leader')

    const people = await a.db.selectFrom('people').select(['platform_user_id', 'name', 'role', 'township_id']).execute()
    const byRole = (role: string) => people.filter((p) => p.role === role)
    expect(byRole('official')).toHaveLength(7)
    expect(byRole('official').every((p) => p.township_id !== null && /^console:official:450329\d{3}$/.test(p.platform_user_id))).toBe(true)
    expect(people.find((p) => p.platform_user_id === 'console:official:450329100')?.name).toMatch(/^资源镇-.干事$/)
    expect(byRole('staff').map((p) => p.platform_user_id).sort()).toEqual(['console:staff:1', 'console:staff:2'])
    expect(byRole('leader').map((p) => p.platform_user_id)).toEqual(['console:leader:1'])
    expect(byRole('admin')).toHaveLength(1)

    const layers = await a.db.selectFrom('protection_areas').select('layer').execute()
    for (const layer of ['farmland', 'basic_farmland', 'red_line']) expect(layers.filter((l) => l.layer === layer).length).toBeGreaterThan(5)

    const batches = await a.db.selectFrom('batches').selectAll().execute()
    expect(batches).toHaveLength(1)
    expect(batches[0]).toMatchObject({ issued_on: '2026-07-13', label: '2026年七月一批', period: '2026-Q3' })

    const patches = await a.db.selectFrom('patches').selectAll().orderBy('number').execute()
    expect(patches.length).toBeGreaterThanOrEqual(55)
    expect(patches.length).toBeLessThanOrEqual(65)
    expect(patches.every((p) => /^JC2026450329\d{3}$/.test(p.number))).toBe(true)
    expect(patches[0]!.number).toBe('JC2026450329001')
    expect(patches.every((p) => p.state === 'issued' && p.issued_on === '2026-07-13' && p.township_id !== null)).toBe(true)
    const categories = new Set(patches.filter((p) => p.kind === 'land').map((p) => p.category))
    for (const c of ['新增非农建设类', '年度内持续变化类', '其他新增建设类', '其他变化类']) expect(categories).toContain(c)
    expect(patches.filter((p) => p.kind === 'mineral')).toHaveLength(6)
    // it came through the real import: one 'imported' event per patch, declared areas read as 亩
    const events = await a.db.selectFrom('patch_events').select(['type', 'seq']).execute()
    expect(events).toHaveLength(patches.length)
    expect(events.every((e) => e.type === 'imported' && e.seq === 1)).toBe(true)
    expect(patches.every((p) => Math.abs(p.declared_area_mu! / p.area_mu - 1) < 0.05)).toBe(true)
    expect(patches.filter((p) => p.military)).toHaveLength(1)
    // key patches (重点图斑): 耕地 ≥ 50 亩, or 永久基本农田 / 红线 ≥ 25 亩
    expect(patches.filter((p) => p.farmland_mu >= 50).length).toBeGreaterThanOrEqual(2)
    expect(patches.filter((p) => p.farmland_mu < 50 && p.basic_farmland_mu >= 25).length).toBeGreaterThanOrEqual(1)
    expect(patches.filter((p) => p.red_line_mu >= 25).length).toBeGreaterThanOrEqual(1)
    expect(patches.filter((p) => p.area_mu < 1).length).toBeGreaterThanOrEqual(4)
    expect(patches.filter((p) => p.farmland_mu === 0 && p.red_line_mu === 0).length).toBeGreaterThanOrEqual(5)
  })

  it('puts every patch and protection polygon inside its township, and townships do not overlap', async () => {
    const { patches, townships } = await snapshot(a.db)
    const boundary = new Map(townships.map((t) => [t.code, t.boundary!]))
    for (const p of patches) expect(booleanWithin(p.geometry!, boundary.get(p.township)!), p.number).toBe(true)
    for (let i = 0; i < townships.length; i++)
      for (let j = i + 1; j < townships.length; j++)
        expect(overlapMu(townships[i]!.boundary!, townships[j]!.boundary!)).toBeLessThan(0.01)
    const areas = await a.db.selectFrom('protection_areas').select('geometry').execute()
    for (const area of areas) expect(townships.some((t) => booleanWithin(area.geometry, t.boundary!))).toBe(true)
  })

  it('is deterministic: a second database gets the same numbers, townships, geometry and areas', async () => {
    await loadDemoCounty(b.db, { now: NOW })
    expect(await snapshot(b.db)).toEqual(await snapshot(a.db))
  })

  it('is idempotent: loading again changes nothing', async () => {
    const count = async () => ({
      tenants: (await a.db.selectFrom('tenants').select('id').execute()).length,
      patches: (await a.db.selectFrom('patches').select('id').execute()).length,
      people: (await a.db.selectFrom('people').select('id').execute()).length,
      areas: (await a.db.selectFrom('protection_areas').select('id').execute()).length,
    })
    const before = await count()
    const again = await loadDemoCounty(a.db, { now: NOW })
    expect(again.created).toBe(false)
    expect(await count()).toEqual(before)
  })

  it('dates the batch two days back by China time: 17:00 UTC on 2 July is already 3 July there', () => {
    const county = buildDemoCounty(new Date('2026-07-02T17:00:00Z'))
    expect(county.batch.issuedOn).toBe('2026-07-01')
    expect(county.batch.label).toBe('2026年七月一批')
  })
})
