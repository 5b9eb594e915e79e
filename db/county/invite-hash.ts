import { createHash } from 'node:crypto'

/** The stored form of an invite code (the code itself is never stored). Apart from invites.ts so the
 *  chat's 认领 (also on Workers) pulls in nothing of the division-code files. */
export function inviteHash(code: string): string {
  return createHash('sha256').update(`weipian-invite:${code}`).digest('hex')
}
