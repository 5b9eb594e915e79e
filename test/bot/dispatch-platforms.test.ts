// Dispatch sends only into chats of platforms this process runs: a township group bound on Feishu,
// in a process without Feishu, is not "delivered" — the patches wait, issued, and the office is told.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engines, type TestDatabase } from '../support/databases.js'
import { consoleHarness, FakeClock, OFFICE, TOWNSHIP_CHAT } from '../support/console-harness.js'

const ZIYUAN = '450329100' // 资源镇: its group moves to Feishu
const ZHONGFENG = '450329101' // 中峰镇: bound on both the console and Feishu

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`dispatch and the platforms running (${engine.name})`, () => {
    let t: TestDatabase
    let h: Awaited<ReturnType<typeof consoleHarness>>
    const clock = new FakeClock(new Date('2026-11-03T01:00:00Z'))

    beforeAll(async () => {
      t = await engine.open()
      h = await consoleHarness(t.db, clock) // the console only: no Feishu in this process
    })
    afterAll(async () => t?.close())

    const townshipId = async (code: string) => (await t.db.selectFrom('townships').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id
    const patchesOf = async (code: string) =>
      t.db.selectFrom('patches').select(['id', 'state', 'military']).where('township_id', '=', await townshipId(code)).where('military', '=', false).execute()

    it('a patch whose group is bound on a platform not running stays issued, the office is told once; a group on both gets it where it runs', async () => {
      await t.db.updateTable('chats').set({ platform: 'feishu', platform_chat_id: 'oc_ziyuan' }).where('platform_chat_id', '=', TOWNSHIP_CHAT(ZIYUAN)).execute()
      const tenant = await t.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()
      await t.db.insertInto('chats').values({ tenant_id: tenant.id, platform: 'feishu', platform_chat_id: 'oc_zhongfeng', kind: 'township', township_id: await townshipId(ZHONGFENG), name: '中峰镇工作群' }).execute()

      await h.runtime.dispatch()
      await h.runtime.flush()

      const stranded = await patchesOf(ZIYUAN)
      expect(stranded.length).toBeGreaterThan(0)
      expect(new Set(stranded.map((p) => p.state))).toEqual(new Set(['issued']))
      expect(await t.db.selectFrom('outbox').select('id').where('patch_id', 'in', stranded.map((p) => p.id)).execute()).toEqual([])

      const told = async () => (await h.botSaid(OFFICE)).map((e) => e.text ?? '').filter((x) => x.includes('【暂未推送】'))
      expect(await told()).toHaveLength(1)
      expect((await told())[0]).toContain(`资源镇：${stranded.length}个，群在飞书`)
      expect((await told())[0]).toContain('本服务当前启用：')

      // 中峰镇: pushed to its console group, nothing queued for the Feishu chat no one here sends to
      const both = await patchesOf(ZHONGFENG)
      expect(new Set(both.map((p) => p.state))).toEqual(new Set(['dispatched']))
      const rows = await t.db.selectFrom('outbox').select(['platform', 'target']).where('patch_id', 'in', both.map((p) => p.id)).execute()
      expect(new Set(rows.map((r) => `${r.platform}:${r.target}`))).toEqual(new Set([`console:${TOWNSHIP_CHAT(ZHONGFENG)}`]))

      await h.runtime.dispatch() // every tick: told once, not again
      await h.runtime.flush()
      expect(await told()).toHaveLength(1)

      // bound again on a platform that runs here: the patches go out
      await t.db.updateTable('chats').set({ platform: 'console', platform_chat_id: TOWNSHIP_CHAT(ZIYUAN) }).where('platform_chat_id', '=', 'oc_ziyuan').execute()
      expect(await h.runtime.dispatch()).toBe(stranded.length)
      await h.runtime.flush()
      expect(new Set((await patchesOf(ZIYUAN)).map((p) => p.state))).toEqual(new Set(['dispatched']))
    })
  })
}
