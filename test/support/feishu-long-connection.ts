import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

/**
 * A local stand-in for Feishu's long-connection gateway, speaking what the SDK's `WSClient`
 * (@larksuiteoapi/node-sdk 1.74, lib/index.js `class WSClient`) expects:
 *
 * - the endpoint request `POST {domain}/callback/ws/endpoint` with `{AppID, AppSecret}`, answered
 *   `{code: 0, data: {URL, ClientConfig: {PingInterval, ReconnectCount, ReconnectInterval,
 *   ReconnectNonce}}}` (seconds), or a refusal `{code ≠ 0, msg, data: {}}`, which the SDK does not retry;
 * - binary frames, protobuf `pbbp2.Frame` {1 SeqID, 2 LogID, 3 service, 4 method (0 control, 1 data),
 *   5 headers [{1 key, 2 value}], 6 payloadEncoding, 7 payloadType, 8 payload, 9 LogIDNew};
 * - the client's ping (control, `type: ping`), answered by a pong whose payload is the ClientConfig;
 * - events as data frames with headers `type: event`, `message_id`, `sum`, `seq`, `trace_id`: an event
 *   may come in `sum` parts of its JSON bytes, the SDK joins them by message id;
 * - the acknowledgement the SDK sends back per event: the last frame echoed with a `biz_rt` header and
 *   the payload `{code: 200 | 500, data?: base64(JSON answer)}` — the card callback's answer is in it.
 *
 * Like Feishu, an event not acknowledged (the connection dropped first) is delivered again on the
 * next connection, so the bot must dedupe.
 */
export interface Ack {
  code: number
  answer: Record<string, unknown> | undefined
  headers: Record<string, string>
}

export interface LongConnectionOptions {
  appId: string
  appSecret: string
}

const SERVICE_ID = 33554678

export class FakeLongConnection {
  /** every endpoint request, in order */
  readonly endpointRequests: Array<{ body: Record<string, unknown>; refused: boolean }> = []
  /** every connection the SDK opened */
  readonly connections: Array<{ url: string; at: number }> = []
  readonly pings: number[] = []
  /** each event's data frames sent, by message id (a redelivery counts again) */
  readonly sent = new Map<string, number>()
  #http: Server | undefined
  #wss: WebSocketServer | undefined
  #socket: WebSocket | undefined
  #refuse: { code: number; msg: string } | undefined
  #tickets = new Set<string>()
  #pending = new Map<string, { frames: Buffer[]; resolve: (ack: Ack) => void }>()
  #waitingForConnection: Array<() => void> = []
  #seq = 0
  url = ''

  constructor(readonly options: LongConnectionOptions) {}

  async start(): Promise<this> {
    this.#http = createServer((_req, res) => void res.writeHead(404).end())
    this.#wss = new WebSocketServer({ noServer: true })
    this.#http.on('upgrade', (req: IncomingMessage, socket, head) => {
      const ticket = new URL(req.url ?? '/', 'ws://x').searchParams.get('ticket')
      if (!ticket || !this.#tickets.has(ticket)) {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
        return
      }
      this.#tickets.delete(ticket) // a ticket is good for one connection
      this.#wss!.handleUpgrade(req, socket, head, (ws) => this.#connected(ws, req.url ?? ''))
    })
    await new Promise<void>((resolve) => this.#http!.listen(0, '127.0.0.1', resolve))
    this.url = `ws://127.0.0.1:${(this.#http.address() as AddressInfo).port}`
    return this
  }

  async stop() {
    for (const socket of this.#wss?.clients ?? []) socket.terminate()
    this.#wss?.close()
    this.#http?.closeAllConnections()
    await new Promise<void>((resolve) => (this.#http ? this.#http.close(() => resolve()) : resolve()))
  }

  /** The endpoint request (the fake Open API passes `/callback/ws/endpoint` here). */
  endpoint(body: Record<string, unknown>): { status: number; json: Record<string, unknown> } {
    const refused = this.#refuse ?? (body.AppID !== this.options.appId || body.AppSecret !== this.options.appSecret ? { code: 514, msg: 'auth failed' } : undefined)
    this.endpointRequests.push({ body, refused: Boolean(refused) })
    if (refused) return { status: 200, json: { code: refused.code, msg: refused.msg, data: {} } }
    const ticket = randomBytes(8).toString('hex')
    this.#tickets.add(ticket)
    // qs-parsed by the SDK: device_id and service_id must not be the first parameter
    const URL = `${this.url}/ws/v2?fpid=493&aid=552564&device_id=dev_${this.connections.length + 1}&access_key=ak&service_id=${SERVICE_ID}&ticket=${ticket}`
    return { status: 200, json: { code: 0, msg: 'ok', data: { URL, ClientConfig: this.#clientConfig() } } }
  }

  /** From now on the endpoint request is refused with this code (the SDK gives up: no retry). */
  refuse(refusal: { code: number; msg: string } | undefined) {
    this.#refuse = refusal
  }

  get connected(): boolean {
    return this.#socket?.readyState === 1
  }

  /** Resolves once a connection is open (now, or the next one). */
  whenConnected(): Promise<void> {
    if (this.connected) return Promise.resolve()
    return new Promise((resolve) => this.#waitingForConnection.push(resolve))
  }

  /** The connection drops (as a network failure would): the SDK asks for an endpoint again and reconnects. */
  drop() {
    this.#socket?.terminate()
    this.#socket = undefined
  }

  /**
   * Sends an event in `parts` frames and resolves with the SDK's acknowledgement. Not acknowledged
   * before the connection drops, it is sent again on the next one. `dropAfterSending` cuts the
   * connection right after the frames went out, before any acknowledgement can come back.
   */
  deliver(event: Record<string, unknown>, opts: { parts?: number; messageId?: string; dropAfterSending?: boolean } = {}): Promise<Ack> {
    const messageId = opts.messageId ?? `lc_${(++this.#seq).toString(16).padStart(12, '0')}`
    const bytes = Buffer.from(JSON.stringify(event), 'utf8')
    const sum = Math.max(1, opts.parts ?? 1)
    const size = Math.ceil(bytes.length / sum)
    const traceId = randomBytes(6).toString('hex')
    const frames = Array.from({ length: sum }, (_, seq) =>
      encodeFrame({
        SeqID: 0,
        LogID: 0,
        service: SERVICE_ID,
        method: 1,
        headers: [
          { key: 'type', value: 'event' },
          { key: 'message_id', value: messageId },
          { key: 'sum', value: String(sum) },
          { key: 'seq', value: String(seq) },
          { key: 'trace_id', value: traceId },
        ],
        payload: bytes.subarray(seq * size, (seq + 1) * size),
      }),
    )
    return new Promise<Ack>((resolve) => {
      this.#pending.set(messageId, { frames, resolve })
      if (this.#socket && this.connected) this.#send(this.#socket, messageId, frames, opts.dropAfterSending)
    })
  }

  /** Sends raw frames (a malformed one, or parts out of order) without waiting for anything. */
  sendRaw(frames: Buffer[]) {
    for (const f of frames) this.#socket?.send(f)
  }

  #send(socket: WebSocket, messageId: string, frames: Buffer[], dropAfter = false) {
    this.sent.set(messageId, (this.sent.get(messageId) ?? 0) + 1)
    frames.forEach((frame, i) =>
      socket.send(frame, () => {
        if (dropAfter && i === frames.length - 1 && socket === this.#socket) this.drop()
      }),
    )
  }

  #connected(socket: WebSocket, url: string) {
    this.#socket?.terminate()
    this.#socket = undefined
    this.connections.push({ url, at: Date.now() })
    socket.on('message', (data: Buffer) => this.#onFrame(socket, decodeFrame(data)))
  }

  /**
   * The connection is ready for events once the client's first ping came in: the SDK sends it from
   * its `open` handler and attaches its message listener only after that — a frame sent before
   * could arrive with the handshake answer and be lost.
   */
  #ready(socket: WebSocket) {
    this.#socket = socket
    // what was not acknowledged on the last connection comes again
    for (const [messageId, p] of this.#pending) this.#send(socket, messageId, p.frames)
    for (const resolve of this.#waitingForConnection.splice(0)) resolve()
  }

  #onFrame(socket: WebSocket, frame: Frame) {
    const headers = Object.fromEntries(frame.headers.map((h) => [h.key, h.value]))
    if (frame.method === 0) {
      if (headers.type === 'ping') {
        this.pings.push(Date.now())
        socket.send(encodeFrame({ ...frame, headers: [{ key: 'type', value: 'pong' }], payload: Buffer.from(JSON.stringify(this.#clientConfig())) }))
        if (this.#socket !== socket) this.#ready(socket)
      }
      return
    }
    const messageId = headers.message_id
    const pending = messageId ? this.#pending.get(messageId) : undefined
    if (!pending) return
    this.#pending.delete(messageId!)
    const body = JSON.parse(Buffer.from(frame.payload ?? []).toString('utf8')) as { code: number; data?: string }
    pending.resolve({
      code: body.code,
      answer: body.data ? (JSON.parse(Buffer.from(body.data, 'base64').toString('utf8')) as Record<string, unknown>) : undefined,
      headers,
    })
  }

  #clientConfig() {
    // seconds; reconnect at once (no random delay) so a test never waits on the wall clock
    return { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 }
  }
}

// --- pbbp2.Frame, by hand (the SDK's own encoder is not exported) --------------------------------

export interface Frame {
  SeqID: number
  LogID: number
  service: number
  method: number
  headers: Array<{ key: string; value: string }>
  payloadEncoding?: string
  payloadType?: string
  payload?: Uint8Array
  LogIDNew?: string
}

function varint(n: number): number[] {
  const out: number[] = []
  let v = BigInt.asUintN(64, BigInt(n))
  do {
    let byte = Number(v & 0x7fn)
    v >>= 7n
    if (v) byte |= 0x80
    out.push(byte)
  } while (v)
  return out
}

const tag = (field: number, wire: number) => varint((field << 3) | wire)
const bytesField = (field: number, bytes: Uint8Array) => [...tag(field, 2), ...varint(bytes.length), ...bytes]
const stringField = (field: number, s: string) => bytesField(field, Buffer.from(s, 'utf8'))

export function encodeFrame(frame: Frame): Buffer {
  const out: number[] = [...tag(1, 0), ...varint(frame.SeqID), ...tag(2, 0), ...varint(frame.LogID), ...tag(3, 0), ...varint(frame.service), ...tag(4, 0), ...varint(frame.method)]
  for (const h of frame.headers) out.push(...bytesField(5, Uint8Array.from([...stringField(1, h.key), ...stringField(2, h.value)])))
  if (frame.payloadEncoding !== undefined) out.push(...stringField(6, frame.payloadEncoding))
  if (frame.payloadType !== undefined) out.push(...stringField(7, frame.payloadType))
  if (frame.payload !== undefined) out.push(...bytesField(8, frame.payload))
  if (frame.LogIDNew !== undefined) out.push(...stringField(9, frame.LogIDNew))
  return Buffer.from(out)
}

export function decodeFrame(buffer: Uint8Array): Frame {
  const frame: Frame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] }
  const fields = readFields(buffer)
  for (const f of fields) {
    if (f.field === 1) frame.SeqID = Number(f.varint)
    else if (f.field === 2) frame.LogID = Number(f.varint)
    else if (f.field === 3) frame.service = Number(BigInt.asIntN(32, f.varint!))
    else if (f.field === 4) frame.method = Number(BigInt.asIntN(32, f.varint!))
    else if (f.field === 5) {
      const h = readFields(f.bytes!)
      frame.headers.push({ key: text(h.find((x) => x.field === 1)?.bytes), value: text(h.find((x) => x.field === 2)?.bytes) })
    } else if (f.field === 6) frame.payloadEncoding = text(f.bytes)
    else if (f.field === 7) frame.payloadType = text(f.bytes)
    else if (f.field === 8) frame.payload = f.bytes!
    else if (f.field === 9) frame.LogIDNew = text(f.bytes)
  }
  return frame
}

const text = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('utf8') : '')

function readFields(buf: Uint8Array): Array<{ field: number; varint?: bigint; bytes?: Uint8Array }> {
  const out: Array<{ field: number; varint?: bigint; bytes?: Uint8Array }> = []
  let pos = 0
  const readVarint = () => {
    let result = 0n
    let shift = 0n
    for (;;) {
      const byte = buf[pos++]!
      result |= BigInt(byte & 0x7f) << shift
      if (!(byte & 0x80)) return result
      shift += 7n
    }
  }
  while (pos < buf.length) {
    const key = Number(readVarint())
    const field = key >>> 3
    const wire = key & 7
    if (wire === 0) out.push({ field, varint: readVarint() })
    else if (wire === 2) {
      const len = Number(readVarint())
      out.push({ field, bytes: buf.subarray(pos, pos + len) })
      pos += len
    } else throw new Error(`unexpected wire type ${wire}`)
  }
  return out
}
