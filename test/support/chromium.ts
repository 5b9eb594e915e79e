// Debian's chromium for the browser tests (no browser download is possible here), started with the
// flags this machine's closed network needs (no background connections, no component updates).
import { existsSync } from 'node:fs'

export const CHROMIUM = '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
]
export const haveChromium = existsSync(CHROMIUM)
