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

/**
 * Feishu's documented limits, with a small margin on the window. Slots count from the call's answer,
 * which is after Feishu counted the request, so latency needs no margin of its own.
 */
export const FEISHU_LIMITS = {
  perApp: { count: 50, windowMs: 1000 },
  perChat: { count: 5, windowMs: 1000 },
  uploads: { count: 50, windowMs: 1000 }, // im.image.create / im.file.create, counted apart from messages
  marginMs: 10, // policy choice: timer granularity only (it was 50 ms while slots counted from the request)
} as const

export interface PacerLimits {
  perApp: Limit
  perChat: Limit
  uploads: Limit
  marginMs: number
}

export class SlidingWindow {
  readonly #stamps: Array<{ at: number }> = [] // oldest first
  #pausedUntil = 0
  constructor(readonly limit: Limit) {}

  /** How long to wait from `now` before a slot is free (0: free now). */
  waitMs(now: number): number {
    while (this.#stamps.length > 0 && this.#stamps[0]!.at <= now - this.limit.windowMs) this.#stamps.shift()
    const byCount = this.#stamps.length < this.limit.count ? 0 : this.#stamps[0]!.at + this.limit.windowMs - now
    return Math.max(byCount, this.#pausedUntil - now, 0)
  }

  /** Takes a slot at `now`; `settle` moves it to when the call was answered. */
  take(now: number): { at: number } {
    const stamp = { at: now }
    this.#stamps.push(stamp)
    return stamp
  }

  /**
   * The platform counts a request when it arrives, which may be well after its slot was taken (a
   * token fetched first, a loaded machine): counted from its answer instead, the window never lets
   * a later request arrive within the platform's window of it.
   */
  settle(stamp: { at: number }, now: number) {
    if (now <= stamp.at) return
    stamp.at = now
    this.#stamps.sort((a, b) => a.at - b.at)
  }

  /** The platform said "too many": nothing goes out before `until`. */
  pauseUntil(until: number) {
    this.#pausedUntil = Math.max(this.#pausedUntil, until)
  }

  idleSince(now: number): boolean {
    return this.#pausedUntil <= now && (this.#stamps.length === 0 || this.#stamps[this.#stamps.length - 1]!.at <= now - this.limit.windowMs)
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

  /**
   * Resolves when a message to `chatId` may go out now; the slot is taken before it resolves. Call
   * the function it resolves with when the call is answered: the slot then counts from that moment.
   */
  async acquire(chatId: string): Promise<() => void> {
    const chat = this.#chat(chatId)
    for (;;) {
      const now = this.clock.now()
      const wait = Math.max(chat.waitMs(now), this.#app.waitMs(now))
      if (wait <= 0) {
        const mine = chat.take(now)
        const app = this.#app.take(now)
        return () => {
          const answered = this.clock.now()
          chat.settle(mine, answered)
          this.#app.settle(app, answered)
        }
      }
      this.waitedMs += wait
      await this.clock.sleep(wait)
    }
  }

  /** Uploads have a window of their own. */
  async acquireUpload(): Promise<void> {
    for (;;) {
      const wait = this.#uploads.waitMs(this.clock.now())
      if (wait <= 0) {
        this.#uploads.take(this.clock.now())
        return
      }
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
