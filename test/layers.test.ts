// The layers of README「Layout」, one way down: app/ and worker/ (the two composition roots: Node,
// Cloudflare Workers) on top — worker/ may use app/'s wiring, nothing imports worker/; bot/ (channels + pipeline) and jobs/
// side by side; delivery/ (outbox, recipients, keys) over render/ (cards, maps, charts, .docx);
// then db/ and core/. Inside bot/, a channel reaches the pipeline only through `accept`
// (delivery/channel.ts), and the pipeline knows no channel.
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { expect, test } from 'vitest'

const ROOT = resolve(new URL('..', import.meta.url).pathname)
const LAYERED = ['worker', 'app', 'bot', 'jobs', 'delivery', 'render', 'db', 'core']

/** Which top-level folders (or bot/ parts) each may import. */
const MAY_IMPORT: Record<string, string[]> = {
  worker: ['worker', 'app', 'bot/pipeline', 'bot/channel', 'jobs', 'delivery', 'render', 'db', 'core'],
  app: ['app', 'bot/pipeline', 'bot/channel', 'jobs', 'delivery', 'render', 'db', 'core'],
  'bot/pipeline': ['bot/pipeline', 'delivery', 'render', 'db', 'core'],
  'bot/channel': ['bot/channel', 'delivery', 'render', 'db', 'core'], // bot/feishu, bot/console, bot/wecom …
  jobs: ['jobs', 'delivery', 'render', 'db', 'core'],
  delivery: ['delivery', 'render', 'db', 'core'],
  render: ['render', 'db', 'core'],
  db: ['db', 'core'],
  core: ['core'],
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'node_modules' ? [] : files(join(dir, e.name))) : /\.(ts|js)$/.test(e.name) ? [join(dir, e.name)] : [],
  )
}

/** The layer of a repository path: its top folder, with bot/ split into the pipeline and the channels. */
export function layerOf(path: string): string | undefined {
  const [top, second] = path.split('/')
  if (!top || !LAYERED.includes(top)) return undefined
  if (top === 'bot') return second === 'pipeline' ? 'bot/pipeline' : 'bot/channel'
  return top
}

/** Relative imports of a source file (static, dynamic, type-only and re-exports alike). */
export function importsOf(src: string): string[] {
  return [...src.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]!)
}

export function violations(file: string, src: string): string[] {
  const from = layerOf(file)
  if (!from) return []
  const out: string[] = []
  for (const spec of importsOf(src)) {
    const target = relative(ROOT, resolve(ROOT, dirname(file), spec))
    const to = layerOf(target)
    if (!to) continue
    // a channel folder may use its own files; two channels stay apart
    const sameChannel = from === 'bot/channel' && to === 'bot/channel' && file.split('/')[1] === target.split('/')[1]
    if (to === 'bot/channel' && from === 'bot/channel' && !sameChannel) out.push(`${file} → ${target} (channels stay apart)`)
    else if (!MAY_IMPORT[from]!.includes(to)) out.push(`${file} → ${target} (${from} may not import ${to})`)
  }
  return out
}

test('every import goes down the layers', () => {
  const problems = LAYERED.flatMap((dir) => files(join(ROOT, dir))).flatMap((f) => {
    const file = relative(ROOT, f)
    return violations(file, readFileSync(f, 'utf8'))
  })
  expect(problems).toEqual([])
})

test('the check fails on an import from jobs/ into a channel, from the pipeline into jobs/, and up the layers', () => {
  expect(violations('bot/feishu/sender.ts', "import { dispatchIssued } from '../../jobs/dispatch.js'")).toHaveLength(1)
  expect(violations('bot/pipeline/route.ts', "import type { JobRun } from '../../jobs/run-context.js'")).toHaveLength(1)
  expect(violations('jobs/digest.ts', "import { route } from '../bot/pipeline/route.js'")).toHaveLength(1)
  expect(violations('bot/feishu/events.ts', "import { processStored } from '../pipeline/process-inbound.js'")).toHaveLength(1)
  expect(violations('bot/pipeline/route.ts', "import { FeishuSender } from '../feishu/sender.js'")).toHaveLength(1)
  expect(violations('delivery/outbox/sender.ts', "export { createApp } from '../../app/http.js'")).toHaveLength(1)
  expect(violations('render/cards.ts', "const m = await import('../delivery/keys.js')")).toHaveLength(1)
  expect(violations('db/open.ts', "import type { Card } from '../render/card.js'")).toHaveLength(1)
  expect(violations('app/runtime.ts', "import worker from '../worker/index.js'")).toHaveLength(1)
  expect(violations('jobs/tick.ts', "import { workerConfig } from '../worker/config.js'")).toHaveLength(1)
  // and passes what is allowed
  expect(violations('worker/index.ts', "import { wire } from '../app/wiring.js'")).toEqual([])
  expect(violations('bot/feishu/events.ts', "import type { Accept } from '../../delivery/channel.js'")).toEqual([])
  expect(violations('app/runtime.ts', "import { createPipeline } from '../bot/pipeline/pipeline.js'")).toEqual([])
})
