// GBK bytes for test files. Node's TextEncoder only does UTF-8; the reverse table is built from
// TextDecoder('gbk'), which Node's full ICU has.
let table: Map<string, [number, number]> | undefined

function reverseTable(): Map<string, [number, number]> {
  if (table) return table
  table = new Map()
  const decoder = new TextDecoder('gbk')
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue
      const ch = decoder.decode(new Uint8Array([lead, trail]))
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, [lead, trail])
    }
  }
  return table
}

export function encodeGbk(text: string): Uint8Array {
  const out: number[] = []
  for (const ch of text) {
    const code = ch.codePointAt(0)!
    if (code < 0x80) {
      out.push(code)
      continue
    }
    const pair = reverseTable().get(ch)
    if (!pair) throw new Error(`no GBK code for ${ch}`)
    out.push(...pair)
  }
  return Uint8Array.from(out)
}
