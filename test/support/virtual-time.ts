import type { PacerClock } from '../../bot/feishu/pacer.js'

/**
 * Virtual time for a whole runtime: `now()` for the pipeline and the outbox, `sleep()` for the
 * channel's pacing, and the same clock in the fake Open API server. Time moves only when every
 * sleeper is waiting and nothing is `busy` (no API call between its rate slot and its answer):
 * then it jumps to the earliest wake-up. So a request is stamped by the server at the instant the
 * channel took its slot — as on a fast network — and minutes of pacing pass in milliseconds.
 */
export class VirtualTime implements PacerClock {
  #t: number
  #sleepers: Array<{ at: number; resolve: () => void }> = []
  #pumping = false
  busy: () => boolean = () => false

  constructor(start: Date | string) {
    this.#t = new Date(start).getTime()
  }

  now = (): number => this.#t
  date = (): Date => new Date(this.#t)

  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.#sleepers.push({ at: this.#t + Math.max(0, ms), resolve })
      this.#pump()
    })

  /** Moves time forward by hand (backoffs the outbox waits for, days between steps of a scenario). */
  advance(ms: number) {
    this.#t += ms
    this.#wake()
  }

  advanceTo(t: Date | number) {
    const target = typeof t === 'number' ? t : t.getTime()
    if (target > this.#t) this.advance(target - this.#t)
  }

  #wake() {
    const due = this.#sleepers.filter((s) => s.at <= this.#t)
    this.#sleepers = this.#sleepers.filter((s) => s.at > this.#t)
    for (const s of due) s.resolve()
  }

  #pump() {
    if (this.#pumping) return
    this.#pumping = true
    const step = () => {
      if (this.#sleepers.length === 0) {
        this.#pumping = false
        return
      }
      if (!this.busy()) {
        const next = Math.min(...this.#sleepers.map((s) => s.at))
        if (next > this.#t) this.#t = next
        this.#wake()
      }
      setImmediate(step)
    }
    setImmediate(step)
  }
}

/** The same interface on the wall clock (the benchmark): waiting really waits. */
export class RealTime implements PacerClock {
  busy: () => boolean = () => false
  now = (): number => Date.now()
  date = (): Date => new Date()
  sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
  advance(_ms: number): never {
    throw new Error('the wall clock cannot be moved: use virtual time')
  }
  async advanceTo(t: Date | number) {
    const target = typeof t === 'number' ? t : t.getTime()
    if (target > Date.now()) await this.sleep(target - Date.now())
  }
}
