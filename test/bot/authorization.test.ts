import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPglite, type TestDatabase } from '../support/databases.js'
import { consoleHarness, FakeClock, OFFICE, OFFICIAL, STAFF, TOWNSHIP_CHAT } from '../support/console-harness.js'

// Who may see and move which patch: a forged or stale button, another county's patch, military land.
describe('authorization on the console', () => {
  let t: TestDatabase
  let h: Awaited<ReturnType<typeof consoleHarness>>
  const clock = new FakeClock(new Date('2026-11-03T01:00:00Z'))
  let military: { id: number; number: string; code: string }
  let other: { id: number; number: string }

  beforeAll(async () => {
    t = await openPglite()
    h = await consoleHarness(t.db, clock)
    await h.runtime.dispatch()
    await h.runtime.flush()
    const m = await t.db
      .selectFrom('patches')
      .innerJoin('townships', 'townships.id', 'patches.township_id')
      .select(['patches.id', 'patches.number', 'townships.code'])
      .where('patches.military', '=', true)
      .executeTakeFirstOrThrow()
    military = m
    // another county, with one patch copied from this one
    const tenant = await t.db.insertInto('tenants').values({ code: '999999', name: '别县', policy_overrides: {} as never }).returning('id').executeTakeFirstOrThrow()
    const town = await t.db.insertInto('townships').values({ tenant_id: tenant.id, code: '999999100', name: '别镇', boundary: null }).returning('id').executeTakeFirstOrThrow()
    const source = await t.db.selectFrom('patches').selectAll().where('military', '=', false).orderBy('id').executeTakeFirstOrThrow()
    const { id: _id, ...rest } = source
    other = await t.db
      .insertInto('patches')
      .values({ ...(rest as any), tenant_id: tenant.id, township_id: town.id, batch_id: null, number: 'BX2026999999001' })
      .returning(['id', 'number'])
      .executeTakeFirstOrThrow()
  })
  afterAll(async () => t?.close())

  async function say(chat: string, sender: string, body: Record<string, unknown>) {
    clock.advanceMinutes(1)
    const { messageId } = await h.post({ chat, sender, ...body })
    const status = await t.db.selectFrom('inbound_messages').select(['status', 'error']).where('message_id', '=', messageId).executeTakeFirstOrThrow()
    const replies = (await h.botSaid(chat, messageId)).map((e) => e.text ?? JSON.stringify(e.card)).join('\n')
    return { status: status.status, replies }
  }

  it('a button with a malformed patch id is answered, not failed', async () => {
    for (const patchId of ['abc', '1.5', '99999999999999999999']) {
      const r = await say(TOWNSHIP_CHAT('450329100'), OFFICIAL('450329100'), { action: { name: 'report', value: { patchId, judgment: 'illegal' } } })
      expect(r.status).toBe('handled')
      expect(r.replies).toMatch(/按钮对应的图斑不存在或已失效/)
    }
  })

  it('a button naming another county’s patch shows nothing of it', async () => {
    const r = await say(OFFICE, STAFF, { action: { name: 'query', value: { patchId: String(other.id) } } })
    expect(r.status).toBe('handled')
    expect(r.replies).not.toContain(other.number)
    expect(r.replies).toMatch(/不存在或已失效/)
  })

  it('military land is not shown in a township group, even to its own township', async () => {
    const r = await say(TOWNSHIP_CHAT(military.code), OFFICIAL(military.code), { text: `查 ${military.number}` })
    expect(r.replies).toMatch(/军用土地.*机要件/)
    expect(r.replies).not.toMatch(/状态：/)
    expect(r.replies).not.toContain(military.number)
  })

  it('the county review queue is not listed in a township group', async () => {
    const r = await say(TOWNSHIP_CHAT('450329100'), STAFF, { text: '待审核' })
    expect(r.replies).toMatch(/仅供县卫片办/)
    const ok = await say(OFFICE, STAFF, { text: '待审核' })
    expect(ok.replies).toMatch(/待办|没有待审核/)
  })

  it('staff in a township group query only that township’s patches', async () => {
    const elsewhere = await t.db
      .selectFrom('patches')
      .innerJoin('townships', 'townships.id', 'patches.township_id')
      .select('patches.number')
      .where('townships.code', '=', '450329101')
      .where('patches.military', '=', false)
      .executeTakeFirstOrThrow()
    const r = await say(TOWNSHIP_CHAT('450329100'), STAFF, { text: `查 ${elsewhere.number}` })
    expect(r.replies).toMatch(/不属于本乡镇/)
  })

  // issue 12 point 15 changes this (001:61/103): no chat acts on military land, the office hears counts only
  it('military land is acted on in no chat, and no reply names it', async () => {
    const chat = TOWNSHIP_CHAT(military.code)
    await t.db.updateTable('patches').set({ state: 'reported', proposal: { judgment: { kind: 'other', use: '实地未变化' }, missing: [] } as never }).where('id', '=', military.id).execute()
    const before = (await h.botSaid(chat)).length
    const r = await say(OFFICE, STAFF, { text: `退回 ${military.number} 请补充照片` })
    expect(r.replies).toMatch(/军用土地.*机要件/)
    expect(r.replies).not.toContain(military.number)
    const township = await say(chat, OFFICIAL(military.code), { text: `${military.number} 已核查 违法 非农化` })
    expect(township.replies).toMatch(/军用土地.*机要件/)
    expect(township.replies).not.toContain(military.number)
    const after = await h.botSaid(chat)
    expect(after.slice(before).map((e) => e.text ?? JSON.stringify(e.card)).join('\n')).not.toContain(military.number)
    const row = await t.db.selectFrom('patches').select('state').where('id', '=', military.id).executeTakeFirstOrThrow()
    expect(row.state).toBe('reported')
    // 统计 in the office: a count, no number
    const stats = await say(OFFICE, STAFF, { text: '统计' })
    expect(stats.replies).toMatch(/另有军用土地图斑\d+个，按机要件单独办理/)
    expect(stats.replies).not.toContain(military.number)
  })

  it('逾期 in a township group leaves military land out', async () => {
    await t.db.updateTable('patches').set({ due: { verify: '2026-01-01' } as never }).where('id', '=', military.id).execute()
    const r = await say(TOWNSHIP_CHAT(military.code), STAFF, { text: '逾期' })
    expect(r.status).toBe('handled')
    expect(r.replies).not.toContain(military.number)
    // issue 12 point 15 changes this: the office hears how many, never which (001:61/103)
    const office = await say(OFFICE, STAFF, { text: '逾期' })
    expect(office.replies).not.toContain(military.number)
    expect(office.replies).toMatch(/另有逾期的军用土地图斑事项\d+个/)
  })

  it('a map for a malformed patch id is a 404, not a server error', async () => {
    const res = await h.runtime.app.request('/console/api/patches/abc/map.png')
    expect(res.status).toBe(404)
  })
})
