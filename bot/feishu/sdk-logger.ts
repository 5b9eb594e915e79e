import * as lark from '@larksuiteoapi/node-sdk'

/**
 * The SDK's logger, made safe: the SDK logs whole AxiosErrors, and the one from a token request
 * carries the app secret in `config.data`. Only warnings and errors pass, as one short line each:
 * the message, HTTP status, Feishu's code and msg — never the request. A download's error body is a
 * stream (the SDK asks for `responseType: stream`): it is read, so the line still has the code.
 */
export function sdkLogger(log: (line: string) => void): lark.Logger {
  const line = (level: string) => (...args: unknown[]) => {
    const values = args.flat(3)
    const text = values.map(summary).filter(Boolean).join(' ').slice(0, 300)
    const stream = values.map((v) => (v as { response?: { data?: unknown } } | null)?.response?.data).find(isReadable)
    if (!stream) return log(`feishu-sdk ${level}: ${text}`)
    readSome(stream).then(
      (body) => {
        const api = apiBody(body)
        log(`feishu-sdk ${level}: ${text}${api ? ` ${api}` : ''}`.slice(0, 400))
      },
      () => log(`feishu-sdk ${level}: ${text}`),
    )
  }
  const quiet = () => {}
  return { error: line('error'), warn: line('warn'), info: quiet, debug: quiet, trace: quiet }
}

function summary(value: unknown): string {
  if (typeof value === 'string') return value.slice(0, 300)
  if (typeof value !== 'object' || value === null) return String(value)
  // the SDK spreads a stream body into an object of its own: nothing readable in it
  if ('_readableState' in value || isReadable(value)) return ''
  if (value instanceof Uint8Array) return apiBody(Buffer.from(value)) ?? ''
  const v = value as { message?: unknown; response?: { status?: unknown; data?: unknown }; code?: unknown; msg?: unknown }
  const data = v.response?.data
  const body = data instanceof Uint8Array ? apiBody(Buffer.from(data)) : typeof data === 'object' && data !== null && !isReadable(data) ? codeAndMsg(data) : undefined
  const parts = [
    typeof v.message === 'string' ? v.message : undefined,
    v.response?.status !== undefined ? `HTTP ${String(v.response.status)}` : undefined,
    body ?? codeAndMsg(v),
  ].filter(Boolean)
  return parts.join(' ').slice(0, 300)
}

function codeAndMsg(v: object): string | undefined {
  const { code, msg } = v as { code?: unknown; msg?: unknown }
  const parts = [code !== undefined && (typeof code === 'number' || typeof code === 'string') ? `code ${code}` : undefined, typeof msg === 'string' ? msg : undefined].filter(Boolean)
  return parts.length ? parts.join(' ') : undefined
}

function apiBody(bytes: Buffer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'))
    return typeof parsed === 'object' && parsed !== null ? codeAndMsg(parsed) : undefined
  } catch {
    return undefined
  }
}

type Readable = AsyncIterable<unknown> & { pipe: unknown; readableEnded?: boolean }
function isReadable(v: unknown): v is Readable {
  return typeof v === 'object' && v !== null && typeof (v as { pipe?: unknown }).pipe === 'function' && Symbol.asyncIterator in v
}

/** The first 4 KB of an error body nobody else reads. */
async function readSome(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    chunks.push(b)
    size += b.length
    if (size > 4096) break
  }
  return Buffer.concat(chunks)
}
