import { describe, expect, test } from 'vitest'
import { decideClaim, formatInviteCode, INVITE_TTL_HOURS, normaliseInviteCode } from '../../core/index.js'

const now = new Date('2026-11-03T01:00:00Z')
const invite = { tenantId: 1, role: 'admin' as const, expiresAt: new Date(now.getTime() + INVITE_TTL_HOURS * 3600_000), usedAt: null }

describe('one-time invite codes', () => {
  test('shape', () => {
    expect(normaliseInviteCode(' abcd-efgh ')).toBe('ABCDEFGH')
    expect(normaliseInviteCode('ABCDEFG')).toBeNull()
    expect(normaliseInviteCode('ABCDEFGI')).toBeNull() // I is not in the alphabet
    expect(formatInviteCode('ABCDEFGH')).toBe('ABCD-EFGH')
  })
  test.each([
    ['unknown', undefined, undefined, now, { ok: false, code: 'invite-unknown' }],
    ['used', { ...invite, usedAt: now }, undefined, now, { ok: false, code: 'invite-used' }],
    ['expired a millisecond after 24 h', invite, undefined, new Date(invite.expiresAt.getTime() + 1), { ok: false, code: 'invite-expired' }],
    ['at the last millisecond', invite, undefined, invite.expiresAt, { ok: true, role: 'admin', change: 'new' }],
    ['someone of another county', invite, { tenantId: 2, role: 'staff' as const }, now, { ok: false, code: 'invite-other-county' }],
    ['a staff member promoted', invite, { tenantId: 1, role: 'staff' as const }, now, { ok: true, role: 'admin', change: 'promoted' }],
    ['an admin given a staff code stays admin', { ...invite, role: 'staff' as const }, { tenantId: 1, role: 'admin' as const }, now, { ok: true, role: 'admin', change: 'unchanged' }],
    ['an official becomes staff', { ...invite, role: 'staff' as const }, { tenantId: 1, role: 'official' as const }, now, { ok: true, role: 'staff', change: 'promoted' }],
  ])('%s', (_name, inv, person, at, expected) => {
    expect(decideClaim(inv, { person }, at)).toMatchObject(expected)
  })
})
