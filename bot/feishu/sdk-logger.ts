import * as lark from '@larksuiteoapi/node-sdk'

/**
 * The SDK's logger, made safe: the SDK logs whole AxiosErrors, and the one from a token request
 * carries the app secret in `config.data`. Only warnings and errors pass, as one short line each.
 */
export function sdkLogger(log: (line: string) => void): lark.Logger {
  const line = (level: string) => (...args: unknown[]) => log(`feishu-sdk ${level}: ${args.flat(3).map(summary).join(' ')}`)
  const quiet = () => {}
  return { error: line('error'), warn: line('warn'), info: quiet, debug: quiet, trace: quiet }
}

function summary(value: unknown): string {
  if (typeof value === 'string') return value.slice(0, 300)
  if (typeof value !== 'object' || value === null) return String(value)
  const v = value as { message?: unknown; response?: { status?: unknown; data?: { code?: unknown; msg?: unknown } }; code?: unknown; msg?: unknown }
  const parts = [
    typeof v.message === 'string' ? v.message : undefined,
    v.response?.status !== undefined ? `HTTP ${String(v.response.status)}` : undefined,
    v.response?.data?.code !== undefined ? `code ${String(v.response.data.code)}` : v.code !== undefined ? `code ${String(v.code)}` : undefined,
    typeof v.response?.data?.msg === 'string' ? v.response.data.msg : typeof v.msg === 'string' ? v.msg : undefined,
  ].filter(Boolean)
  return parts.length ? parts.join(' ').slice(0, 300) : '[object]'
}
