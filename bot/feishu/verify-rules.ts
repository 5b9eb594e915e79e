/** The webhook's rules, shared by the node:crypto (verify.ts) and the WebCrypto (web-crypto.ts) checks. */
export interface SignedHeaders {
  timestamp: string | undefined // x-lark-request-timestamp, seconds
  nonce: string | undefined // x-lark-request-nonce
  signature: string | undefined // x-lark-signature
}

export type Verdict = { ok: true } | { ok: false; rule: 'missing_headers' | 'staleness' | 'signature' }

/**
 * Signed requests further than this from our clock are refused. Wide enough for Feishu's retry
 * schedule (5 s, 5 min, 1 h, 6 h) should a retry keep its first timestamp; a replay inside the window
 * is caught by the inbound store's dedupe on message and event id.
 */
export const MAX_REQUEST_AGE_MS = 7 * 60 * 60_000
