// Which township's figures `统计` and `逾期` show. A township group sees its own township, whoever
// asks; an official does not get another township's figures by naming it.
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
  const chatTownship = chat.townshipId === undefined ? undefined : townships.find((t) => t.id === chat.townshipId)
  if (chat.kind === 'township' && chatTownship) return { ok: true, township: chatTownship }
  const official = sender?.role === 'official' || (!sender && chat.kind === 'township')
  if (!query) return { ok: true, township: official ? chatTownship : undefined }
  const found = matchTownship(query, townships)
  if (!found.ok) return { ok: false, reason: townshipMissText(query, found) }
  if (sender?.role === 'official' && sender.townshipId !== found.township.id) return { ok: true, township: chatTownship }
  return { ok: true, township: found.township }
}
