import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseWaiting, unnamedReportRefusal, waitsFor, type PatchSnapshot } from '../../core/index.js'
import type { ProposalRecord } from '../../core/index.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { consoleHarness, FakeClock, OFFICIAL, TOWNSHIP_CHAT, cardText } from '../support/console-harness.js'
import { jpegWithExif } from '../support/jpeg-exif.js'
import { centroidOf } from '../../core/index.js'

// Linking never guesses: a bare 文号 or photo goes to the one step waiting for it; several → asked;
// a report the sender did not name is never changed.
const TOWNSHIP = '450329100' // 资源镇

const base: PatchSnapshot = {
  id: '1', number: 'JC2026450329001', townshipCode: TOWNSHIP, kind: 'land', category: '新增非农建设类',
  areaMu: 1, farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0, issuedOn: '2026-10-01', military: false,
  state: 'dispatched', evidence: { photos: 0, flaggedPhotos: 0, locations: 0, documents: 0, fieldCheck: false }, flags: [], due: {},
}
const proposal = (kind: 'legal' | 'illegal', missing: string[]): ProposalRecord => ({ judgment: { kind } as ProposalRecord['judgment'], reportedOn: '2026-11-03', by: 'p1', missing })
const legalWaiting = { ...base, id: '2', number: 'JC2026450329002', proposal: proposal('legal', ['批准文号']) }
const illegalWaiting = { ...base, id: '3', number: 'JC2026450329003', proposal: proposal('illegal', ['违法类型', '至少1张现场照片（在图斑现场拍摄）']) }

describe('core: which waiting step a bare 文号 or photo completes', () => {
  it('knows what a step waits for', () => {
    expect(waitsFor(legalWaiting, 'document')).toBe(true)
    expect(waitsFor(legalWaiting, 'photo')).toBe(false)
    expect(waitsFor(illegalWaiting, 'document')).toBe(false)
    expect(waitsFor(illegalWaiting, 'photo')).toBe(true)
    expect(waitsFor({ ...base, state: 'rectifying', rectification: { measure: 'permits_completed', reportedOn: '2026-11-03', missing: ['x'] } }, 'document')).toBe(true)
    expect(waitsFor({ ...base, state: 'rectifying', rectification: { measure: 'demolished_restored', reportedOn: '2026-11-03', missing: ['拆除复耕后的现场照片（判定后拍摄，带拍摄时间的原图）'] } }, 'photo')).toBe(true)
    // 001:35 a 拆除复耕 waiting only for the county's field check waits for no township photo
    expect(waitsFor({ ...base, state: 'rectifying', rectification: { measure: 'demolished_restored', reportedOn: '2026-11-03', missing: ['县卫片办的实地核查记录（重点图斑：拆除复耕涉及耕地25亩，达到25亩）'] } }, 'photo')).toBe(false)
  })

  it('links the one that waits, not the last touched; asks when several wait; says none otherwise', () => {
    expect(chooseWaiting([illegalWaiting, legalWaiting], 'document')).toEqual({ link: '2' })
    expect(chooseWaiting([legalWaiting, illegalWaiting], 'photo')).toEqual({ link: '3' })
    const other = { ...legalWaiting, id: '4', number: 'JC2026450329004' }
    const ask = chooseWaiting([other, illegalWaiting, legalWaiting], 'document', '桂政土批〔2022〕15号')
    expect(ask).toEqual({ ask: expect.stringContaining('有 2 个图斑在等文号') })
    expect((ask as { ask: string }).ask).toContain('1. JC2026450329004（合法，待批准文号）\n2. JC2026450329002（合法，待批准文号）')
    expect((ask as { ask: string }).ask).toContain('「JC2026450329004 桂政土批〔2022〕15号」')
    expect(chooseWaiting([illegalWaiting], 'document')).toEqual({ none: true })
  })

  it('never turns an unnamed report into another judgment; completing the same one is fine', () => {
    expect(unnamedReportRefusal(illegalWaiting, { kind: 'legal', approvalNo: '桂政土批〔2022〕15号' })).toMatch(/已记录为「违法」，未写明图斑编号的消息不会更改它。如确需改为「合法」/)
    expect(unnamedReportRefusal(illegalWaiting, { kind: 'illegal', violationType: '农村乱占耕地建房' } as never)).toBeUndefined()
    const legalGiven = { ...legalWaiting, proposal: proposal('legal', []) }
    legalGiven.proposal.judgment = { kind: 'legal', approvalNo: '桂政土批〔2022〕15号' }
    expect(unnamedReportRefusal(legalGiven, { kind: 'legal', approvalNo: '桂政土批〔2022〕16号' })).toMatch(/已记录为「合法（桂政土批〔2022〕15号）」/)
    expect(unnamedReportRefusal(base, { kind: 'legal' } as never)).toBeUndefined()
  })
})

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`linking on the console (${engine.name})`, () => {
    let t: TestDatabase
    let h: Awaited<ReturnType<typeof consoleHarness>>
    const clock = new FakeClock(new Date('2026-11-03T01:00:00Z'))
    const chat = TOWNSHIP_CHAT(TOWNSHIP)
    const official = OFFICIAL(TOWNSHIP)
    let patches: Array<{ id: number; number: string; geometry: unknown }>

    beforeAll(async () => {
      t = await engine.open()
      h = await consoleHarness(t.db, clock)
      await h.runtime.dispatch()
      await h.runtime.flush()
      const township = await t.db.selectFrom('townships').select('id').where('code', '=', TOWNSHIP).executeTakeFirstOrThrow()
      patches = await t.db.selectFrom('patches').select(['id', 'number', 'geometry']).where('township_id', '=', township.id).where('military', '=', false).where('state', '=', 'dispatched').orderBy('id').limit(4).execute()
      expect(patches.length).toBe(4)
    })
    afterAll(async () => t?.close())

    const press = (patchId: number, judgment: string) => h.post({ chat, sender: official, action: { name: 'report', value: { patchId: String(patchId), judgment } } })
    const said = async (after: { messageId: string }) => (await h.botSaid(chat, after.messageId)).map(cardText).join('\n')
    const proposalOf = async (id: number) => {
      const row = await t.db.selectFrom('patches').select(['proposal', 'state']).where('id', '=', id).executeTakeFirstOrThrow()
      return { state: row.state, proposal: row.proposal?.judgment }
    }

    it('the issue case: 合法 on B, 违法 on C, then the 文号 alone → B; C stays 违法', async () => {
      const [b, c] = patches
      clock.advanceMinutes(5)
      expect(await said(await press(b!.id, 'legal'))).toMatch(/还缺.*批准文号/)
      clock.advanceMinutes(1)
      expect(await said(await press(c!.id, 'illegal'))).toMatch(/还缺/)
      clock.advanceMinutes(1)
      const doc = await h.post({ chat, sender: official, text: '桂政土批〔2022〕15号' })
      const answer = await said(doc)
      expect(answer).not.toContain('没有等待文号')
      expect(answer).toContain(b!.number)
      expect((await proposalOf(b!.id)).proposal).toMatchObject({ kind: 'legal', approvalNo: '桂政土批〔2022〕15号' })
      expect((await proposalOf(c!.id)).proposal).toMatchObject({ kind: 'illegal' })
    })

    it('an unnamed 「合法 文号」 does not overwrite the 违法 report it would land on', async () => {
      const [, c] = patches
      clock.advanceMinutes(1)
      await press(c!.id, 'illegal') // C is again the last patch touched
      clock.advanceMinutes(1)
      const msg = await h.post({ chat, sender: official, text: '合法 桂政土批〔2022〕16号' })
      expect(await said(msg)).toContain(`图斑 ${c!.number} 已记录为「违法」`)
      expect((await proposalOf(c!.id)).proposal).toMatchObject({ kind: 'illegal' })
    })

    it('a photo while several steps wait for one (every report needs a photo): listed and asked, attached nowhere', async () => {
      const [b, c, d] = patches
      clock.advanceMinutes(1)
      await press(d!.id, 'legal')
      clock.advanceMinutes(1)
      const [lon, lat] = centroidOf(c!.geometry as never)
      const photo = await h.post({ chat, sender: official, photo: jpegWithExif({ lon, lat, takenAt: '2026:11:03 09:10:00' }).toString('base64') })
      const answer = await said(photo)
      expect(answer).toMatch(/有 \d 个图斑在等照片，未自动关联/)
      for (const p of [b, c, d]) expect(answer).toContain(p!.number)
      expect(answer).not.toContain('已关联到图斑')
      expect(await t.db.selectFrom('evidence').select('id').where('kind', '=', 'photo').where('patch_id', 'in', [b!.id, c!.id, d!.id]).execute()).toEqual([])
    })

    it('several steps waiting for a 文号: lists them and asks, changes nothing', async () => {
      const [, , d, e] = patches
      clock.advanceMinutes(1)
      await press(e!.id, 'legal')
      clock.advanceMinutes(1)
      const doc = await h.post({ chat, sender: official, text: '桂政土批〔2022〕17号' })
      const answer = await said(doc)
      expect(answer).toContain('有 2 个图斑在等文号')
      expect(answer).toContain(d!.number)
      expect(answer).toContain(e!.number)
      expect((await proposalOf(d!.id)).proposal).toEqual({ kind: 'legal' })
      expect((await proposalOf(e!.id)).proposal).toEqual({ kind: 'legal' })
      // naming one settles it
      const named = await h.post({ chat, sender: official, text: `${e!.number} 桂政土批〔2022〕17号` })
      expect(await said(named)).toContain(e!.number)
      expect((await proposalOf(e!.id)).proposal).toMatchObject({ approvalNo: '桂政土批〔2022〕17号' })
    })
  })
}
