import { platformMessageId } from './inbound-map.js'
import { sha256Hex } from './web-crypto.js'

/** What both Feishu senders (the SDK's, sender.ts; fetch, fetch-sender.ts) need alike. No SDK, no node:*. */

/**
 * Feishu's `uuid` (request dedupe for an hour) takes at most 50 characters: longer keys are hashed —
 * the same value as sender.ts's `feishuUuid`, so a Node instance and the worker sending one outbox
 * row make one message.
 */
export async function feishuUuidOf(key: string): Promise<string> {
  if (key.length <= 50 && /^[\x21-\x7e]+$/.test(key)) return key
  const h = await sha256Hex(key)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

/** Only a real message can be replied to: a button click's id is an event id, a post's pictures carry a suffix. */
export function replyTarget(replyTo: string): string | undefined {
  const id = platformMessageId(replyTo)
  return id.startsWith('om_') ? id : undefined
}

export function fileTypeOf(name: string): 'opus' | 'mp4' | 'pdf' | 'doc' | 'xls' | 'ppt' | 'stream' {
  const ext = name.toLowerCase().split('.').pop() ?? ''
  if (ext === 'doc' || ext === 'docx') return 'doc'
  if (ext === 'xls' || ext === 'xlsx') return 'xls'
  if (ext === 'ppt' || ext === 'pptx') return 'ppt'
  if (ext === 'pdf' || ext === 'mp4' || ext === 'opus') return ext
  return 'stream'
}
