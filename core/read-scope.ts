// Which township's figures `统计` and `逾期` show. A township group sees its own township, whoever
// asks; an official sees their own township's, and does not get another's by naming it.
import type { ChatScope, Sender } from './access.js'
import { matchTownship, townshipMissText } from './township-match.js'

/** township undefined: the whole county */
export type ReadScope<T> = { ok: true; township: T | undefined } | { ok: false; reason: string }

export function readScope<T extends { id: number; code: string; name: string }>(
  sender: Sender | undefined,
  chat: ChatScope,
  query: string | undefined,
  townships: readonly T[],
): ReadScope<T> {
  const byId = (id: number | undefined) => (id === undefined ? undefined : townships.find((t) => t.id === id))
  const chatTownship = byId(chat.townshipId)
  if (chat.kind === 'township' && chatTownship) return { ok: true, township: chatTownship }
  // an official's figures are their own township's, in a direct chat too
  const own = sender?.role === 'official' ? byId(sender.townshipId) : undefined
  if (!query) return { ok: true, township: own }
  const found = matchTownship(query, townships)
  if (!found.ok) return { ok: false, reason: townshipMissText(query, found) }
  if (sender?.role === 'official' && own?.id !== found.township.id) return { ok: true, township: own }
  return { ok: true, township: found.township }
}
