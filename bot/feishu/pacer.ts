/**
 * Paces sends so a burst stays inside Feishu's limits (about 50 messages/s per app, 5/s per chat —
 * Feishu's numbers, not the county's policy). A sliding window per chat and one per app: a send
 * waits until both have room, then takes a slot in both. The clock is injected, so tests run a
 * burst of minutes in milliseconds.
 */
export interface PacerClock {
  now(): number // ms
  sleep(ms: number): Promise<void>
}

export const realClock: PacerClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}

export interface Limit {
  count: number
  windowMs: number
}

/** Feishu's documented limits, with a small margin on the window for clock skew and latency. */
export const FEISHU_LIMITS = {
  perApp: { count: 50, windowMs: 1000 },
  perChat: { count: 5, windowMs: 1000 },
  uploads: { count: 50, windowMs: 1000 }, // im.image.create / im.file.create, counted apart from messages
  marginMs: 50,
} as const

export interface PacerLimits {
  perApp: Limit
  perChat: Limit
  uploads: Limit
  marginMs: number
}

export class SlidingWindow {
  readonly #stamps: number[] = []
  #pausedUntil = 0
  constructor(readonly limit: Limit) {}

  /** How long to wait from `now` before a slot is free (0: free now). */
  waitMs(now: number): number {
    while (this.#stamps.length > 0 && this.#stamps[0]! <= now - this.limit.windowMs) this.#stamps.shift()
    const byCount = this.#stamps.length < this.limit.count ? 0 : this.#stamps[0]! + this.limit.windowMs - now
    return Math.max(byCount, this.#pausedUntil - now, 0)
  }

  take(now: number) {
    this.#stamps.push(now)
  }

  /** The platform said "too many": nothing goes out before `until`. */
  pauseUntil(until: number) {
    this.#pausedUntil = Math.max(this.#pausedUntil, until)
  }

  idleSince(now: number): boolean {
    return this.#pausedUntil <= now && (this.#stamps.length === 0 || this.#stamps[this.#stamps.length - 1]! <= now - this.limit.windowMs)
  }
}

export class Pacer {
  readonly #app: SlidingWindow
  readonly #uploads: SlidingWindow
  readonly #chats = new Map<string, SlidingWindow>()
  readonly #perChat: Limit
  /** total time spent waiting, for the benchmark */
  waitedMs = 0

  constructor(
    readonly clock: PacerClock = realClock,
    limits: PacerLimits = FEISHU_LIMITS,
  ) {
    const widen = (l: Limit): Limit => ({ count: l.count, windowMs: l.windowMs + limits.marginMs })
    this.#app = new SlidingWindow(widen(limits.perApp))
    this.#uploads = new SlidingWindow(widen(limits.uploads))
    this.#perChat = widen(limits.perChat)
  }

  /** Resolves when a message to `chatId` may go out now; the slot is taken before it resolves. */
  async acquire(chatId: string): Promise<void> {
    const chat = this.#chat(chatId)
    for (;;) {
      const now = this.clock.now()
      const wait = Math.max(chat.waitMs(now), this.#app.waitMs(now))
      if (wait <= 0) {
        chat.take(now)
        this.#app.take(now)
        return
      }
      this.waitedMs += wait
      await this.clock.sleep(wait)
    }
  }

  /** Uploads have a window of their own. */
  async acquireUpload(): Promise<void> {
    for (;;) {
      const wait = this.#uploads.waitMs(this.clock.now())
      if (wait <= 0) return this.#uploads.take(this.clock.now())
      this.waitedMs += wait
      await this.clock.sleep(wait)
    }
  }

  /** A rate-limit answer: hold this chat (or, without a chat, the whole app) for `ms`. */
  hold(chatId: string | undefined, ms: number) {
    const until = this.clock.now() + ms
    if (chatId === undefined) this.#app.pauseUntil(until)
    else this.#chat(chatId).pauseUntil(until)
  }

  #chat(chatId: string): SlidingWindow {
    let w = this.#chats.get(chatId)
    if (!w) {
      if (this.#chats.size > 1000) this.#prune()
      this.#chats.set(chatId, (w = new SlidingWindow(this.#perChat)))
    }
    return w
  }

  #prune() {
    const now = this.clock.now()
    for (const [id, w] of this.#chats) if (w.idleSince(now)) this.#chats.delete(id)
  }
}
