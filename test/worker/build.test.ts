// The worker builds offline (wrangler deploy --dry-run) and its bundle holds nothing Node-only.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { bundleProblems, type Metafile } from './bundle-check.js'

const ROOT = new URL('../..', import.meta.url).pathname
export const WRANGLER_ENV = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' }

let out: string
let meta: Metafile
let log: string
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'weipian-worker-'))
  const { stdout, stderr } = await promisify(execFile)(
    join(ROOT, 'node_modules/.bin/wrangler'),
    ['deploy', '--dry-run', '--outdir', out, '--metafile', join(out, 'meta.json')],
    { cwd: ROOT, env: WRANGLER_ENV, timeout: 120_000 },
  )
  log = stdout + stderr
  meta = JSON.parse(await readFile(join(out, 'meta.json'), 'utf8')) as Metafile
}, 180_000)
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true })
})

test('wrangler deploy --dry-run builds the worker offline', async () => {
  expect(log).toMatch(/--dry-run: exiting now/)
  expect(log).toMatch(/env\.HYPERDRIVE/)
  expect((await stat(join(out, 'index.js'))).size).toBeGreaterThan(100_000)
  // the free plan takes 3 MB gzipped; stay well inside
  const gzip = Number(/gzip: ([\d.]+) KiB/.exec(log)?.[1])
  expect(gzip).toBeLessThan(2048)
})

test('the bundle has no Node-only package and no node:fs outside pg', () => {
  expect(bundleProblems(meta)).toEqual([])
  const inputs = Object.keys(meta.inputs)
  expect(inputs.some((i) => i.startsWith('worker/'))).toBe(true)
  expect(inputs).toContain('jobs/tick.ts')
  expect(inputs).not.toContain('jobs/scheduler.ts')
  expect(inputs).not.toContain('bot/console/page.ts')
})

test('the check fails on what it forbids', () => {
  expect(bundleProblems({ inputs: { 'node_modules/node-cron/dist/esm/node-cron.js': { bytes: 1 } } })).toHaveLength(1)
  expect(bundleProblems({ inputs: { 'node_modules/@larksuiteoapi/node-sdk/es/index.js': { bytes: 1 } } })).toHaveLength(1)
  expect(bundleProblems({ inputs: { 'bot/console/page.ts': { bytes: 1, imports: [{ path: 'node:fs', external: true }] } } })).toHaveLength(1)
  expect(bundleProblems({ inputs: { 'db/open.ts': { bytes: 1, imports: [{ path: 'node-built-in-modules:fs', external: true }] } } })).toHaveLength(1)
  expect(bundleProblems({ inputs: { 'node_modules/pgpass/lib/index.js': { bytes: 1, imports: [{ path: 'node-built-in-modules:fs' }] } } })).toEqual([])
})
