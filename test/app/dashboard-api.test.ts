// The dashboard's data: behind the API token when deployed (DESIGN "Security and modes"), and the same
// figures as the chat's `统计` and `逾期` — the page only draws them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime } from '../../app/runtime.js'
import type { DashboardSummary, PatchPage } from '../../app/dashboard/data.js'
import { consoleHarness, FakeClock, OFFICE, STAFF } from '../support/console-harness.js'
import { openPglite, type TestDatabase } from '../support/databases.js'

describe('the dashboard API', () => {
  // 2026-12-10: past the demo batch's 10-day verification (001_8c1f6dae78f37652.txt:53), so patches are overdue
  const clock = new FakeClock(new Date('2026-12-10T01:00:00Z'))
  let t: TestDatabase
  let h: Awaited<ReturnType<typeof consoleHarness>>
  beforeAll(async () => {
    t = await openPglite()
    h = await consoleHarness(t.db, clock, { demoIssuedAt: new Date('2026-11-20T01:00:00Z') })
    await h.runtime.dispatch()
    await h.runtime.flush()
  })
  afterAll(async () => {
    await h?.runtime.stop()
    await t?.close()
  })

  it('deployed: the page is served, its data needs the token', async () => {
    const runtime = await createRuntime({ db: t.db, now: clock.now, console: false, apiToken: 's3cret', requireApiToken: true })
    try {
      const page = await runtime.app.request('/dashboard')
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('/dashboard/vendor/maplibre-gl.js')
      expect((await runtime.app.request('/dashboard/vendor/maplibre-gl.js')).status).toBe(200)
      for (const path of ['/api/dashboard/tenants', '/api/dashboard/450329/summary', '/api/exports/450329/table.xlsx']) {
        expect((await runtime.app.request(path)).status, path).toBe(401)
        expect((await runtime.app.request(path, { headers: { authorization: 'Bearer s3cret' } })).status, path).toBe(200)
      }
    } finally {
      await runtime.stop()
    }
    const closed = await createRuntime({ db: t.db, now: clock.now, console: false, requireApiToken: true })
    try {
      const res = await closed.app.request('/api/dashboard/tenants')
      expect(res.status).toBe(403)
      expect(await res.text()).toContain('API_TOKEN')
    } finally {
      await closed.stop()
    }
  })

  it('shows the figures of 统计 and 逾期', async () => {
    const summary = (await (await h.runtime.app.request('/api/dashboard/450329/summary')).json()) as DashboardSummary
    const asked = await h.post({ chat: OFFICE, sender: STAFF, text: '统计' })
    const stats = (await h.botSaid(OFFICE, asked.messageId))[0]!.text!
    expect(stats).toContain(`资源县：图斑${summary.county.total}个`)
    expect(stats).toContain(`比例${(summary.county.ratio * 100).toFixed(1)}%`)
    const zy = summary.townships.find((x) => x.name === '资源镇')!
    const askedZy = await h.post({ chat: OFFICE, sender: STAFF, text: '统计 资源镇' })
    expect((await h.botSaid(OFFICE, askedZy.messageId))[0]!.text).toContain(`资源镇：图斑${zy.total}个`)
    expect(summary.townships.reduce((n, x) => n + x.total, 0)).toBe(summary.county.total)
    // overdue: the patches `逾期` lists
    const overdueAsked = await h.post({ chat: OFFICE, sender: STAFF, text: '逾期' })
    const overdueText = (await h.botSaid(OFFICE, overdueAsked.messageId))[0]!.text!
    const listed = new Set(overdueText.match(/JC\d+/g) ?? [])
    expect(summary.county.overdue).toBeGreaterThan(0)
    if (!/另有/.test(overdueText)) expect(summary.county.overdue).toBe(listed.size)
    const features = (await (await h.runtime.app.request('/api/dashboard/450329/patches.geojson')).json()) as { features: Array<{ properties: { number: string; overdue: boolean } }> }
    expect(features.features.filter((f) => f.properties.overdue).length).toBe(summary.county.overdue)
  })

  it('a patch page, and a Chinese 404 for a patch that is not there', async () => {
    const id = (await t.db.selectFrom('patches').select('id').orderBy('id').executeTakeFirstOrThrow()).id
    const page = (await (await h.runtime.app.request(`/api/dashboard/patches/${id}`)).json()) as PatchPage
    expect(page.events[0]).toMatchObject({ seq: 1, label: '导入', who: '演示数据' })
    expect(page.chain.ok).toBe(true)
    expect((await h.runtime.app.request(page.mapUrl)).headers.get('content-type')).toBe('image/png')
    const missing = await h.runtime.app.request('/api/dashboard/patches/99999')
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('没有这个图斑')
    const noPatch = await h.runtime.app.request('/api/exports/450329/dossier/JC2026450329999')
    expect(noPatch.status).toBe(404)
    expect(((await noPatch.json()) as { error: { message: string } }).error.message).toBe('未找到图斑 JC2026450329999')
  })
})
