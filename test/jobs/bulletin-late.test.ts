// Issue 10, defect 9: a bulletin whose month passed while the process was down used to be recorded
// `stale` and nobody was told. It is drafted anyway, marked 迟报 with the reason, and the 卫片办 hears.
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDemoCounty } from '../../db/demo/load-demo-county.js'
import type { BulletinContent } from '../../db/payloads.js'
import { createScheduler } from '../../jobs/scheduler.js'
import { FakeClock, OFFICE } from '../support/console-harness.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { china, jobMessages } from './walk.js'

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`a bulletin missed for a whole month (${engine.name})`, () => {
    let t: TestDatabase
    beforeAll(async () => {
      t = await engine.open()
      await loadDemoCounty(t.db, { now: china('2026-02-26', '07:00') })
    })
    afterAll(async () => t?.close())

    it('is drafted on the day the system is back, as 迟报 with the reason, and the office is told', async () => {
      const clock = new FakeClock(china('2026-02-27', '12:00'))
      const s = createScheduler({ db: t.db, now: clock.now })
      await s.tick() // running on 27 February, then down until 2 April
      clock.set(china('2026-04-02', '12:00').toISOString())
      const r = await s.tick()
      // February's bulletin (due on 2 March, publish by 5 March) and March's (due 1 April)
      expect(r.filter((x) => x.job === 'bulletin').map((x) => [x.period, x.outcome])).toEqual([
        ['2026-02', 'ran'],
        ['2026-03', 'ran'],
      ])
      const docs = await t.db.selectFrom('documents').select(['period', 'content', 'file']).where('kind', '=', 'bulletin').orderBy('period').execute()
      const [feb, mar] = docs.map((d) => ({ ...d, bulletin: (d.content as BulletinContent).bulletin }))
      expect(feb!.bulletin.lateReport).toEqual({
        draftedOn: '2026-04-02',
        reason: '本通报应于2026年3月5日前发布，因系统自2026年2月27日起未运行未能按期起草，于2026年4月2日补报',
      })
      expect(feb!.bulletin.paragraphs.at(-1)).toContain('迟报说明：本通报应于2026年3月5日前发布')
      expect(strFromU8(unzipSync(feb!.file!)['word/document.xml']!)).toContain('迟报说明')
      // March's is drafted one day late but can still be published on time: not 迟报
      expect(mar!.bulletin.lateReport).toBeUndefined()

      const office = await jobMessages(t.db, 'bulletin', '2026-02', OFFICE)
      expect(office.map((m) => m.text)).toEqual([
        expect.stringMatching(/^【迟报】《资源县2026年2月自然资源卫片执法工作排名通报》未能按期起草：本通报应于2026年3月5日前发布.*请尽快审批后发布。$/),
      ])
      const leader = await jobMessages(t.db, 'bulletin', '2026-02', 'console:leader')
      expect(leader[0]!.text).toContain('【迟报】请审批：2026年2月排名通报')
      expect((await jobMessages(t.db, 'bulletin', '2026-03', OFFICE))[0]!.text).not.toContain('迟报')
    })
  })
}
