// Issue 10 ("patches wait for their group"): the office is told at import which townships have no
// group yet; the leaders' digest lists them too, with the patches waiting for each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoCounty } from '../../db/demo/load-demo-county.js'
import { createScheduler } from '../../jobs/scheduler.js'
import { FakeClock } from '../support/console-harness.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { china, jobMessages } from './walk.js'

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`the digest and townships without a group (${engine.name})`, () => {
    let t: TestDatabase
    beforeAll(async () => {
      t = await engine.open()
      await loadDemoCounty(t.db, { now: china('2026-03-02', '07:00') })
    })
    afterAll(async () => t?.close())

    it('lists each township no group is bound to, and how many patches wait for it', async () => {
      const tenant = await t.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()
      const townships = await t.db.selectFrom('townships').select(['id', 'name', 'code']).where('tenant_id', '=', tenant.id).orderBy('code').execute()
      const [first, second] = townships
      // two townships lose their group; the first has patches waiting (issued, not yet pushed)
      await t.db.deleteFrom('chats').where('kind', '=', 'township').where('township_id', 'in', [first!.id, second!.id]).execute()
      const waiting = await t.db.selectFrom('patches').select('id').where('township_id', '=', first!.id).where('state', '=', 'issued').where('military', '=', false).execute()
      await t.db.updateTable('patches').set({ state: 'dispatched' }).where('township_id', '=', second!.id).where('state', '=', 'issued').execute()
      expect(waiting.length).toBeGreaterThan(0)

      const clock = new FakeClock(china('2026-03-02', '08:05'))
      await createScheduler({ db: t.db, now: clock.now }).tick()
      const [digest] = await jobMessages(t.db, 'digest', '2026-03-02', 'console:leader')
      expect(digest!.text).toContain(`尚未绑定乡镇群：${first!.name}（${waiting.length}个图斑待推送）、${second!.name}。`)
      for (const other of townships.slice(2)) expect(digest!.text).not.toContain(`、${other.name}。`)
    })
  })
}
