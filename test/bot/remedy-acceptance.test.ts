import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPglite, type TestDatabase } from '../support/databases.js'
import { consoleHarness, FakeClock, firstDispatchedPatch, OFFICE, OFFICIAL, STAFF, TOWNSHIP_CHAT } from '../support/console-harness.js'

// Issue 12 point 1 on the console: a reported 拆除复耕 that the city must verify (001_8c1f6dae78f37652.txt:41)
// is not deducted (001_8c1f6dae78f37652.txt:73) until the city's result is recorded and the county accepts it.
describe('市级核验 and 验收 before a 拆除复耕 counts (console, pglite)', () => {
  let t: TestDatabase
  let h: Awaited<ReturnType<typeof consoleHarness>>
  const clock = new FakeClock(new Date('2026-11-03T01:00:00Z'))
  const ZHONGFENG = '450329101'
  let patch: { id: number; number: string }

  beforeAll(async () => {
    t = await openPglite()
    h = await consoleHarness(t.db, clock)
    await h.runtime.dispatch()
    await h.runtime.flush()
    patch = await firstDispatchedPatch(t.db, ZHONGFENG)
    // a 违法 patch of 12亩 耕地 whose 拆除复耕 was reported complete: 001:41 "耕地10亩以上" → city 核验
    await t.db
      .updateTable('patches')
      .set({
        state: 'rectified',
        farmland_mu: 12,
        basic_farmland_mu: 0,
        judgment: { kind: 'illegal', violationType: '新增建设用地违法', landUse: 'new_construction' } as never,
        rectification: { measure: 'demolished_restored', reportedOn: '2026-11-02', missing: [], cityVerificationRequired: true } as never,
        flags: ['city_verification'] as never,
        lifecycle: { judgedOn: '2026-10-20', rectifiedOn: '2026-11-02' } as never,
      })
      .where('id', '=', patch.id)
      .execute()
  })
  afterAll(async () => t?.close())

  async function say(chat: string, sender: string, text: string) {
    clock.advanceMinutes(1)
    const { messageId } = await h.post({ chat, sender, text })
    return (await h.botSaid(chat, messageId)).map((e) => e.text ?? JSON.stringify(e.card)).join('\n')
  }
  const illegalMu = async () => Number(/违法占用耕地([\d.]+)亩/.exec(await say(OFFICE, STAFF, '统计 中峰镇'))![1])

  it('counts the 12亩 while only reported, refuses 验收 until the city has verified, deducts after 验收', async () => {
    const before = await illegalMu()
    expect(before).toBeGreaterThanOrEqual(12)

    expect(await say(OFFICE, STAFF, `查 ${patch.number}`)).toContain('整改：已拆除复耕，待市级核验，暂不计入问责扣减')
    expect(await say(OFFICE, STAFF, `验收 ${patch.number}`)).toMatch(/须向市卫片办提交申请核验.*暂不能验收/)
    expect(await say(TOWNSHIP_CHAT(ZHONGFENG), OFFICIAL(ZHONGFENG), `市级核验 ${patch.number} 通过 桂林土卫片办〔2026〕5号`)).toMatch(/只有县卫片办工作人员可以登记市级核验结果/)

    expect(await say(OFFICE, STAFF, `市级核验 ${patch.number} 通过 桂林土卫片办〔2026〕5号`)).toContain('市级核验通过（桂林土卫片办〔2026〕5号）')
    expect(await illegalMu()).toBe(before) // the city's pass is not yet the county's acceptance

    await say(OFFICE, STAFF, `验收 ${patch.number}`)
    const row = await t.db.selectFrom('patches').select(['state', 'rectification']).where('id', '=', patch.id).executeTakeFirstOrThrow()
    expect(row.state).toBe('closed')
    expect(row.rectification).toMatchObject({ cityVerification: { result: 'passed', docNo: '桂林土卫片办〔2026〕5号' } })
    expect(await illegalMu()).toBeCloseTo(before - 12, 6) // 001:73 deducted from both
  })

  it('a township’s 尚未拆除复耕 and bare 已拆除 are not recorded', async () => {
    const other = await t.db
      .selectFrom('patches')
      .innerJoin('townships', 'townships.id', 'patches.township_id')
      .select(['patches.number'])
      .where('townships.code', '=', ZHONGFENG)
      .where('patches.state', '=', 'dispatched')
      .where('patches.military', '=', false)
      .orderBy('patches.number')
      .executeTakeFirstOrThrow()
    expect(await say(TOWNSHIP_CHAT(ZHONGFENG), OFFICIAL(ZHONGFENG), `${other.number} 尚未拆除复耕`)).toContain('未作为整改结果记录')
    expect(await say(TOWNSHIP_CHAT(ZHONGFENG), OFFICIAL(ZHONGFENG), `${other.number} 已拆除`)).toContain('复耕到位了吗？')
  })
})
