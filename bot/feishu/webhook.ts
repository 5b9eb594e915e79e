import { decryptEvent, sameText, verifyRequest } from './web-crypto.js'

/**
 * The webhook way in, without HTTP: raw body and headers in, status and JSON out. Everything the
 * SDK leaves to us happens here, before the event mapping sees the event: the signature over the raw
 * body, the request's age, the verification token, the URL-verification challenge. A refused
 * request is answered 401 and goes nowhere. WebCrypto only, no SDK: the Node webhook and the worker
 * run this same check.
 */
export interface WebhookDeps {
  encryptKey: string
  verificationToken: string
  /** the authenticated, decrypted event (schema 2.0 as posted) to the event mapping; its answer is Feishu's */
  handle: (event: Record<string, unknown>) => Promise<unknown>
  now: () => Date
  log: (line: string) => void
}

export type WebhookAnswer = { status: 200 | 400 | 401 | 500; body: Record<string, unknown> }

export async function handleWebhook(deps: WebhookDeps, rawBody: string, header: (name: string) => string | undefined): Promise<WebhookAnswer> {
  const refuse = (rule: string): WebhookAnswer => {
    deps.log(`feishu webhook: refused (${rule})`)
    return { status: 401, body: { error: 'unauthorized' } }
  }
  let outer: Record<string, unknown>
  try {
    outer = asObject(JSON.parse(rawBody))
  } catch {
    return { status: 400, body: { error: 'invalid JSON' } }
  }

  let event = outer
  if (typeof outer.encrypt === 'string') {
    try {
      event = asObject(JSON.parse(await decryptEvent(outer.encrypt, deps.encryptKey)))
    } catch {
      return refuse('decrypt') // a wrong key, or not Feishu
    }
  }

  // the URL check carries no signature: decrypting it with our key and the token are the proof
  if (event.type === 'url_verification') {
    if (!sameText(event.token, deps.verificationToken)) return refuse('token')
    return { status: 200, body: { challenge: event.challenge } }
  }

  const headers = {
    timestamp: header('x-lark-request-timestamp'),
    nonce: header('x-lark-request-nonce'),
    signature: header('x-lark-signature'),
  }
  const verdict = await verifyRequest(rawBody, headers, deps.encryptKey, deps.now())
  if (!verdict.ok) return refuse(verdict.rule)
  // schema 2.0 keeps the token in the header; once flattened, a card event's own `token` would hide it
  const token = (event.header as Record<string, unknown> | undefined)?.token ?? event.token
  if (!sameText(token, deps.verificationToken)) return refuse('token')

  try {
    const result = await deps.handle(event)
    return { status: 200, body: result && typeof result === 'object' ? (result as Record<string, unknown>) : {} }
  } catch (error) {
    // not stored or not scheduled: a 500 makes Feishu deliver it again
    deps.log(`feishu webhook: handler failed: ${String(error)}`)
    return { status: 500, body: { error: 'internal error' } }
  }
}

function asObject(v: unknown): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object')
  return v as Record<string, unknown>
}
