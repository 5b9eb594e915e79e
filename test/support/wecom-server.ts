import { createCipheriv, randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

/**
 * A local server speaking the 智能机器人 long-connection protocol as the real `@wecom/aibot-node-sdk`
 * (1.0.7) speaks it — frames `{cmd, headers: {req_id}, body}`, receipts `{headers, errcode, errmsg}`:
 * aibot_subscribe (bot id + secret), ping, aibot_msg_callback / aibot_event_callback pushed to the
 * bot, aibot_respond_msg / aibot_respond_update_msg / aibot_send_msg and the three media-upload
 * frames answered; and, over HTTP on the same port, files encrypted as WeCom encrypts them for
 * `downloadFile` (AES-256-CBC, key = base64-decoded aeskey, IV = its first 16 bytes, PKCS#7 to 32).
 */
export interface DeliveredMessage {
  via: 'send' | 'respond'
  chatId: string
  msgtype: string
  body: Record<string, unknown>
  reqId: string
}

export class FakeWecomServer {
  readonly botId: string
  readonly secret: string
  readonly messages: DeliveredMessage[] = []
  /** template-card updates (aibot_respond_update_msg), by task id */
  readonly cardUpdates: Array<{ taskId: string; card: Record<string, unknown> }> = []
  readonly media = new Map<string, { type: string; filename: string; bytes: Buffer }>()
  readonly subscribes: Array<{ botId: string; ok: boolean }> = []
  #http: Server | undefined
  #wss: WebSocketServer | undefined
  #socket: WebSocket | undefined
  #files = new Map<string, { bytes: Buffer; expired: boolean }>()
  #uploads = new Map<string, { type: string; filename: string; chunks: Buffer[] }>()
  #callbacks = new Map<string, string>() // req_id of a callback → its chat (where a respond frame lands)
  #subscribed: Array<() => void> = []
  #failNext = new Map<string, number>() // cmd → errcode for the next frame of that kind
  #seq = 0
  url = ''

  constructor(options: { botId: string; secret: string }) {
    this.botId = options.botId
    this.secret = options.secret
  }

  async start(): Promise<this> {
    this.#http = createServer((req, res) => {
      const file = this.#files.get(req.url?.replace(/^\/file\//, '') ?? '')
      if (!file || file.expired) return void res.writeHead(404).end('expired')
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(file.bytes)
    })
    this.#wss = new WebSocketServer({ server: this.#http })
    this.#wss.on('connection', (socket) => {
      socket.on('message', (data) => this.#onFrame(socket, JSON.parse(data.toString()) as Frame))
    })
    await new Promise<void>((resolve) => this.#http!.listen(0, '127.0.0.1', resolve))
    this.url = `ws://127.0.0.1:${(this.#http.address() as AddressInfo).port}`
    return this
  }

  async stop() {
    for (const client of this.#wss?.clients ?? []) client.terminate()
    await new Promise<void>((resolve) => this.#wss?.close(() => resolve()))
    await new Promise<void>((resolve) => this.#http?.close(() => resolve()))
  }

  /** Resolves once `count` subscriptions in all have succeeded. */
  subscribed(count: number): Promise<void> {
    if (this.subscribes.filter((s) => s.ok).length >= count) return Promise.resolve()
    return new Promise((resolve) => this.#subscribed.push(() => this.subscribes.filter((s) => s.ok).length >= count && resolve()))
  }

  /** A file as WeCom serves a picture: encrypted with a key of its own, at a link that can expire. */
  addFile(bytes: Uint8Array): { url: string; aeskey: string; id: string } {
    const key = randomBytes(32)
    const block = 32
    const pad = block - (bytes.length % block)
    const padded = Buffer.concat([Buffer.from(bytes), Buffer.alloc(pad, pad)])
    const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false)
    const id = `f${++this.#seq}`
    this.#files.set(id, { bytes: Buffer.concat([cipher.update(padded), cipher.final()]), expired: false })
    return { id, url: `${this.url.replace('ws://', 'http://')}/file/${id}`, aeskey: key.toString('base64') }
  }

  expire(id: string) {
    this.#files.get(id)!.expired = true
  }

  /** Pushes a message callback to the connected bot; returns the callback's req_id. */
  pushMessage(body: Record<string, unknown>): string {
    return this.#push('aibot_msg_callback', body)
  }

  pushEvent(body: Record<string, unknown>): string {
    return this.#push('aibot_event_callback', body)
  }

  /** The network drops: the socket closes without a word (the SDK reconnects and subscribes again). */
  dropConnection() {
    this.#socket?.terminate()
    this.#socket = undefined
  }

  /** The next frame of this kind is answered with an errcode. */
  failNext(cmd: string, errcode: number) {
    this.#failNext.set(cmd, errcode)
  }

  sentTo(chatId: string): DeliveredMessage[] {
    return this.messages.filter((m) => m.chatId === chatId)
  }

  get connected(): boolean {
    return this.#socket !== undefined
  }

  #push(cmd: string, body: Record<string, unknown>): string {
    if (!this.#socket) throw new Error('no bot connected')
    const reqId = `cb_${++this.#seq}`
    const chat = body.chattype === 'group' ? String(body.chatid) : String((body.from as { userid: string }).userid)
    this.#callbacks.set(reqId, chat)
    this.#socket.send(JSON.stringify({ cmd, headers: { req_id: reqId }, body }))
    return reqId
  }

  #onFrame(socket: WebSocket, frame: Frame) {
    const reqId = frame.headers?.req_id ?? ''
    const answer = (extra: Record<string, unknown> = {}, errcode = 0) =>
      socket.send(JSON.stringify({ headers: { req_id: reqId }, errcode, errmsg: errcode ? 'refused' : 'ok', ...extra }))
    const failed = this.#failNext.get(frame.cmd)
    if (failed !== undefined) {
      this.#failNext.delete(frame.cmd)
      return answer({}, failed)
    }
    const body = (frame.body ?? {}) as Record<string, unknown>
    switch (frame.cmd) {
      case 'aibot_subscribe': {
        const ok = body.bot_id === this.botId && body.secret === this.secret
        this.subscribes.push({ botId: String(body.bot_id), ok })
        if (ok) this.#socket = socket
        answer({}, ok ? 0 : 40001)
        if (ok) for (const wake of this.#subscribed) wake()
        return
      }
      case 'ping':
        return answer()
      case 'aibot_respond_msg': {
        const chatId = this.#callbacks.get(reqId)
        if (!chatId) return answer({}, 40008)
        this.messages.push({ via: 'respond', chatId, msgtype: String(body.msgtype), body, reqId })
        return answer()
      }
      case 'aibot_respond_update_msg': {
        const card = body.template_card as Record<string, unknown>
        this.cardUpdates.push({ taskId: String(card.task_id), card })
        return answer()
      }
      case 'aibot_send_msg':
        this.messages.push({ via: 'send', chatId: String(body.chatid), msgtype: String(body.msgtype), body, reqId })
        return answer()
      case 'aibot_upload_media_init': {
        const uploadId = `up_${++this.#seq}`
        this.#uploads.set(uploadId, { type: String(body.type), filename: String(body.filename), chunks: [] })
        return answer({ body: { upload_id: uploadId } })
      }
      case 'aibot_upload_media_chunk': {
        const upload = this.#uploads.get(String(body.upload_id))
        if (!upload) return answer({}, 40001)
        upload.chunks[Number(body.chunk_index)] = Buffer.from(String(body.base64_data), 'base64')
        return answer()
      }
      case 'aibot_upload_media_finish': {
        const upload = this.#uploads.get(String(body.upload_id))
        if (!upload) return answer({}, 40001)
        const mediaId = `media_${++this.#seq}`
        this.media.set(mediaId, { type: upload.type, filename: upload.filename, bytes: Buffer.concat(upload.chunks) })
        return answer({ body: { type: upload.type, media_id: mediaId, created_at: String(Date.now()) } })
      }
      default:
        return answer({}, 40000)
    }
  }
}

interface Frame {
  cmd: string
  headers?: { req_id?: string }
  body?: unknown
}
