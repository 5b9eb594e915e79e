import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Accept, Receiver } from '../../delivery/channel.js'
import { PLATFORM } from './inbound-map.js'
import { handleWebhook } from './webhook.js'

/**
 * Events by HTTP: POST /feishu/events, the raw body handed to the webhook check untouched (the
 * signature covers its bytes), then to the event mapping. The secrets were checked once, with the
 * configuration. No SDK: the Node process and the worker mount this same receiver.
 */
export class FeishuWebhook implements Receiver {
  readonly platform = PLATFORM
  #started = false

  constructor(
    private readonly options: {
      encryptKey: string
      verificationToken: string
      /** the event mapping (event-handlers.ts), authenticated event in, Feishu's answer out */
      handle: (event: Record<string, unknown>) => Promise<unknown>
      bind: (accept: Accept | undefined) => void
      now: () => Date
      log: (line: string) => void
    },
  ) {}

  async start(accept: Accept): Promise<void> {
    this.options.bind(accept)
    this.#started = true
  }

  async stop(): Promise<void> {
    this.#started = false
    this.options.bind(undefined)
  }

  routes(): Hono {
    const app = new Hono()
    app.post('/feishu/events', bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ error: 'too large' }, 413) }), async (c) => {
      // not started (or stopping): Feishu delivers again later
      if (!this.#started) return c.json({ error: 'not ready' }, 503)
      const answer = await handleWebhook(this.options, await c.req.text(), (name) => c.req.header(name))
      return c.json(answer.body, answer.status)
    })
    return app
  }
}
