import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { checkWebhookDeps, handleWebhook, type WebhookDeps } from './webhook.js'

/** POST /feishu/events: the raw body goes to the webhook handler untouched (the signature covers its bytes). */
export function feishuRoutes(deps: WebhookDeps): Hono {
  checkWebhookDeps(deps)
  const app = new Hono()
  app.post('/feishu/events', bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ error: 'too large' }, 413) }), async (c) => {
    const answer = await handleWebhook(deps, await c.req.text(), (name) => c.req.header(name))
    return c.json(answer.body, answer.status)
  })
  return app
}
