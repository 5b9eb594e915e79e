import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../app/http.js'
import { openPglite, type TestDatabase } from '../support/databases.js'

// DESIGN "Security and modes": the staff API needs a bearer token in deployed mode.
describe('/api/* access', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await openPglite()
  })
  afterAll(async () => t?.close())
  const now = () => new Date('2026-11-23T01:00:00Z')
  const post = (app: ReturnType<typeof createApp>, token?: string) =>
    app.request('/api/batches', { method: 'POST', body: new FormData(), ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) })

  it('deployed without a token: closed, with a reason', async () => {
    const res = await post(createApp({ db: t.db, now, requireApiToken: true }))
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('API_TOKEN')
  })

  it('with a token: the wrong one is refused, the right one gets through', async () => {
    const app = createApp({ db: t.db, now, apiToken: 's3cret', requireApiToken: true })
    expect((await post(app)).status).toBe(401)
    expect((await post(app, 'nope')).status).toBe(401)
    expect((await post(app, 's3cret')).status).toBe(400) // through to the route: the empty form is a bad request
  })

  it('the health check is always open', async () => {
    expect((await createApp({ db: t.db, now, requireApiToken: true }).request('/healthz')).status).toBe(200)
  })
})
