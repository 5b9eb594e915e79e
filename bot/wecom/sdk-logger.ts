import type { Logger } from '@wecom/aibot-node-sdk'

/**
 * The SDK's logger, made safe: its debug lines print whole message bodies (aeskeys and download
 * links included) and its warnings may quote whole frames. Debug and info are dropped; warnings and
 * errors pass as one short line without anything that looks like a key, a secret or a link.
 */
export function sdkLogger(log: (line: string) => void): Logger {
  const line = (level: string) => (message: string, ...args: unknown[]) => log(`wecom-sdk ${level}: ${redact([message, ...args.map(summary)].join(' '))}`)
  const quiet = () => {}
  return { debug: quiet, info: quiet, warn: line('warn'), error: line('error') }
}

function summary(value: unknown): string {
  if (typeof value === 'string') return value
  if (value instanceof Error) return value.message
  return '[object]'
}

export function redact(text: string): string {
  return text
    .replace(/"(secret|aeskey|url|base64_data|base64)"\s*:\s*"[^"]*"/gi, '"$1":"…"')
    .replace(/https?:\/\/\S+/g, '<链接>')
    .slice(0, 300)
}
