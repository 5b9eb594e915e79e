import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local server for the WeCom group robot (消息推送) webhook: `POST /cgi-bin/webhook/send?key=…`
 * and `/cgi-bin/webhook/upload_media?key=…&type=file`, answering `{errcode, errmsg}` as WeCom
 * does. It checks the key (93000 for one it does not know), the documented sizes and the image's
 * md5, and counts each robot's messages on the clock it is given: past 20 in a minute it answers
 * 130101, as WeCom does. `saturate` plays another system filling a robot's minute.
 */
export interface RobotMessage {
  key: string
  at: number
  msgtype: string
  body: Record<string, unknown>
}

export class FakeRobotServer {
  readonly messages: RobotMessage[] = []
  /** every answer given, in order (errcode per request) */
  readonly answers: Array<{ key: string; at: number; errcode: number }> = []
  readonly uploads = new Map<string, { key: string; fileName: string; bytes: Buffer }>()
  readonly #keys = new Set<string>()
  readonly #stamps = new Map<string, number[]>() // key → accepted sends (and others' sends), for the 20/min rule
  #http: Server | undefined
  #seq = 0
  baseUrl = ''

  constructor(private readonly now: () => number) {}

  /** a robot whose key WeCom knows */
  addRobot(key: string): this {
    this.#keys.add(key)
    return this
  }

  /** another system posted `count` messages to this robot just now */
  saturate(key: string, count = 20) {
    const stamps = this.#stamps.get(key) ?? []
    for (let i = 0; i < count; i++) stamps.push(this.now())
    this.#stamps.set(key, stamps)
  }

  sentTo = (key: string) => this.messages.filter((m) => m.key === key)

  async start(): Promise<this> {
    this.#http = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        void this.#handle(req.url ?? '', req.headers['content-type'] ?? '', Buffer.concat(chunks)).then((answer) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer))
        })
      })
    })
    await new Promise<void>((resolve) => this.#http!.listen(0, '127.0.0.1', resolve))
    this.baseUrl = `http://127.0.0.1:${(this.#http.address() as AddressInfo).port}/cgi-bin/webhook`
    return this
  }

  async stop() {
    await new Promise<void>((resolve) => (this.#http ? this.#http.close(() => resolve()) : resolve()))
  }

  async #handle(path: string, contentType: string, raw: Buffer): Promise<Record<string, unknown>> {
    const url = new URL(path, 'http://robot')
    const key = url.searchParams.get('key') ?? ''
    const answer = (errcode: number, errmsg: string, extra: Record<string, unknown> = {}) => {
      this.answers.push({ key, at: this.now(), errcode })
      return { errcode, errmsg, ...extra }
    }
    if (!this.#keys.has(key)) return answer(93000, 'invalid webhook url, hint: key not found')
    if (url.pathname.endsWith('/upload_media')) {
      if (url.searchParams.get('type') !== 'file') return answer(40004, 'invalid media type')
      const form = await new Request('http://robot/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(raw) }).formData()
      const media = form.get('media')
      if (!(media instanceof Blob)) return answer(41001, 'media missing')
      const id = `media_${++this.#seq}`
      this.uploads.set(id, { key, fileName: (media as File).name, bytes: Buffer.from(await media.arrayBuffer()) })
      return answer(0, 'ok', { type: 'file', media_id: id, created_at: String(Math.floor(this.now() / 1000)) })
    }
    if (!url.pathname.endsWith('/send')) return answer(404, 'not found')
    const now = this.now()
    const stamps = (this.#stamps.get(key) ?? []).filter((t) => t > now - 60_000)
    this.#stamps.set(key, stamps)
    if (stamps.length >= 20) return answer(130101, 'api freq out of limit')
    let body: Record<string, unknown>
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>
    } catch {
      return answer(40035, 'invalid json')
    }
    const msgtype = String(body.msgtype)
    const problem = check(msgtype, body, this.uploads)
    if (problem) return answer(40035, problem)
    stamps.push(now)
    this.messages.push({ key, at: now, msgtype, body })
    return answer(0, 'ok')
  }
}

/** The documented limits of each message type. */
function check(msgtype: string, body: Record<string, unknown>, uploads: Map<string, unknown>): string | undefined {
  const bytes = (s: unknown) => Buffer.byteLength(String(s ?? ''))
  switch (msgtype) {
    case 'text':
      return bytes((body.text as { content?: string })?.content) > 2048 ? 'text over 2048 bytes' : undefined
    case 'markdown':
      return bytes((body.markdown as { content?: string })?.content) > 4096 ? 'markdown over 4096 bytes' : undefined
    case 'image': {
      const { base64, md5 } = (body.image ?? {}) as { base64?: string; md5?: string }
      const png = Buffer.from(base64 ?? '', 'base64')
      if (png.length === 0 || png.length > 2 * 1024 * 1024) return 'image size'
      return createHash('md5').update(png).digest('hex') === md5 ? undefined : 'image md5 mismatch'
    }
    case 'file':
      return uploads.has(String((body.file as { media_id?: string })?.media_id)) ? undefined : 'invalid media_id'
    default:
      return `msgtype ${msgtype} not handled here`
  }
}
