import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoCounty } from '../../db/demo/load-demo-county.js'
import { verifyEventChains } from '../../db/queries/verify-events.js'
import { dispatchIssued } from '../../jobs/dispatch.js'
import { openPglite, type TestDatabase } from '../support/databases.js'

describe('the event log hash chain', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await openPglite()
    const now = new Date('2026-11-03T01:00:00Z')
    await loadDemoCounty(t.db, { now })
    await dispatchIssued(t.db, now, { platforms: ['console'] })
  })
  afterAll(async () => t?.close())

  it('holds for an untouched log', async () => {
    const result = await verifyEventChains(t.db)
    expect(result.breaks).toEqual([])
    expect(result.events).toBeGreaterThanOrEqual(2 * result.patches) // imported + pushed
  })

  it('detects an edited event, a changed actor and a deleted event', async () => {
    const [a, b, c] = await t.db.selectFrom('patches').select(['id', 'number']).orderBy('id').limit(3).execute()
    await sql`update patch_events set actor = 'someone-else' where patch_id = ${c!.id} and seq = 1`.execute(t.db)
    await sql`update patch_events set data = '{"edited": true}'::jsonb where patch_id = ${a!.id} and seq = 2`.execute(t.db)
    await sql`delete from patch_events where patch_id = ${b!.id} and seq = 1`.execute(t.db)
    const { breaks } = await verifyEventChains(t.db)
    expect(breaks).toContainEqual({ patchNumber: a!.number, seq: 2, problem: '记录内容与哈希不符（记录被改动）' })
    expect(breaks.filter((x) => x.patchNumber === b!.number).map((x) => x.problem)).toContain('前一条记录的哈希不符（记录被删除或改动）')
    expect(breaks).toContainEqual({ patchNumber: c!.number, seq: 1, problem: '记录内容与哈希不符（记录被改动）' })
  })
})
