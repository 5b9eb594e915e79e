import type { WsFrameHeaders } from '@wecom/aibot-node-sdk'

/**
 * The callback frames still open for an answer through the respond frame (aibot_respond_msg), by
 * msgid. The first reply to a message takes its frame; later ones, and anything past the window, go
 * out as proactive messages. In memory only: after a restart every reply is proactive, which is fine.
 */
export class RecentFrames {
  readonly #frames = new Map<string, { frame: WsFrameHeaders; at: number }>()
  constructor(
    readonly windowMs: number,
    readonly max = 5000,
  ) {}

  remember(msgid: string, frame: WsFrameHeaders, at: number) {
    this.#frames.set(msgid, { frame: { headers: frame.headers }, at })
    if (this.#frames.size > this.max) this.#frames.delete(this.#frames.keys().next().value!)
  }

  take(msgid: string, now: number): WsFrameHeaders | undefined {
    const entry = this.#frames.get(msgid)
    if (!entry) return undefined
    this.#frames.delete(msgid)
    return now - entry.at <= this.windowMs ? entry.frame : undefined
  }
}
