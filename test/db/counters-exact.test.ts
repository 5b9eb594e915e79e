import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  accountabilityItemOf,
  assessAccountability,
  assessWarningTalk,
  counterAccountability,
  counterRectification,
  counterWarningTalk,
  counterRemedyAreas,
  remainingAreas,
  remediedAreas,
  defaultPolicy,
  rectificationCounts,
  selectCounters,
  stateTotals,
  transition,
  VIOLATION_TYPES,
  OTHER_KINDS,
  type Action,
  type Actor,
  type PatchSnapshot,
} from '../../core/index.js'
import { loadDemoCounty } from '../../db/demo/load-demo-county.js'
import { mulberry32 } from '../../db/demo/seeded-random.js'
import { countersOf } from '../../db/queries/counters.js'
import { loadPatch, savePatch, toSnapshot } from '../../db/queries/patches.js'
import { engines, type TestDatabase } from '../support/databases.js'

// The counters the triggers keep (migration 0014) against a full recomputation from every patch's
// snapshot, after a random cycle: chat steps through core, a township merged, areas corrected.
const NO_EVIDENCE = { photos: 0, flaggedPhotos: 0, locations: 0, documents: 0, fieldCheck: false }

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`counters on ${engine.name}`, () => {
    let t: TestDatabase
    let tenantId: number
    beforeAll(async () => {
      t = await engine.open()
      await loadDemoCounty(t.db, { now: new Date('2026-11-02T01:00:00Z') })
      tenantId = (await t.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()).id
    })
    afterAll(async () => t?.close())

    it('equal a full recomputation after a random cycle', async () => {
      const random = mulberry32(17)
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!
      const ids = (await t.db.selectFrom('patches').select('id').where('tenant_id', '=', tenantId).execute()).map((r) => r.id)
      const staff: Actor = { personId: 'staff', role: 'staff' }
      let day = Date.parse('2026-11-03T02:00:00Z')
      let applied = 0
      for (let i = 0; i < 600; i++) {
        const id = pick(ids)
        await t.db.transaction().execute(async (trx) => {
          const loaded = await loadPatch(trx, id, true)
          if (!loaded) return
          const official: Actor = { personId: 'official', role: 'official', townshipCode: loaded.townshipCode }
          const s = loaded.snapshot
          const [action, actor] = randomAction(s, pick, random, staff, official)
          day += 3_600_000 * (1 + Math.floor(random() * 30))
          const result = transition(s, action, actor, defaultPolicy, new Date(day))
          if (!result.ok) return
          applied++
          await savePatch(trx, id, result.patch, result.events, null)
        })
      }
      expect(applied).toBeGreaterThan(100)
      // writers outside the chat: a 撤并 moves patches, an area is corrected, a patch is moved in time
      const towns = await t.db.selectFrom('townships').select('id').where('tenant_id', '=', tenantId).orderBy('code').execute()
      await t.db.updateTable('patches').set({ township_id: towns[1]!.id }).where('township_id', '=', towns[0]!.id).execute()
      await t.db.updateTable('patches').set({ farmland_mu: 12.34567, basic_farmland_mu: 20 }).where('id', 'in', ids.slice(0, 5)).execute()
      await t.db.updateTable('patches').set({ issued_on: '2025-12-30' }).where('id', 'in', ids.slice(5, 9)).execute()
      await t.db.updateTable('patches').set({ township_id: null }).where('id', '=', ids[10]!).execute()

      const rows = await t.db.selectFrom('patches').selectAll().where('tenant_id', '=', tenantId).execute()
      const snapshots = rows.map((r) => ({ row: r, s: toSnapshot(r, '', NO_EVIDENCE) }))
      const counters = await countersOf(t.db, tenantId)
      const states = new Set(snapshots.map((x) => x.s.state))
      expect(states.size).toBeGreaterThan(5) // the cycle went somewhere
      expect(snapshots.some((x) => x.s.remedied)).toBe(true) // a partial rectification was accepted

      for (const scope of [undefined, ...towns.map((x) => x.id), 0]) {
        const mine = snapshots.filter((x) => scope === undefined || (x.row.township_id ?? 0) === scope)
        const picked = selectCounters(counters, scope === undefined ? {} : { townshipId: scope })
        // 统计: patches by state
        const expected = new Map<string, number>()
        for (const x of mine) expected.set(x.s.state, (expected.get(x.s.state) ?? 0) + 1)
        expect(new Map(stateTotals(picked).map((r) => [r.state, r.n]))).toEqual(expected)
        // the ratio, all years and this year's
        for (const year of [undefined, '2026']) {
          const these = mine.filter((x) => !year || x.s.issuedOn.startsWith(year))
          const items = these.map((x) => accountabilityItemOf(x.s)).filter((x) => x !== undefined)
          const level = scope === undefined ? 'county' : 'township'
          expect(counterAccountability(selectCounters(picked, year ? { year } : {}), level)).toEqual(assessAccountability(items, level))
        }
        // 警示约谈 and the bulletin's 整改 figures, civil patches
        const civil = mine.filter((x) => !x.s.military)
        let basic = 0
        let general = 0
        for (const x of civil) {
          const item = accountabilityItemOf(x.s)
          if (item?.judgment === 'illegal' && item.landUse === 'new_construction' && item.remedy === 'none') {
            basic += Math.round(x.s.basicFarmlandMu * 1e4)
            general += Math.max(0, Math.round(x.s.farmlandMu * 1e4) - Math.round(x.s.basicFarmlandMu * 1e4))
          }
        }
        const talk = counterWarningTalk(selectCounters(picked, { civilOnly: true }))
        expect(talk.reasons.join()).toBe(
          assessWarningTalk({ basicFarmlandMu: basic / 1e4, generalFarmlandMu: general / 1e4 }).reasons.join(),
        )
        const illegal = civil.filter((x) => x.s.judgment?.kind === 'illegal')
        // 统计's 总 = 已整改 + 未整改, as main's per-patch sums gave it
        const u = (v: number) => Math.round(v * 1e4)
        const areas = counterRemedyAreas(selectCounters(picked, { civilOnly: true }))
        expect([areas.total, areas.demolished, areas.permitted, areas.left].map(u)).toEqual([
          illegal.reduce((n, x) => n + u(x.s.areaMu), 0),
          illegal.reduce((n, x) => n + u(remediedAreas(x.s).demolishedMu), 0),
          illegal.reduce((n, x) => n + u(remediedAreas(x.s).permittedMu), 0),
          illegal.reduce((n, x) => n + u(remainingAreas(x.s).areaMu), 0),
        ])
        expect(counterRectification(selectCounters(picked, { civilOnly: true }))).toEqual({ due: illegal.length, done: illegal.filter((x) => rectificationCounts(x.s)).length })
      }
      // every open step of every patch, and no other
      const dues = await t.db.selectFrom('patch_dues').select(['patch_id', 'step', 'due', 'township_id', 'military']).where('tenant_id', '=', tenantId).execute()
      const expectedDues = rows.flatMap((r) => Object.entries(r.due).map(([step, due]) => `${r.id}/${step}/${due}/${r.township_id}/${r.military}`))
      expect(dues.map((d) => `${d.patch_id}/${d.step}/${d.due}/${d.township_id}/${d.military}`).sort()).toEqual(expectedDues.sort())
    }, 240_000) // 600 transactions: slow only on a loaded machine
  })
}

function randomAction(s: PatchSnapshot, pick: <T>(xs: readonly T[]) => T, random: () => number, staff: Actor, official: Actor): [Action, Actor] {
  switch (s.state) {
    case 'issued':
      return [{ type: 'push' }, staff]
    case 'dispatched':
      if (random() < 0.3) return [{ type: 'addEvidence', kind: 'photo' }, official]
      if (random() < 0.3) return [{ type: 'addEvidence', kind: 'field_check' }, official]
      return [randomReport(pick, random), official]
    case 'reported':
      return random() < 0.8 ? [{ type: 'confirm' }, staff] : [{ type: 'sendBack', reason: '照片不清' }, staff]
    case 'rectifying':
      if (random() < 0.2) return [{ type: 'addEvidence', kind: 'photo' }, official]
      // a partial rectification now and then (issue 12 point 5): only its accepted areas count
      return [{ type: 'reportRectification', measure: pick(['demolished_restored', 'permits_completed'] as const), docNo: '桂政土批〔2022〕15号', ...(random() < 0.4 ? { areaMu: 0.3, farmlandMu: 0.2 } : {}) }, official]
    case 'rectified':
      if (random() < 0.2) return [{ type: 'rejectRectification', reason: '未复耕' }, staff]
      if (random() < 0.3) return [{ type: 'recordCityVerification', result: pick(['passed', 'failed'] as const), docNo: '市核〔2026〕1号' }, staff]
      return [{ type: 'accept' }, staff]
    default:
      return [{ type: 'recordCityVerification', result: 'passed', docNo: '市核〔2026〕2号' }, staff]
  }
}

function randomReport(pick: <T>(xs: readonly T[]) => T, random: () => number): Action {
  const r = random()
  if (r < 0.5) return { type: 'report', proposal: { kind: 'illegal', violationType: pick(VIOLATION_TYPES) }, fieldCheck: true }
  if (r < 0.75) return { type: 'report', proposal: { kind: 'legal', approvalNo: '桂政土批〔2022〕15号' }, fieldCheck: true }
  return { type: 'report', proposal: { kind: 'other', otherKind: pick(OTHER_KINDS) }, fieldCheck: true }
}
