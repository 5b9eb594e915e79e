/** The console chat page (placeholder until the full page lands). */
export function consolePage(): string {
  return '<!doctype html><meta charset="utf-8"><title>卫片执法助手 · 本地控制台</title><p>卫片执法助手本地控制台</p>'
}
