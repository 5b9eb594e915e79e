// A county's own Feishu app or WeCom bot. The secret is stored encrypted (AES-256-GCM, node:crypto)
// with a key from the environment (CREDENTIALS_KEY: 32 bytes, base64 or hex), never in the clear;
// the app id is not a secret. Without the key nothing can be stored or read back.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { AppError } from '../core/errors.js'
import type { Queryable } from './schema.js'

export type CredentialPlatform = 'feishu' | 'wecom'

export class CredentialsError extends AppError<'credentials'> {
  constructor(message: string, readonly fix: string) {
    super('credentials', message)
  }
}

/** The key from CREDENTIALS_KEY: 32 bytes as 64 hex characters or base64. */
export function credentialsKey(text: string | undefined): Buffer | undefined {
  if (!text) return undefined
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64')
  if (key.length !== 32) throw new CredentialsError('CREDENTIALS_KEY 应为 32 字节（64 位十六进制或 base64）', '生成：openssl rand -hex 32，写入 /etc/weipian.env')
  return key
}

export function encryptSecret(plain: string, key: Buffer): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')
}

export function decryptSecret(stored: string, key: Buffer): string {
  const raw = Buffer.from(stored, 'base64')
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12))
  decipher.setAuthTag(raw.subarray(12, 28))
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
  } catch {
    throw new CredentialsError('无法解密已保存的应用密钥：CREDENTIALS_KEY 与保存时不同', '使用保存时的 CREDENTIALS_KEY，或用 credentials set 重新保存该县的密钥')
  }
}

export async function setCredential(db: Queryable, tenantId: number, platform: CredentialPlatform, appId: string, secret: string, key: Buffer, domain: string | null, now: Date) {
  const values = { tenant_id: tenantId, platform, app_id: appId, secret: encryptSecret(secret, key), domain, updated_at: now }
  await db.insertInto('tenant_credentials').values(values)
    .onConflict((oc) => oc.columns(['tenant_id', 'platform']).doUpdateSet({ app_id: appId, secret: values.secret, domain, updated_at: now }))
    .execute()
}

export async function removeCredential(db: Queryable, tenantId: number, platform: CredentialPlatform): Promise<boolean> {
  const r = await db.deleteFrom('tenant_credentials').where('tenant_id', '=', tenantId).where('platform', '=', platform).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

/** Every county's own app on a platform, decrypted, grouped by app (two counties may share one). */
export async function tenantApps(db: Queryable, platform: CredentialPlatform, key: Buffer) {
  const rows = await db.selectFrom('tenant_credentials').selectAll().where('platform', '=', platform).orderBy('tenant_id').execute()
  const apps = new Map<string, { appId: string; secret: string; domain: string | null; tenantIds: number[] }>()
  for (const r of rows) {
    const id = `${r.app_id}@${r.domain ?? ''}`
    const app = apps.get(id) ?? { appId: r.app_id, secret: decryptSecret(r.secret, key), domain: r.domain, tenantIds: [] }
    app.tenantIds.push(r.tenant_id)
    apps.set(id, app)
  }
  return [...apps.values()]
}

/** What `credentials list` shows: never the secret. */
export function listCredentials(db: Queryable) {
  return db.selectFrom('tenant_credentials').innerJoin('tenants', 'tenants.id', 'tenant_credentials.tenant_id')
    .select(['tenants.code', 'tenants.name', 'tenant_credentials.platform', 'tenant_credentials.app_id', 'tenant_credentials.domain', 'tenant_credentials.updated_at'])
    .orderBy('tenants.code').execute()
}
