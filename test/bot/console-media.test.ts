import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPglite, type TestDatabase } from '../support/databases.js'
import { consoleHarness, FakeClock } from '../support/console-harness.js'
import { walk } from '../jobs/walk.js'
import { json } from '../../db/json.js'

// What jobs send as a picture (the leader's digest chart) or a file (a .docx draft) shows in the console.
describe('charts and documents in the console transcript', () => {
  let t: TestDatabase
  let h: Awaited<ReturnType<typeof consoleHarness>>
  const clock = new FakeClock(new Date('2026-11-02T00:00:00Z'))

  beforeAll(async () => {
    t = await openPglite()
    h = await consoleHarness(t.db, clock)
    await h.runtime.dispatch()
    // one judged violation on 耕地, so the digest has a ratio to chart
    await t.db
      .updateTable('patches')
      .set({ state: 'rectifying', judgment: json({ kind: 'illegal', violationType: '非农化', landUse: 'new_construction' }) })
      .where('id', '=', (await t.db.selectFrom('patches').select('id').where('farmland_mu', '>', 1).orderBy('id').executeTakeFirstOrThrow()).id)
      .execute()
    await walk(clock, h.runtime.scheduler, '2026-11-02', '2026-11-03', async () => void (await h.runtime.flush()))
  })
  afterAll(async () => t?.close())

  it('the leader sees the digest chart as a PNG', async () => {
    const images = (await h.transcript('console:leader')).filter((e) => e.imageUrl)
    expect(images.length).toBeGreaterThan(0)
    const res = await h.runtime.app.request(images[0]!.imageUrl!)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await res.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG')
  })

  it('a document the bot sent downloads as a .docx (a zip)', async () => {
    const doc = await t.db.selectFrom('documents').select(['id']).where('file', 'is not', null).executeTakeFirstOrThrow()
    const res = await h.runtime.app.request(`/console/api/documents/${doc.id}/file`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toMatch(/\.docx/)
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 2).toString()).toBe('PK')
    for (const path of ['/console/api/documents/99999/file', '/console/api/documents/abc/file', '/console/api/outbox/1e9/image.png']) {
      expect((await h.runtime.app.request(path)).status).toBe(404)
    }
  })
})
