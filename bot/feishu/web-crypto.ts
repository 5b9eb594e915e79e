import { MAX_REQUEST_AGE_MS, type SignedHeaders, type Verdict } from './verify-rules.js'

/**
 * Feishu's request signing and event encryption over WebCrypto (`crypto.subtle`), which Node 20 and
 * workerd both have — so the Node webhook and the worker share one check (verify.ts keeps the
 * node:crypto versions the tests use to make events). Pure apart from the clock parameter.
 */
const encoder = new TextEncoder()

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('')

export async function sha256Hex(input: string | Uint8Array): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', typeof input === 'string' ? encoder.encode(input) : (input as Uint8Array<ArrayBuffer>)))
}

/** sha256_hex(timestamp + nonce + encryptKey + rawBody) over the raw body as received. */
export function signatureOf(timestamp: string, nonce: string, encryptKey: string, rawBody: string): Promise<string> {
  return sha256Hex(timestamp + nonce + encryptKey + rawBody)
}

/** Compares in time independent of where the strings differ. */
export function sameText(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false
  const a = encoder.encode(given)
  const b = encoder.encode(expected)
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

export async function verifyRequest(rawBody: string, headers: SignedHeaders, encryptKey: string, now: Date, maxAgeMs = MAX_REQUEST_AGE_MS): Promise<Verdict> {
  const { timestamp, nonce, signature } = headers
  if (!timestamp || !nonce || !signature) return { ok: false, rule: 'missing_headers' }
  const sentAt = Number(timestamp) * 1000
  if (!Number.isFinite(sentAt) || Math.abs(now.getTime() - sentAt) > maxAgeMs) return { ok: false, rule: 'staleness' }
  if (!sameText(signature.toLowerCase(), await signatureOf(timestamp, nonce, encryptKey, rawBody))) return { ok: false, rule: 'signature' }
  return { ok: true }
}

// one key per encrypt key and use, derived once: not two WebCrypto calls more on every event
const aesKeys = new Map<string, Promise<CryptoKey>>()
const aesKey = (encryptKey: string, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> => {
  const id = `${usage}\u0000${encryptKey}`
  let key = aesKeys.get(id)
  if (!key) {
    if (aesKeys.size >= 8) aesKeys.clear() // a handful of apps at most; never grows without bound
    key = crypto.subtle.digest('SHA-256', encoder.encode(encryptKey)).then((raw) => crypto.subtle.importKey('raw', raw, { name: 'AES-CBC' }, false, [usage]))
    aesKeys.set(id, key)
  }
  return key
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text)
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** AES-256-CBC, key sha256(encryptKey), the IV as the first 16 bytes, base64. Rejects on a bad key or ciphertext. */
export async function decryptEvent(encrypted: string, encryptKey: string): Promise<string> {
  const bytes = fromBase64(encrypted)
  if (bytes.length < 32 || bytes.length % 16 !== 0) throw new Error('ciphertext has the wrong length')
  const plain = await crypto.subtle.decrypt({ name: 'AES-CBC', iv: bytes.subarray(0, 16) }, await aesKey(encryptKey, 'decrypt'), bytes.subarray(16))
  return new TextDecoder('utf-8', { fatal: true }).decode(plain)
}

/** What Feishu does before posting. */
export async function encryptEvent(plaintext: string, encryptKey: string, iv: Uint8Array<ArrayBuffer> = crypto.getRandomValues(new Uint8Array(16))): Promise<string> {
  const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, await aesKey(encryptKey, 'encrypt'), encoder.encode(plaintext)))
  const out = new Uint8Array(16 + cipher.length)
  out.set(iv)
  out.set(cipher, 16)
  return toBase64(out)
}
