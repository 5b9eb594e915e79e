// One way to find a township from what a person typed or a file says. Codes and names differ between
// sources and years, so by code and by name (DESIGN "match a township by code and by name"), and a
// name that fits several townships is said to be ambiguous rather than guessed.

export type TownshipMatchedBy = 'code' | 'name' | 'stem' | 'path' | 'prefix'

export type TownshipMatch<T> =
  | { ok: true; township: T; by: TownshipMatchedBy }
  /** candidates: the townships that fit (ambiguous), or every township (unknown) */
  | { ok: false; reason: 'unknown' | 'ambiguous'; candidates: T[] }

export type TownshipMiss<T> = Extract<TownshipMatch<T>, { ok: false }>

// ethnic townships: 车田苗族乡, 河口瑶族乡, 某某瑶族苗族乡
const ETHNIC = '(?:苗|瑶|壮|侗|回|彝|土家|蒙古|满|藏|畲|仫佬|毛南|布依|水|白|哈尼|傣|黎|傈僳|佤|拉祜|纳西|景颇|羌|土|达斡尔|鄂温克|鄂伦春|锡伯|朝鲜|哈萨克|柯尔克孜|东乡|撒拉|保安|裕固|京|仡佬|各)族'
const SUFFIX = new RegExp(`(街道办事处|街道|(?:${ETHNIC})*民族乡|(?:${ETHNIC})+乡|乡|镇)$`)
/** '资源县两水乡' → '两水乡': what follows the last level above the township */
const ABOVE = /^.*(?:省|自治区|市|县|旗)(.+)$/

const squeeze = (s: string) => s.normalize('NFKC').replace(/\s/g, '')

/** '车田苗族乡' → '车田', '资源镇' → '资源', '中峰' → '中峰'. */
export function townshipStem(name: string): string {
  const n = squeeze(name)
  const stem = n.replace(SUFFIX, '')
  return stem === '' ? n : stem
}

/** A 9-digit township code from 9- or 12-digit input (统计用区划代码 has 12); null otherwise. */
export function townshipCodeOf(code: string | null): string | null {
  if (!code) return null
  const digits = code.replace(/\D/g, '')
  if (digits.length === 9) return digits
  if (digits.length === 12 && digits.endsWith('000')) return digits.slice(0, 9)
  return null
}

/**
 * Tiers, the first that fits anything decides: exact code (or its 9-digit form), exact name, name
 * without its suffix (镇/乡/街道/苗族乡 …), a full administrative path ending in the township, a
 * unique prefix of the name. Several townships in the deciding tier: ambiguous.
 */
export function matchTownship<T extends { code: string; name: string }>(query: string, townships: readonly T[]): TownshipMatch<T> {
  const q = squeeze(query)
  const unknown: TownshipMatch<T> = { ok: false, reason: 'unknown', candidates: [...townships] }
  if (q === '') return unknown
  const code = townshipCodeOf(q)
  const stem = townshipStem(q)
  const local = ABOVE.exec(q)?.[1]
  const tiers: [TownshipMatchedBy, (t: T) => boolean][] = [
    ['code', (t) => t.code === q || (code !== null && t.code === code)],
    ['name', (t) => squeeze(t.name) === q],
    ['stem', (t) => townshipStem(t.name) === stem],
    ['path', (t) => q.endsWith(squeeze(t.name)) || (local !== undefined && townshipStem(t.name) === townshipStem(local))],
    ['prefix', (t) => squeeze(t.name).startsWith(q)],
  ]
  for (const [by, fits] of tiers) {
    const found = townships.filter(fits)
    if (found.length === 1) return { ok: true, township: found[0]!, by }
    if (found.length > 1) return { ok: false, reason: 'ambiguous', candidates: found }
  }
  return unknown
}

/**
 * The reply for a name that matched no township or several: it lists what can be chosen.
 * `listLabel` names the list (本县乡镇); `orElse` offers what else may be sent instead.
 */
export function townshipMissText<T extends { name: string }>(query: string, miss: TownshipMiss<T>, how: { listLabel?: string; orElse?: string } = {}): string {
  const names = miss.candidates.map((t) => t.name).join('、')
  if (miss.reason === 'ambiguous') return `「${query}」对应多个乡镇，请写全称：${names}。`
  const orElse = how.orElse ? `；${how.orElse}` : ''
  if (names === '') return `未找到乡镇「${query}」，本县尚未登记乡镇${orElse}。`
  return `未找到乡镇「${query}」。${how.listLabel ?? '本县乡镇'}：${names}${orElse}。`
}
