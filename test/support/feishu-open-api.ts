import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local stand-in for Feishu's Open API, speaking the endpoints the SDK calls: tenant token, send /
 * reply / patch messages, image and file upload, message resources. It records every request,
 * dedupes sends by `uuid` as Feishu does, enforces the rate limits (5/s per chat, 50/s per app, on
 * its own clock) and answers faults on demand — before or after it has "delivered" the message.
 */
export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  authorization: string | undefined
  body: unknown
  at: number
  status?: number
  code?: number // the answer's business code
}

export interface FakeMessage {
  messageId: string
  chatId: string
  msgType: string
  content: Record<string, unknown>
  uuid: string | undefined
  parentId: string | undefined
  replyInThread: boolean
  at: number
  patched: number
}

export interface Fault {
  status: number
  code: number
  msg?: string
  headers?: Record<string, string>
  /** deliver first, then answer the fault: the sender must not send twice on retry */
  afterCommit?: boolean
  /** no answer at all: the connection is reset (with afterCommit: the message went out, its answer is lost) */
  reset?: boolean
  /** no answer ever, the connection left open (with afterCommit: the message went out first) */
  hang?: boolean
}

/** Decides, per message send (n counts sends from 1), whether to answer a fault. */
export type FaultPlan = (n: number, req: RecordedRequest) => Fault | undefined

export interface FakeOptions {
  appId: string
  appSecret: string
  clock?: () => number
  limits?: { perChat: number; perApp: number; windowMs: number } | false
}

export class FakeOpenApi {
  readonly requests: RecordedRequest[] = []
  readonly messages: FakeMessage[] = []
  readonly images = new Map<string, Buffer>()
  readonly files = new Map<string, { name: string; type: string; bytes: Buffer }>()
  readonly #resources = new Map<string, { bytes: Buffer; type: string }>()
  readonly #tokens = new Set<string>()
  readonly #byUuid = new Map<string, FakeMessage>()
  readonly #windows = new Map<string, number[]>()
  readonly #faults: Fault[] = []
  #plan: FaultPlan | undefined
  #tokenPlan: ((n: number) => Fault | undefined) | undefined
  #tokenRequests = 0
  #sends = 0
  #seq = 0
  #server: Server | undefined
  url = ''
  /** the long-connection gateway (test/support/feishu-long-connection.ts), if the test runs one */
  longConnection: { endpoint(body: Record<string, unknown>): { status: number; json: Record<string, unknown> } } | undefined
  /** what the limits refused, by kind */
  readonly refused = { perChat: 0, perApp: 0 }
  readonly clock: () => number
  readonly limits: { perChat: number; perApp: number; windowMs: number } | false

  constructor(readonly options: FakeOptions) {
    this.clock = options.clock ?? (() => Date.now())
    this.limits = options.limits === undefined ? { perChat: 5, perApp: 50, windowMs: 1000 } : options.limits
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error) => {
        res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ code: 1, msg: String(error) }))
      })
    })
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
    return this
  }

  async stop() {
    this.#server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()))
  }

  /** The next message send(s) answer this fault. */
  failNext(fault: Fault, times = 1) {
    for (let i = 0; i < times; i++) this.#faults.push(fault)
  }

  plan(plan: FaultPlan | undefined) {
    this.#plan = plan
  }

  /**
   * Faults of the token endpoint (n counts token requests from 1): e.g. HTTP 200 with a non-zero code,
   * as Feishu answers after a secret rotation or while the app is disabled; 5xx; a reset.
   */
  planTokens(plan: ((n: number) => Fault | undefined) | undefined) {
    this.#tokenPlan = plan
  }

  /** Every token issued so far becomes invalid (code 99991663), as after a secret reset. */
  revokeTokens() {
    this.#tokens.clear()
  }

  /** A picture or file a user sent, for `messageResource.get`. */
  addResource(messageId: string, key: string, bytes: Buffer, type: 'image' | 'file' = 'image') {
    this.#resources.set(`${messageId}/${key}`, { bytes, type })
  }

  /** A message a user sent (so the bot can reply to it). */
  userMessage(chatId: string, messageId = this.#id('om_')): string {
    this.messages.push({ messageId, chatId, msgType: 'text', content: {}, uuid: undefined, parentId: undefined, replyInThread: false, at: this.clock(), patched: 0 })
    return messageId
  }

  sentTo(chatId: string): FakeMessage[] {
    return this.messages.filter((m) => m.chatId === chatId && m.uuid !== undefined)
  }

  #id(prefix: string) {
    return `${prefix}${(++this.#seq).toString(16).padStart(24, '0')}`
  }

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x')
    const raw = await readBody(req)
    const type = req.headers['content-type'] ?? ''
    let body: unknown = undefined
    if (type.includes('multipart/form-data')) body = parseMultipart(raw, type)
    else if (raw.length) body = JSON.parse(raw.toString('utf8'))
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      body: body instanceof Map ? formSummary(body) : body,
      at: this.clock(),
    }
    this.requests.push(record)
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      if ((json as { hang?: boolean }).hang) {
        record.status = 0
        return // nothing is written; the client's timeout has to end it
      }
      if ((json as { reset?: boolean }).reset) {
        record.status = 0
        req.socket.destroy() // ECONNRESET on the client: no answer at all
        return
      }
      record.status = status
      record.code = (json as { code?: number }).code
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
      res.end(JSON.stringify(json))
    }

    if (record.method === 'POST' && url.pathname === '/open-apis/auth/v3/tenant_access_token/internal') {
      const b = body as { app_id?: string; app_secret?: string }
      const fault = this.#tokenPlan?.(++this.#tokenRequests)
      if (fault) return send(fault.status, faultBody(fault), fault.headers)
      if (b.app_id !== this.options.appId || b.app_secret !== this.options.appSecret) return send(400, { code: 10014, msg: 'app secret invalid' })
      const token = this.#id('t-')
      this.#tokens.add(token)
      return send(200, { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 })
    }
    if (record.method === 'POST' && url.pathname === '/callback/ws/endpoint') {
      // the long connection's endpoint discovery: answered by the gateway stand-in when there is one
      if (this.longConnection) {
        const answer = this.longConnection.endpoint((body ?? {}) as Record<string, unknown>)
        return send(answer.status, answer.json)
      }
      return send(200, { code: 403, msg: 'long connection not available here', data: {} })
    }
    const token = req.headers.authorization?.replace(/^Bearer /, '')
    if (!token || !this.#tokens.has(token)) return send(400, { code: 99991663, msg: 'Invalid access token for authorization.' })

    let m: RegExpExecArray | null
    if (record.method === 'POST' && url.pathname === '/open-apis/im/v1/messages') {
      const b = body as { receive_id: string; msg_type: string; content: string; uuid?: string }
      if (url.searchParams.get('receive_id_type') !== 'chat_id') return send(400, { code: 230001, msg: 'receive_id_type' })
      return this.#send(record, b.receive_id, b, undefined, false, send)
    }
    if (record.method === 'POST' && (m = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(url.pathname))) {
      const parent = this.messages.find((x) => x.messageId === m![1])
      if (!parent) return send(400, { code: 230011, msg: 'The message was not found.' })
      const b = body as { msg_type: string; content: string; uuid?: string; reply_in_thread?: boolean }
      return this.#send(record, parent.chatId, b, parent.messageId, Boolean(b.reply_in_thread), send)
    }
    if (record.method === 'PATCH' && (m = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(url.pathname))) {
      const message = this.messages.find((x) => x.messageId === m![1])
      if (!message) return send(400, { code: 230011, msg: 'The message was not found.' })
      message.content = JSON.parse((body as { content: string }).content)
      message.patched++
      return send(200, { code: 0, msg: 'success', data: {} })
    }
    if (record.method === 'POST' && url.pathname === '/open-apis/im/v1/images') {
      const form = body as Form
      const image = form.get('image')?.data
      if (form.get('image_type')?.data.toString() !== 'message' || !image?.length) return send(400, { code: 234001, msg: 'bad image' })
      const key = this.#id('img_v3_')
      this.images.set(key, image)
      return send(200, { code: 0, msg: 'success', data: { image_key: key } })
    }
    if (record.method === 'POST' && url.pathname === '/open-apis/im/v1/files') {
      const form = body as Form
      const file = form.get('file')?.data
      if (!file?.length) return send(400, { code: 234001, msg: 'bad file' })
      const key = this.#id('file_v3_')
      this.files.set(key, { name: String(form.get('file_name')?.data), type: String(form.get('file_type')?.data), bytes: file })
      return send(200, { code: 0, msg: 'success', data: { file_key: key } })
    }
    if (record.method === 'GET' && (m = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(url.pathname))) {
      const resource = this.#resources.get(`${m[1]}/${m[2]}`)
      if (!resource || resource.type !== url.searchParams.get('type')) return send(400, { code: 234003, msg: 'File not in msg.' })
      record.status = 200
      res.writeHead(200, { 'content-type': resource.type === 'image' ? 'image/jpeg' : 'application/octet-stream' })
      return res.end(resource.bytes)
    }
    return send(404, { code: 404, msg: `no such endpoint ${record.method} ${url.pathname}` })
  }

  #send(
    record: RecordedRequest,
    chatId: string,
    b: { msg_type: string; content: string; uuid?: string },
    parentId: string | undefined,
    replyInThread: boolean,
    send: (status: number, json: unknown, headers?: Record<string, string>) => void,
  ) {
    const n = ++this.#sends
    const fault = this.#faults.shift() ?? this.#plan?.(n, record)
    if (fault && !fault.afterCommit) return send(fault.status, faultBody(fault), fault.headers)
    const ok = (message: FakeMessage) => send(200, { code: 0, msg: 'success', data: { message_id: message.messageId, chat_id: message.chatId, msg_type: message.msgType } })
    const known = b.uuid ? this.#byUuid.get(b.uuid) : undefined
    if (known) return fault ? send(fault.status, faultBody(fault), fault.headers) : ok(known) // Feishu: one message per uuid (for an hour)
    const limited = this.#limit(chatId)
    if (limited) return send(limited.status, { code: limited.code, msg: 'request trigger frequency limit' }, limited.headers)
    const message: FakeMessage = {
      messageId: this.#id('om_'),
      chatId,
      msgType: b.msg_type,
      content: JSON.parse(b.content),
      uuid: b.uuid ?? `none:${n}`,
      parentId,
      replyInThread,
      at: this.clock(),
      patched: 0,
    }
    this.messages.push(message)
    if (b.uuid) this.#byUuid.set(b.uuid, message)
    if (fault) return send(fault.status, faultBody(fault), fault.headers)
    return ok(message)
  }

  /** Sliding windows on the fake's clock; only accepted sends count. */
  #limit(chatId: string): Fault | undefined {
    if (!this.limits) return undefined
    const now = this.clock()
    const { windowMs } = this.limits
    const window = (key: string) => {
      let w = this.#windows.get(key)
      if (!w) this.#windows.set(key, (w = []))
      while (w.length && w[0]! <= now - windowMs) w.shift()
      return w
    }
    const app = window('app')
    const chat = window(`chat:${chatId}`)
    const resetOf = (w: number[]) => String(Math.max(1, Math.ceil((w[0]! + windowMs - now) / 1000)))
    if (app.length >= this.limits.perApp) {
      this.refused.perApp++
      return { status: 429, code: 99991400, headers: { 'x-ogw-ratelimit-limit': String(this.limits.perApp), 'x-ogw-ratelimit-reset': resetOf(app) } }
    }
    if (chat.length >= this.limits.perChat) {
      this.refused.perChat++
      return { status: 400, code: 230020, headers: {} }
    }
    app.push(now)
    chat.push(now)
    return undefined
  }
}

const faultBody = (fault: Fault) => ({ code: fault.code, msg: fault.msg ?? 'fault', ...(fault.reset ? { reset: true } : {}), ...(fault.hang ? { hang: true } : {}) })

type Form = Map<string, { data: Buffer; filename?: string }>

function formSummary(form: Form): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of form) out[k] = v.data.length > 200 || v.filename ? `<${v.data.length} bytes>` : v.data.toString('utf8')
  return out
}

/** multipart/form-data as axios (form-data) writes it: parts may be binary without a filename. */
function parseMultipart(raw: Buffer, contentType: string): Form {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType)
  if (!boundary) throw new Error('multipart without boundary')
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`)
  const form: Form = new Map()
  let start = raw.indexOf(delimiter)
  while (start >= 0) {
    const next = raw.indexOf(delimiter, start + delimiter.length)
    if (next < 0) break
    const part = raw.subarray(start + delimiter.length + 2, next - 2) // skip CRLF after the delimiter, before the next
    const split = part.indexOf('\r\n\r\n')
    const head = part.subarray(0, split).toString('utf8')
    const name = /name="([^"]*)"/.exec(head)?.[1]
    const filename = /filename="([^"]*)"/.exec(head)?.[1]
    if (name !== undefined) form.set(name, { data: Buffer.from(part.subarray(split + 4)), ...(filename !== undefined ? { filename } : {}) })
    start = next
  }
  return form
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}
