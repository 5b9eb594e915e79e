// `admin invite`: a one-time code, stored only as its sha256, claimed in the chat with `认领 <code>`.
import { randomInt } from 'node:crypto'
import { formatInviteCode, INVITE_ALPHABET, INVITE_LENGTH, INVITE_TTL_HOURS } from '../../core/invite.js'
import type { Queryable } from '../schema.js'
import { tenantByCode } from './county.js'
import { inviteHash } from './invite-hash.js'

export { inviteHash }

export async function createInvite(db: Queryable, tenantCode: string, role: 'admin' | 'staff', now: Date) {
  const tenant = await tenantByCode(db, tenantCode)
  const code = Array.from({ length: INVITE_LENGTH }, () => INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)]).join('')
  const expiresAt = new Date(now.getTime() + INVITE_TTL_HOURS * 3600_000)
  await db.insertInto('invites').values({ tenant_id: tenant.id, code_hash: inviteHash(code), role, created_at: now, expires_at: expiresAt }).execute()
  return { tenant, code: formatInviteCode(code), role, expiresAt }
}
