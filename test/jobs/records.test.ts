import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../app/cli.js'
import { classifyPatch, issueFacts, resolvePolicy, xingyangOverrides, yiyuanOverrides } from '../../core/index.js'
import { importLayer } from '../../db/import/layer-import.js'
import { loadPatch } from '../../db/queries/patches.js'
import { consoleHarness, FakeClock, OFFICE, STAFF, TOWNSHIP_CHAT } from '../support/console-harness.js'
import { openPglite, type TestDatabase } from '../support/databases.js'
import { china, jobMessages } from './walk.js'

const LEADER_CHAT = 'console:leader'
const LEADER = 'console:leader:1'
const ADMIN = 'console:admin:1'
const ZIYUAN = '450329100'

/** Puts a 资源镇 patch in 整改中: 违法 new construction judged on `judgedOn`, 拟拆除复耕 (one month, 001:43). */
async function judgedIllegal(t: TestDatabase, judgedOn: string, farmlandMu = 6) {
  const p = await t.db.selectFrom('patches').innerJoin('townships', 'townships.id', 'patches.township_id')
    .select(['patches.id', 'patches.number']).where('townships.code', '=', ZIYUAN).where('patches.military', '=', false)
    .where('patches.kind', '=', 'land').orderBy('patches.number').executeTakeFirstOrThrow()
  await t.db.updateTable('patches').set({
    state: 'rectifying', farmland_mu: farmlandMu, basic_farmland_mu: 0,
    judgment: { kind: 'illegal', violationType: '新增建设用地违法', landUse: 'new_construction' } as never,
    lifecycle: { judgedOn, plannedMeasure: 'demolished_restored' } as never,
    issued_on: '2026-10-01',
  }).where('id', '=', p.id).execute()
  return p
}

describe('issue 12 points 10-14 across the layers (console, pglite, November 2026)', () => {
  let t: TestDatabase
  let h: Awaited<ReturnType<typeof consoleHarness>>
  const clock = new FakeClock(china('2026-11-02', '07:00'))
  let patch: { id: number; number: string }
  const at = async (date: string, time: string) => {
    clock.set(china(date, time).toISOString())
    await h.runtime.scheduler.tick()
    await h.runtime.flush()
  }
  const say = async (chat: string, sender: string, body: Record<string, unknown>) => {
    clock.advanceMinutes(1)
    const { messageId } = await h.post({ chat, sender, ...body })
    await h.runtime.flush()
    return (await h.botSaid(chat, messageId)).map((e) => e.text ?? JSON.stringify(e.card)).join('\n')
  }

  beforeAll(async () => {
    t = await openPglite()
    h = await consoleHarness(t.db, clock)
    await h.runtime.dispatch()
    // judged 10 October: the 拆除复耕 is due 10 November (001:43 一个月内)
    patch = await judgedIllegal(t, '2026-10-10')
    await at('2026-11-02', '09:05') // the October bulletin is drafted (004:47)
  }, 60_000)
  afterAll(async () => t?.close())

  it('004:47 the bulletin demands the new violation by its own clock, not publish + one month', async () => {
    const doc = await t.db.selectFrom('documents').selectAll().where('kind', '=', 'bulletin').executeTakeFirstOrThrow()
    const b = 'bulletin' in doc.content ? doc.content.bulletin : undefined
    const r = b!.requirements.find((x) => x.townshipCode === ZIYUAN)!
    expect(r.patches).toEqual([{ patchNo: patch.number, demands: [{ label: '拆除复耕（一个月内）', due: '2026-11-10' }], lapsed: [] }])
    expect(r.text).toContain(`${patch.number}：须于2026年11月10日前完成拆除复耕（一个月内）`)
    expect(b!.text).not.toContain('2026年12月5日')
    // the named approver publishes it (issue 12 point 13: the demo names the leader)
    const approved = await say(LEADER_CHAT, LEADER, { action: { name: 'approveDocument', value: { documentId: String(doc.id) } } })
    expect(approved).toContain('已同意')
    expect(approved).not.toContain('公开通报的有关情况') // 003:103 is 荥阳's, not 资源县's (issue 12 point 16)
  })

  it('001:79 统计 shows the year, the county line and each township against its own', async () => {
    const text = await say(OFFICE, STAFF, { text: '统计' })
    expect(text).toMatch(/2026年度全县违法占用耕地6亩/)
    expect(text).toContain('县级问责线100亩且15.0%，未达到')
    expect(text).toContain('各乡镇（乡镇问责线5亩且15.0%）：')
    expect(text).toMatch(/资源镇 6亩 [\d.]+%/)
    const mine = await say(OFFICE, STAFF, { text: '统计 资源镇' })
    expect(mine).toContain('2026年度违法占用耕地6亩')
    expect(mine).toContain('乡镇问责线5亩且15.0%')
  })

  it('001:91 past the bulletin\'s time limit, the leaders are asked to 提请约谈; a recorded 约谈 answers it', async () => {
    await at('2026-11-09', '09:45') // the week's letters: the 10th has not passed yet
    expect((await jobMessages(t.db, 'letters', '2026-W46', LEADER_CHAT)).map((m) => m.text).join()).not.toContain('提请约谈')
    await at('2026-11-16', '09:45')
    const proposal = (await jobMessages(t.db, 'letters', '2026-W47', LEADER_CHAT)).map((m) => m.text).join()
    expect(proposal).toContain('【提请约谈建议】')
    expect(proposal).toContain(`资源镇：通报提醒指出的问题已超过规定时限（1项：${patch.number}拆除复耕（一个月内）应于2026-11-10前完成，已逾期4个工作日）`)
    // a township group never hears it
    expect((await jobMessages(t.db, 'letters', '2026-W47', TOWNSHIP_CHAT(ZIYUAN))).map((m) => m.text).join()).not.toContain('提请约谈')

    // 001:103 the 约谈 held on the 17th is recorded, with the township's 5-working-day report
    clock.set(china('2026-11-17', '10:00').toISOString())
    expect(await say(OFFICE, STAFF, { text: '约谈 资源镇 11月17日' })).toContain('资源镇2026-11-17开展约谈，须于2026-11-24前将约谈情况及通知、方案、讲话稿等材料报县卫片办（5个工作日内）')
    expect(await h.lastBotText(TOWNSHIP_CHAT(ZIYUAN))).toContain('【约谈情况上报】')
    // 001:103 the report deadline is warned like any other (3 working days ahead)
    await at('2026-11-19', '08:35')
    expect((await jobMessages(t.db, 'warnings', '2026-11-19', TOWNSHIP_CHAT(ZIYUAN))).map((m) => m.text).join()).toContain('2026-11-17约谈：约谈情况及通知、方案、讲话稿等材料报县卫片办（5个工作日内）将于3个工作日后到期（2026-11-24）')
    await at('2026-11-23', '09:45')
    expect((await jobMessages(t.db, 'letters', '2026-W48', LEADER_CHAT)).map((m) => m.text).join()).not.toContain('资源镇：通报提醒')
  })

  it('001:103 an overdue report escalates to the office; 约谈已报 closes it', async () => {
    await at('2026-11-25', '08:35')
    const township = (await jobMessages(t.db, 'warnings', '2026-11-25', TOWNSHIP_CHAT(ZIYUAN))).map((m) => m.text).join()
    expect(township).toContain('约谈情况及通知、方案、讲话稿等材料报县卫片办（5个工作日内）已逾期1个工作日')
    expect((await jobMessages(t.db, 'warnings', '2026-11-25', OFFICE)).map((m) => m.text).join()).toContain('约谈情况')
    clock.set(china('2026-11-25', '10:00').toISOString())
    expect(await say(OFFICE, STAFF, { text: '约谈已报 资源镇' })).toContain('已登记：资源镇2026-11-17的约谈情况已上报（应于2026-11-24前，已逾期）')
    await at('2026-11-26', '08:35')
    expect((await jobMessages(t.db, 'warnings', '2026-11-26', TOWNSHIP_CHAT(ZIYUAN))).map((m) => m.text).join()).not.toContain('约谈情况')
    expect(await say(OFFICE, STAFF, { text: '约谈已报 资源镇' })).toContain('没有待上报的约谈情况')
  })

  it('001:41 a 移交 has a department, a date and a year-end return, which the digest tracks', async () => {
    clock.set(china('2026-11-26', '10:00').toISOString())
    expect(await say(TOWNSHIP_CHAT(ZIYUAN), STAFF, { text: `移交 ${patch.number} 县水利局` })).toContain('由县卫片办工作人员在卫片办群或私聊中登记')
    expect(await say(OFFICE, STAFF, { text: `移交 ${patch.number} 县水利局 11月25日` })).toContain(`已登记：图斑 ${patch.number} 于2026-11-25移交县水利局处置，县水利局须于2026-12-31前将处置结果报县卫片办`)
    await at('2026-11-27', '08:05')
    expect((await jobMessages(t.db, 'digest', '2026-11-27', LEADER_CHAT)).map((m) => m.text).join()).toContain('移交部门：1宗，已反馈处置结果0宗，未反馈1宗（须于2026-12-31前反馈）')
    clock.set(china('2026-11-27', '10:00').toISOString())
    expect(await say(OFFICE, STAFF, { text: `移交反馈 ${patch.number} 已拆除河道内建筑` })).toContain('已登记：县水利局反馈图斑')
    await at('2026-11-30', '08:05')
    expect((await jobMessages(t.db, 'digest', '2026-11-30', LEADER_CHAT)).map((m) => m.text).join()).toContain('移交部门：1宗，已反馈处置结果1宗，未反馈0宗')
  })

  it('004:47 the approver is a named person, set by an administrator in the chat or on the command line', async () => {
    clock.set(china('2026-11-30', '10:00').toISOString())
    expect(await say(OFFICE, STAFF, { text: '设置审批人 通报 @卫片办-李工', mentions: [{ id: 'console:staff:2', name: '卫片办-李工' }] })).toContain('只有系统管理员可以设置审批人')
    expect(await say(OFFICE, ADMIN, { text: '设置审批人 通报 @卫片办-李工', mentions: [{ id: 'console:staff:2', name: '卫片办-李工' }] })).toContain('已设置：通报由县卫片办主任（卫片办-李工）审批')
    expect(await say(OFFICE, STAFF, { text: '审批人' })).toContain('通报审批人（县卫片办主任）：卫片办-李工')
    // 重拟 a bulletin: the leader is no longer its approver
    const out: string[] = []
    const io = { openDb: async () => t.db, release: async () => {}, now: clock.now, out: (l: string) => void out.push(l), err: (l: string) => void out.push(l), env: {} }
    expect(await main(['approver', 'set', 'bulletin', '--person', '分管领导-王局长', '--tenant', '450329'], io)).toBe(0)
    expect(out.pop()).toContain('已设置：资源县的通报由 分管领导-王局长 审批')
    expect(await main(['approver', 'set', 'bulletin', '--person', '无此人', '--tenant', '450329'], io)).toBe(1)
    expect(out.pop()).toContain('没有名为「无此人」的已登记人员')
    expect(await main(['approver', 'show', '--tenant', '450329'], io)).toBe(0)
    expect(out).toContain('通报审批人：分管领导-王局长')
  })
})

describe('001:41 / 002:54 a zone layer routes the patches already there (layer import, pglite)', () => {
  let t: TestDatabase
  afterAll(async () => t?.close())
  it('imports 河道管理范围 over a patch: its zones say river, an illegal judgment routes it to 县水利局', async () => {
    t = await openPglite()
    const clock = new FakeClock(china('2026-11-02', '07:00'))
    await consoleHarness(t.db, clock)
    const p = await t.db.selectFrom('patches').select(['id', 'min_lon', 'min_lat', 'max_lon', 'max_lat', 'zones'])
      .where('kind', '=', 'land').where('geometry', 'is not', null).orderBy('number').executeTakeFirstOrThrow()
    expect(p.zones).toEqual([])
    const ring = [[p.min_lon!, p.min_lat!], [p.max_lon!, p.min_lat!], [p.max_lon!, p.max_lat!], [p.min_lon!, p.max_lat!], [p.min_lon!, p.min_lat!]]
    const river = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { 名称: '资江' }, geometry: { type: 'Polygon', coordinates: [ring] } }] }
    const report = await importLayer(t.db, { tenantCode: '450329', fileName: '河道管理范围.geojson', bytes: new TextEncoder().encode(JSON.stringify(river)), kind: 'river', now: clock.now() })
    expect(report.status).toBe('ok')
    const after = await t.db.selectFrom('patches').select('zones').where('id', '=', p.id).executeTakeFirstOrThrow()
    expect(after.zones).toEqual(['river'])
    const loaded = (await loadPatch(t.db, p.id))!
    expect(classifyPatch({ ...issueFacts(loaded.snapshot), judgment: 'illegal' }).departments).toEqual(['县自然资源局', '县水利局'])
  }, 60_000)
})

describe('issue 12 point 16: a preset per county; 荥阳 (003:103) reports on a public 通报 in 3 working days', () => {
  let t: TestDatabase
  let h: Awaited<ReturnType<typeof consoleHarness>>
  const clock = new FakeClock(china('2026-11-02', '07:00'))
  afterAll(async () => t?.close())
  const say = async (chat: string, sender: string, body: Record<string, unknown>) => {
    clock.advanceMinutes(1)
    const { messageId } = await h.post({ chat, sender, ...body })
    await h.runtime.flush()
    return (await h.botSaid(chat, messageId)).map((e) => e.text ?? JSON.stringify(e.card)).join('\n')
  }

  it('county add --preset 004 stores 淄川\'s profile; an unknown preset is refused', async () => {
    t = await openPglite()
    const out: string[] = []
    const io = { openDb: async () => t.db, release: async () => {}, now: clock.now, out: (l: string) => void out.push(l), err: (l: string) => void out.push(l), env: {} }
    expect(await main(['county', 'add', '370302', '--preset', '004'], io)).toBe(0)
    expect(out.join('\n')).toContain('政策：淄川区2022；该文件未给出的部分沿用资源县2023')
    const row = await t.db.selectFrom('tenants').select('policy_overrides').where('code', '=', '370302').executeTakeFirstOrThrow()
    expect(resolvePolicy(row.policy_overrides as never)).toMatchObject({ profile: '淄川区2022', deadlines: { newViolation: { enabled: true } } })
    expect(await main(['county', 'add', '370302', '--preset', '009'], io)).toBe(1)
    expect(out.join('\n')).toContain('不认识的政策预设：009')
  }, 60_000)

  it('荥阳: publishing the bulletin asks each township for its report within 3 working days; 资源县 does not', async () => {
    h = await consoleHarness(t.db, clock)
    await t.db.updateTable('tenants').set({ policy_overrides: JSON.stringify(xingyangOverrides) as never }).where('code', '=', '450329').execute()
    clock.set(china('2026-11-02', '09:05').toISOString())
    await h.runtime.scheduler.tick()
    await h.runtime.flush()
    const doc = await t.db.selectFrom('documents').select('id').where('kind', '=', 'bulletin').executeTakeFirstOrThrow()
    clock.set(china('2026-11-04', '10:00').toISOString())
    expect(await say(LEADER_CHAT, LEADER, { text: '同意通报' })).toContain('各乡镇须于2026-11-09前上报公开通报的有关情况')
    expect(await h.lastBotText(TOWNSHIP_CHAT(ZIYUAN))).toContain('请于2026-11-09前将公开通报的有关情况报县卫片办')
    expect(await t.db.selectFrom('county_records').select('id').where('kind', '=', 'bulletin').execute()).toHaveLength(7)
    expect(await say(OFFICE, STAFF, { text: '通报已报 资源镇' })).toContain('资源镇2026-11-04的通报情况已上报')
    expect(doc.id).toBeGreaterThan(0)
  }, 60_000)

  it('沂源 (000:41): the 警示约谈 areas come from a 瞒案不报 finding recorded by 认定, and the letter cites them', async () => {
    await t.db.updateTable('tenants').set({ policy_overrides: JSON.stringify(yiyuanOverrides) as never }).where('code', '=', '450329').execute()
    const p = await judgedIllegal(t, '2026-10-10', 12)
    clock.set(china('2026-11-05', '10:00').toISOString())
    expect(await say(OFFICE, STAFF, { text: `认定 ${p.number} 瞒案不报` })).toContain('该乡镇涉及此类问题的图斑面积达到警示约谈标准时')
    clock.set(china('2026-11-09', '09:45').toISOString())
    await h.runtime.scheduler.tick()
    await h.runtime.flush()
    const letter = await t.db.selectFrom('documents').innerJoin('townships', 'townships.id', 'documents.township_id')
      .select(['documents.kind', 'documents.content']).where('townships.code', '=', ZIYUAN).where('documents.kind', '=', 'supervision_letter').executeTakeFirstOrThrow()
    const text = 'letter' in letter.content ? letter.content.letter.paragraphs.join('') : ''
    expect(text).toContain('违法占用一般耕地12亩，达到10亩')
  }, 60_000)
})
