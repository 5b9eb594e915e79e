// Text in files from county offices is UTF-8 (with or without BOM) or GBK; a .cpg names it for shapefiles.

/** TextDecoder label for a .cpg's content ("GBK", "UTF-8", "65001", "936", "CP936" …); null if unknown. */
export function encodingFromCpg(cpg: string): string | null {
  const v = cpg.trim().toLowerCase().replace(/^cp/, '')
  if (!v) return null
  if (v === '65001' || v === 'utf-8' || v === 'utf8') return 'utf-8'
  if (v === '936' || v === 'gbk' || v === 'gb2312' || v === 'ms936' || v === 'windows-936') return 'gbk'
  if (v === '54936' || v === 'gb18030') return 'gb18030'
  if (v === '950' || v === 'big5') return 'big5'
  if (v === '1252' || v === 'ansi_1252' || v === 'windows-1252' || v === 'latin1') return 'windows-1252'
  try {
    return new TextDecoder(v).encoding
  } catch {
    return null
  }
}

/** UTF-8 when the bytes are valid UTF-8 (BOM or not), else GBK (GB18030 decodes a superset of GBK). */
export function detectTextEncoding(bytes: Uint8Array): 'utf-8' | 'gbk' {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8'
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return 'utf-8'
  } catch {
    return 'gbk'
  }
}

export function decodeText(bytes: Uint8Array, encoding?: string): { text: string; encoding: string } {
  const enc = encoding ?? detectTextEncoding(bytes)
  // TextDecoder drops the BOM itself (ignoreBOM defaults to false)
  return { text: new TextDecoder(enc).decode(bytes), encoding: enc }
}
