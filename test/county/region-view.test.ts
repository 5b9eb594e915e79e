import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main, type CliIo } from '../../app/cli.js'
import { json } from '../../db/json.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { messageEvent, type MessageSpec } from '../support/feishu-events.js'
import { feishuHarness } from '../support/feishu-harness.js'
import type { FakeMessage } from '../support/feishu-open-api.js'

// A city (桂林市 4503) over two of its counties: a level-admin from `admin invite --level city`,
// `绑定 市级` in its leaders' group, the roll-up (统计, 统计 县名, 逾期, the working-day job), and a
// city that reads and acts on no county's patch.
const CITY_ADMIN = 'ou_city_admin'
const CITY = 'oc_guilin_leaders'
const COUNTY_STAFF = 'ou_ziyuan_staff'
const textOf = (m: FakeMessage) => (m.msgType === 'text' ? String(m.content.text) : JSON.stringify(m.content))

const ILLEGAL = { kind: 'illegal', violationType: '新增建设用地违法', landUse: 'new_construction' }
const LEGAL = { kind: 'legal', approvalNo: '桂政土批〔2022〕15号' }

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`a city's view (${engine.name})`, () => {
    let t: TestDatabase
    let h: Awaited<ReturnType<typeof feishuHarness>>
    const out: string[] = []
    beforeAll(async () => {
      t = await engine.open()
      h = await feishuHarness(t.db, { way: 'webhook', demo: false, start: '2026-11-03T01:00:00Z' })
    })
    afterAll(async () => {
      await h?.close()
      await t?.close()
    })
    const io: Partial<CliIo> = { openDb: async () => t.db, release: async () => {}, now: () => h.time.date(), out: (l) => void out.push(l), err: (l) => void out.push(l), env: {} }
    async function cli(...argv: string[]) {
      out.length = 0
      const code = await main(argv, io)
      return { code, text: out.join('\n') }
    }
    async function say(spec: Omit<MessageSpec, 'at'>): Promise<string> {
      const messageId = h.api.userMessage(spec.chatId)
      await h.deliver(messageEvent({ ...spec, messageId, at: h.time.date() }))
      await h.settle()
      return textOf(h.api.sentTo(spec.chatId).pop()!)
    }
    /** judged patches of a county: `illegal` 亩 of illegal new construction out of `total` 亩 */
    async function patches(code: string, illegal: number, total: number, overdue: number) {
      const tenant = await t.db.selectFrom('tenants').select('id').where('code', '=', code).executeTakeFirstOrThrow()
      const town = await t.db.selectFrom('townships').select('id').where('tenant_id', '=', tenant.id).orderBy('code').executeTakeFirstOrThrow()
      const row = (n: number, judgment: object, mu: number, due: Record<string, string>) => ({
        tenant_id: tenant.id, number: `JC2026${code}${String(n).padStart(3, '0')}`, kind: 'land' as const, category: '新增非农建设类', township_id: town.id,
        area_mu: mu, farmland_mu: mu, attributes: json({}), state: 'rectifying' as const, judgment: json(judgment as never), flags: json<string[]>([]),
        due: json(due), issued_on: '2026-07-01', lifecycle: json({ judgedOn: '2026-08-01' }),
      })
      await t.db.insertInto('patches').values([
        row(1, ILLEGAL, illegal, { rectify_unplanned: overdue ? '2026-10-01' : '2026-12-30' }),
        row(2, LEGAL, total - illegal, {}),
        ...Array.from({ length: Math.max(0, overdue - 1) }, (_, i) => row(3 + i, ILLEGAL, 0, { rectify_unplanned: '2026-10-02' })),
      ]).execute()
    }

    it('a level admin claims, binds 市级, and reads the roll-up of its counties', async () => {
      expect((await cli('county', 'add', '450329')).code).toBe(0)
      expect((await cli('county', 'add', '450330')).code).toBe(0)
      await patches('450329', 120, 600, 2) // 20 %: at the county line (001:79)
      await patches('450330', 50, 1000, 0) // 5 %: under it
      expect(await cli('admin', 'invite', '--level', 'city', '--code', '45')).toMatchObject({ code: 1, text: expect.stringContaining('4 位数字') })
      const invite = await cli('admin', 'invite', '--level', 'city', '--code', '4503')
      expect(invite.code).toBe(0)
      const code = /认领码：(\S+)/.exec(invite.text)![1]!
      expect(await say({ chatId: CITY, senderId: CITY_ADMIN, text: `认领 ${code}` })).toContain('桂林市（市级）')
      expect(await say({ chatId: CITY, senderId: CITY_ADMIN, text: '绑定 资源镇' })).toContain('绑定 市级')
      expect(await say({ chatId: CITY, senderId: CITY_ADMIN, text: '绑定 市级' })).toContain('已绑定：本群为桂林市领导群（市级）')

      const rollup = await say({ chatId: CITY, senderId: CITY_ADMIN, text: '统计' })
      expect(rollup).toContain('桂林市（市级，2个县）2026年')
      expect(rollup).toContain('⚠ 已达到问责线：资源县 120亩 20.0%')
      expect(rollup).toContain('最接近问责线：平乐县 50亩 5.0%')
      expect(rollup).toContain('逾期：共2项（资源县2）')
      const one = await say({ chatId: CITY, senderId: CITY_ADMIN, text: '统计 平乐' })
      expect(one).toContain('平乐县：图斑2个')
      expect(one).toContain('违法占用耕地50亩，新增建设占用耕地1000亩，比例5.0%')
      expect(await say({ chatId: CITY, senderId: CITY_ADMIN, text: '统计 阳朔县' })).toContain('所辖各县中没有「阳朔县」')
      expect(await say({ chatId: CITY, senderId: CITY_ADMIN, text: '逾期' })).toContain('逾期共2项：\n资源县 2项')
    })

    it('acts on none of its counties’ patches', async () => {
      for (const text of ['确认 JC2026450329001', 'JC2026450329001 已核查 违法 农村乱占耕地建房', '待审核', '查 JC2026450329001']) {
        expect(await say({ chatId: CITY, senderId: CITY_ADMIN, text })).toContain('市级群只能查看')
      }
      const patch = await t.db.selectFrom('patches').select(['state', 'version']).where('number', '=', 'JC2026450329001').executeTakeFirstOrThrow()
      expect(patch).toEqual({ state: 'rectifying', version: 0 })
    })

    it('a county’s staff cannot bind a city group', async () => {
      const county = await t.db.selectFrom('tenants').select('id').where('code', '=', '450329').executeTakeFirstOrThrow()
      await t.db.insertInto('people').values({ tenant_id: county.id, platform: 'feishu', platform_user_id: COUNTY_STAFF, name: '县干事', role: 'staff', township_id: null }).execute()
      expect(await say({ chatId: 'oc_other_group', senderId: COUNTY_STAFF, text: '绑定 市级' })).toContain('须由市级管理员发送')
    })

    it('the working-day roll-up goes to the city group after the counties’ digests', async () => {
      h.time.advance(23 * 3600_000) // Wednesday 2026-11-04 08:00 China time
      const results = await h.runtime.scheduler.tick(h.time.date(), 'rollup')
      expect(results.map((r) => [r.job, r.outcome])).toEqual([['rollup', 'ran']])
      await h.settle()
      const sent = textOf(h.api.sentTo(CITY).pop()!)
      expect(sent).toContain('【市级简报】桂林市 11月4日 周三，所辖2个县')
      expect(sent).toContain('⚠ 已达到问责线：资源县 120亩 20.0%')
      expect(await h.runtime.scheduler.tick(h.time.date(), 'rollup')).toEqual([]) // once per period
    })
  })
}
