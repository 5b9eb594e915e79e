import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ROOT = new URL('../..', import.meta.url).pathname

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port
      server.close(() => resolve(port))
    })
  })

/**
 * `wrangler dev --local --test-scheduled` on free ports, its own process group (killing npx alone
 * leaves workerd running), offline (no metrics, no cf fetch), Hyperdrive pointed at `databaseUrl`.
 */
export async function startWranglerDev(opts: { databaseUrl: string; vars: Record<string, string>; log?: (line: string) => void }) {
  const [port, inspector] = [await freePort(), await freePort()]
  const state = await mkdtemp(join(tmpdir(), 'weipian-wrangler-'))
  const url = new URL(opts.databaseUrl)
  if (!url.password) url.password = 'trust' // wrangler requires one; trust authentication ignores it
  const args = ['dev', '--local', '--test-scheduled', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector), '--persist-to', state, '--show-interactive-dev-session=false']
  for (const [k, v] of Object.entries(opts.vars)) args.push('--var', `${k}:${v}`)
  const child: ChildProcess = spawn(join(ROOT, 'node_modules/.bin/wrangler'), args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      WRANGLER_SEND_METRICS: 'false',
      NO_COLOR: '1',
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: url.toString(),
    },
  })
  let output = ''
  const onData = (chunk: Buffer) => {
    output += chunk.toString()
    for (const line of chunk.toString().split('\n')) if (line.trim()) opts.log?.(line)
  }
  child.stdout!.on('data', onData)
  child.stderr!.on('data', onData)
  const base = `http://127.0.0.1:${port}`

  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      try {
        process.kill(-child.pid, 'SIGTERM')
      } catch {}
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {}
    }
    await rm(state, { recursive: true, force: true })
  }

  const deadline = Date.now() + 90_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`)
    try {
      const res = await fetch(`${base}/healthz`)
      if (res.status === 200) break
    } catch {}
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`wrangler dev did not answer /healthz in 90 s:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 300))
  }
  return { base, stop, output: () => output }
}
