import { randomBytes } from 'node:crypto'
import type { Accept, Inbound, Outgoing, Receiver, Sender, SendOptions } from '../../delivery/channel.js'

/**
 * The local console: the embedded default channel, receiver and sender at once. Its "platform" is
 * this process — the chat page and the JSON API post inbound messages here, and what the bot sends
 * is read back from the outbox (see transcript.ts), so a delivered message needs no store of its own.
 */
export class ConsoleChannel implements Receiver, Sender {
  readonly platform = 'console'
  #accept: Accept | undefined
  readonly #listeners = new Set<(chatId: string) => void>()

  async start(accept: Accept): Promise<void> {
    this.#accept = accept
  }

  async stop(): Promise<void> {
    this.#accept = undefined
  }

  /** What the page and the JSON API call: one way in, like every other channel; resolves once this message is handled. */
  async receive(message: Omit<Inbound, 'platform' | 'messageId' | 'at'> & { messageId?: string; at: Date }) {
    if (!this.#accept) throw new Error('console channel not started')
    const inbound: Inbound = {
      ...message,
      platform: this.platform,
      // random, not a per-process counter: two instances on one database must never give one id twice
      messageId: message.messageId ?? `in-${message.at.getTime()}-${randomBytes(8).toString('hex')}`,
    }
    const accepted = await this.#accept(inbound)
    if (accepted.status === 'accepted') await accepted.handled
    this.#notify(inbound.chatId)
    return inbound.messageId
  }

  async send(chatId: string, _message: Outgoing, options: SendOptions): Promise<{ messageId: string }> {
    this.#notify(chatId)
    return { messageId: `out-${options.idempotencyKey}` }
  }

  /** The transcript shows a card as its latest version (transcript.ts folds updates in): nothing to do but say so. */
  async update(chatId: string): Promise<void> {
    this.#notify(chatId)
  }

  async fetchMedia(media: NonNullable<Inbound['media']>): Promise<Uint8Array> {
    if (!media.handle.startsWith('base64:')) throw new Error(`unknown console media handle`)
    return Buffer.from(media.handle.slice('base64:'.length), 'base64')
  }

  /** Long-poll support for the page: resolves when something happens in `chatId`. */
  onActivity(listener: (chatId: string) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #notify(chatId: string) {
    for (const listener of this.#listeners) listener(chatId)
  }
}
