// One-time invite codes (`admin invite`): the first administrator of a county is made without SQL.
// Pure: the code's shape, and whether a claim is taken, decided from the stored invite and `now`.

/** How long a printed code can be claimed. A security setting, not a county rule. */
export const INVITE_TTL_HOURS = 24

// no 0/O, 1/I/L: read aloud or typed from a screen without mistakes
export const INVITE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
export const INVITE_LENGTH = 8

/** 'abcd efgh', 'ＡＢＣＤ－ＥＦＧＨ', 'ABCD-EFGH' → 'ABCDEFGH'; null when it cannot be a code. */
export function normaliseInviteCode(text: string): string | null {
  const compact = text.normalize('NFKC').toUpperCase().replace(/[\s\-_—]/g, '')
  if (compact.length !== INVITE_LENGTH) return null
  return [...compact].every((c) => INVITE_ALPHABET.includes(c)) ? compact : null
}

/** 'ABCDEFGH' → 'ABCD-EFGH', as printed. */
export function formatInviteCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`
}

export interface StoredInvite {
  tenantId: number
  role: 'admin' | 'staff'
  expiresAt: Date
  usedAt: Date | null
}

export interface Claimant {
  /** the sender's people row on this platform, if any */
  person: { tenantId: number; role: 'official' | 'staff' | 'leader' | 'admin' } | undefined
}

export type ClaimDecision =
  | { ok: true; role: 'admin' | 'staff'; change: 'new' | 'promoted' | 'unchanged' }
  | { ok: false; code: 'invite-unknown' | 'invite-used' | 'invite-expired' | 'invite-other-county'; reason: string }

const AGAIN = '请县卫片办管理员在服务器上重新运行「npm run cli -- admin invite --tenant 县代码」取得新的认领码。'

export function decideClaim(invite: StoredInvite | undefined, claimant: Claimant, now: Date): ClaimDecision {
  if (!invite) return { ok: false, code: 'invite-unknown', reason: `认领码不正确（应为 8 位字母数字，如 ABCD-EFGH，请核对后重发）。${AGAIN}` }
  if (invite.usedAt) return { ok: false, code: 'invite-used', reason: `该认领码已被使用，每个认领码只能用一次。${AGAIN}` }
  if (now.getTime() > invite.expiresAt.getTime()) return { ok: false, code: 'invite-expired', reason: `该认领码已过期（有效期 ${INVITE_TTL_HOURS} 小时）。${AGAIN}` }
  const p = claimant.person
  if (p && p.tenantId !== invite.tenantId) {
    return { ok: false, code: 'invite-other-county', reason: '您的账号已登记在另一个县，不能再认领本县的角色。请先由原县的卫片办注销您的登记。' }
  }
  if (!p) return { ok: true, role: invite.role, change: 'new' }
  if (p.role === 'admin' || p.role === invite.role) return { ok: true, role: p.role === 'admin' ? 'admin' : invite.role, change: 'unchanged' }
  return { ok: true, role: invite.role, change: 'promoted' }
}
