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

/** `统计 <县名>` in a city or province chat: the county named (name, name without 县/区/市/旗, or code); undefined: all. */
export function countyScope<T extends { code: string; name: string }>(query: string | undefined, counties: readonly T[]): { ok: true; county: T | undefined } | { ok: false; reason: string } {
  if (!query) return { ok: true, county: undefined }
  const q = query.normalize('NFKC').replace(/\s+/g, '')
  const stem = (name: string) => name.replace(/(自治县|县|区|市|旗)$/, '')
  const found = counties.filter((c) => c.code === q || c.name === q || stem(c.name) === stem(q))
  if (found.length === 1) return { ok: true, county: found[0] }
  const list = counties.slice(0, 12).map((c) => c.name).join('、')
  return { ok: false, reason: `所辖各县中没有「${query}」。可查询的县：${list}${counties.length > 12 ? `等${counties.length}个` : ''}。发送「统计 县名」，如：统计 ${counties[0]?.name ?? '资源县'}。` }
}
