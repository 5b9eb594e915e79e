// Patch numbers (监测编号 / 图斑编号 / 线索编号) as they appear in chat text.
//
// The pattern: a run of ASCII letters and digits, optionally split by single hyphens
// (JC2023450329001, 130403SJBG26210183, 450329-2023-001), not touching another letter or digit, with
// at least 8 letters/digits of which at least 6 are digits. A run of digits only must have at least
// 12 of them, so phone numbers (11 digits), dates (20240315, 2024-03-15) and document years never
// read as a patch number. Text is expected NFKC-normalised (full-width ＪＣ２０２３ → JC2023).

const RUN = /(?<![A-Za-z0-9])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?![A-Za-z0-9])/g

export function isPatchNumber(token: string): boolean {
  if (!/^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/.test(token)) return false
  const compact = token.replace(/-/g, '')
  const digits = compact.replace(/[^0-9]/g, '').length
  if (compact.length < 8 || digits < 6) return false
  if (digits === compact.length && digits < 12) return false
  return true
}

/** Every patch number in the text, upper-cased, in order, without duplicates. */
export function findPatchNumbers(text: string): string[] {
  const out: string[] = []
  for (const m of text.normalize('NFKC').matchAll(RUN)) {
    const token = m[0].toUpperCase()
    if (isPatchNumber(token) && !out.includes(token)) out.push(token)
  }
  return out
}
