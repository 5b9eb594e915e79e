import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { ROBOT_PLATFORM, robotKey } from '../../db/queries/webhook-robots.js'
import type { Database } from '../../db/schema.js'
import { MediaUnavailableError, PLATFORM_CALL_TIMEOUT_MS, RetryableSendError, type Outgoing, type Sender, type SendOptions } from '../../delivery/channel.js'
import { cardAsText } from '../../render/card-text.js'
import { classifySendError, WecomApiError } from './send-errors.js'
import { escapeMd } from './template-card.js'
import { OFFICIAL_WEBHOOK_BASE } from './config.js'

/**
 * The WeCom group robot (消息推送): send-only, for groups the 智能机器人 cannot join. Each chat is
 * a robot key (kept in webhook_robots, the chat named by its digest); messages are POSTed to
 * `<base>/send?key=…` — text as text, cards as markdown with the commands to type (nobody can
 * answer a robot, so the card says where to), pictures as base64 images, files through
 * upload_media. WeCom allows 20 messages a minute per robot: this sender keeps below that and
 * never waits inside a send — a robot whose minute is full hands its row back to the outbox with
 * the time to wait, and 130101 (over the limit anyway: another system posting) holds it a minute.
 */
export interface RobotLimit {
  count: number
  windowMs: number
}

// below WeCom's 20/min, with a second of margin for the clocks of two machines
export const ROBOT_LIMIT: RobotLimit = { count: 18, windowMs: 61_000 }


// WeCom's own caps, in bytes of UTF-8
const TEXT_BYTES = 2048
const MARKDOWN_BYTES = 4096
const IMAGE_BYTES = 2 * 1024 * 1024
const MEDIA_REUSE_MS = 2 * 24 * 3600_000 // an uploaded file's media id lasts three days
const RATE_LIMITED = 130101

export interface RobotSenderOptions {
  db: Kysely<Database>
  /** `…/cgi-bin/webhook` of the official service or of a private deployment (政务微信) */
  baseUrl?: string
  now?: () => number
  fetch?: typeof fetch
  log?: (line: string) => void
  limit?: RobotLimit
  timeoutMs?: number
}

type Body = Record<string, unknown>

export class RobotSender implements Sender {
  readonly platform = ROBOT_PLATFORM
  readonly #db: Kysely<Database>
  readonly #base: string
  readonly #now: () => number
  readonly #fetch: typeof fetch
  readonly #limit: RobotLimit
  readonly #timeoutMs: number
  readonly #keys = new Map<string, string>() // chat id → key
  readonly #windows = new Map<string, { stamps: number[]; pausedUntil: number }>() // per key
  readonly #partsSent = new Map<string, number>() // outbox key → parts already out (a retry sends the rest)
  readonly #media = new Map<string, { id: Promise<string>; at: number }>()
  /** total time rows were handed back to wait for a slot, for the benchmark */
  pacedMs = 0

  constructor(options: RobotSenderOptions) {
    this.#db = options.db
    this.#base = (options.baseUrl ?? OFFICIAL_WEBHOOK_BASE).replace(/\/+$/, '')
    this.#now = options.now ?? Date.now
    this.#fetch = options.fetch ?? fetch
    this.#limit = options.limit ?? ROBOT_LIMIT
    this.#timeoutMs = options.timeoutMs ?? PLATFORM_CALL_TIMEOUT_MS
  }

  async send(chatId: string, message: Outgoing, options: SendOptions): Promise<{ messageId: string }> {
    const key = await this.#key(chatId)
    const parts = this.#parts(key, message)
    for (let i = this.#partsSent.get(options.idempotencyKey) ?? 0; i < parts.length; i++) {
      this.#takeSlot(key)
      await this.#post(key, await parts[i]!())
      this.#partsSent.set(options.idempotencyKey, i + 1)
      if (this.#partsSent.size > 5000) this.#partsSent.delete(this.#partsSent.keys().next().value!)
    }
    this.#partsSent.delete(options.idempotencyKey)
    return { messageId: `robot:${digest(options.idempotencyKey)}` }
  }

  /** Nothing comes in through a robot. */
  async fetchMedia(): Promise<Uint8Array> {
    throw new MediaUnavailableError('wecom-robot: a group robot receives nothing')
  }

  /** What one outbox message becomes: a picture first when a card has one, long text in pieces. */
  #parts(key: string, message: Outgoing): Array<() => Promise<Body>> {
    switch (message.kind) {
      case 'text':
        return chunks(message.text, TEXT_BYTES).map((content) => async () => ({ msgtype: 'text', text: { content } }))
      case 'card': {
        const markdown = cardAsText(message.card, { markdown: true, escape: escapeMd, commandsHeading: '群机器人收不到回复，请私聊卫片执法助手发送以下文字办理：' })
        const text = chunks(markdown, MARKDOWN_BYTES).map((content) => async () => ({ msgtype: 'markdown', markdown: { content } }))
        return message.card.image ? [async () => imageBody(message.card.image!.png), ...text] : text
      }
      case 'image':
        return [async () => imageBody(message.png)]
      case 'file':
        return [async () => ({ msgtype: 'file', file: { media_id: await this.#upload(key, message.bytes, message.fileName) } })]
    }
  }

  async #key(chatId: string): Promise<string> {
    const cached = this.#keys.get(chatId)
    if (cached) return cached
    const key = await robotKey(this.#db, chatId)
    if (!key) throw new WecomApiError(`wecom-robot: ${chatId} is not bound to a robot any more`, undefined)
    this.#keys.set(chatId, key)
    return key
  }

  /** A slot in this robot's minute, or the row goes back to the outbox until one is free. */
  #takeSlot(key: string) {
    const now = this.#now()
    const w = this.#windows.get(key) ?? { stamps: [], pausedUntil: 0 }
    this.#windows.set(key, w)
    while (w.stamps.length > 0 && w.stamps[0]! <= now - this.#limit.windowMs) w.stamps.shift()
    const byCount = w.stamps.length < this.#limit.count ? 0 : w.stamps[0]! + this.#limit.windowMs - now
    const wait = Math.max(byCount, w.pausedUntil - now)
    if (wait > 0) {
      this.pacedMs += wait
      throw new RetryableSendError(`wecom-robot: ${this.#limit.count} messages a minute per robot, next slot in ${wait} ms`, wait)
    }
    w.stamps.push(now)
  }

  async #post(key: string, body: Body): Promise<void> {
    const answer = await this.#call(`${this.#base}/send?key=${encodeURIComponent(key)}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    }, `send ${String(body.msgtype)}`)
    if (answer.errcode === RATE_LIMITED) {
      const w = this.#windows.get(key)!
      w.pausedUntil = Math.max(w.pausedUntil, this.#now() + 60_000)
      throw new RetryableSendError(`wecom-robot: errcode ${RATE_LIMITED} ${answer.errmsg ?? ''}`.trim(), 60_000)
    }
  }

  /** upload_media (type=file): one upload per robot and content while its media id lasts. */
  #upload(key: string, bytes: Uint8Array, fileName: string): Promise<string> {
    const cacheKey = `${digest(key)}:${createHash('sha256').update(bytes).digest('hex')}`
    const cached = this.#media.get(cacheKey)
    if (cached && this.#now() - cached.at < MEDIA_REUSE_MS) return cached.id
    const form = new FormData()
    form.append('media', new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }), fileName)
    const id = this.#call(`${this.#base}/upload_media?key=${encodeURIComponent(key)}&type=file`, { method: 'POST', body: form }, 'upload file').then((answer) => {
      if (!answer.media_id) throw new WecomApiError('wecom-robot: upload_media gave no media_id', answer.errcode)
      return answer.media_id
    })
    id.catch(() => this.#media.delete(cacheKey)) // a failed upload is tried again next time
    this.#media.set(cacheKey, { id, at: this.#now() })
    return id
  }

  async #call(url: string, init: RequestInit, what: string): Promise<{ errcode: number; errmsg?: string; media_id?: string }> {
    let response: Response
    try {
      response = await this.#fetch(url, { ...init, signal: AbortSignal.timeout(this.#timeoutMs) })
    } catch (error) {
      throw new RetryableSendError(`wecom-robot: ${what}: ${(error as Error).message}`, undefined, { cause: error })
    }
    if (response.status >= 500 || response.status === 429) throw new RetryableSendError(`wecom-robot: ${what}: HTTP ${response.status}`)
    let answer: { errcode?: unknown; errmsg?: unknown; media_id?: unknown }
    try {
      answer = (await response.json()) as typeof answer
    } catch (error) {
      throw new RetryableSendError(`wecom-robot: ${what}: HTTP ${response.status}, no JSON`, undefined, { cause: error })
    }
    const errcode = typeof answer.errcode === 'number' ? answer.errcode : -1
    const receipt = { errcode, errmsg: typeof answer.errmsg === 'string' ? answer.errmsg : '' }
    if (errcode === 0 || errcode === RATE_LIMITED) return { ...receipt, ...(typeof answer.media_id === 'string' ? { media_id: answer.media_id } : {}) }
    throw classifySendError(receipt, `wecom-robot: ${what}`)
  }
}

function imageBody(png: Uint8Array): Body {
  if (png.byteLength > IMAGE_BYTES) throw new WecomApiError(`wecom-robot: picture of ${png.byteLength} bytes, over the robot's 2 MB`, undefined)
  const bytes = Buffer.from(png)
  return { msgtype: 'image', image: { base64: bytes.toString('base64'), md5: createHash('md5').update(bytes).digest('hex') } }
}

/** Text cut at line ends (characters when a line alone is too long) into pieces of at most `max` bytes. */
export function chunks(text: string, max: number): string[] {
  const out: string[] = []
  let current = ''
  const push = () => {
    if (current) out.push(current)
    current = ''
  }
  for (const line of text.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line
    if (Buffer.byteLength(candidate) <= max) {
      current = candidate
      continue
    }
    push()
    if (Buffer.byteLength(line) <= max) current = line
    else for (const ch of line) Buffer.byteLength(current + ch) > max ? (push(), (current = ch)) : (current += ch)
  }
  push()
  return out.length ? out : ['']
}

const digest = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 32)
