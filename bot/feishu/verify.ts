import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Feishu's request signing and event encryption, as pure functions (the clock is a parameter).
 * Signature: sha256_hex(timestamp + nonce + encryptKey + rawBody), over the raw bytes as received —
 * the SDK checks `JSON.stringify(parsed)` instead, which differs from the body whenever Feishu's
 * serialisation does (key order, escapes), and it only logs a failure. So we check ourselves: the
 * webhook with the WebCrypto twin of these (web-crypto.ts); these node:crypto ones make test events.
 */
import { MAX_REQUEST_AGE_MS, type SignedHeaders, type Verdict } from './verify-rules.js'

export { MAX_REQUEST_AGE_MS, type SignedHeaders, type Verdict } from './verify-rules.js'

export function signatureOf(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey + rawBody).digest('hex')
}

export function verifyRequest(rawBody: string, headers: SignedHeaders, encryptKey: string, now: Date, maxAgeMs = MAX_REQUEST_AGE_MS): Verdict {
  const { timestamp, nonce, signature } = headers
  if (!timestamp || !nonce || !signature) return { ok: false, rule: 'missing_headers' }
  const sentAt = Number(timestamp) * 1000
  if (!Number.isFinite(sentAt) || Math.abs(now.getTime() - sentAt) > maxAgeMs) return { ok: false, rule: 'staleness' }
  const expected = Buffer.from(signatureOf(timestamp, nonce, encryptKey, rawBody), 'utf8')
  const given = Buffer.from(signature.toLowerCase(), 'utf8')
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, rule: 'signature' }
  return { ok: true }
}

const keyOf = (encryptKey: string) => createHash('sha256').update(encryptKey).digest()

/** AES-256-CBC, key sha256(encryptKey), the IV as the first 16 bytes, base64. Throws on a bad key or ciphertext. */
export function decryptEvent(encrypted: string, encryptKey: string): string {
  const bytes = Buffer.from(encrypted, 'base64')
  if (bytes.length < 32 || bytes.length % 16 !== 0) throw new Error('ciphertext has the wrong length')
  const decipher = createDecipheriv('aes-256-cbc', keyOf(encryptKey), bytes.subarray(0, 16))
  return Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString('utf8')
}

/** What Feishu does before posting (used by the tests and by anyone replaying a captured event). */
export function encryptEvent(plaintext: string, encryptKey: string, iv: Buffer = randomBytes(16)): string {
  const cipher = createCipheriv('aes-256-cbc', keyOf(encryptKey), iv)
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64')
}
