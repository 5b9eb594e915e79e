// core/ is pure (STYLE "What that means here" 1): no bot/ db/ jobs/, no node: modules or builtins,
// no environment, no clock, no randomness, no network.
import { readFileSync, readdirSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join, relative } from 'node:path'
import { expect, test } from 'vitest'

const CORE = new URL('../../core', import.meta.url).pathname

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )
}

/** Source without comments and string contents, so a comment about Date.now() is not a hit. */
function code(src: string): string {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1')
}

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))

const FORBIDDEN: [RegExp, string][] = [
  [/\bprocess\s*[.[]/, 'process.* (environment)'],
  [/\bDate\.now\s*\(/, 'Date.now()'],
  [/\bnew\s+Date\s*\(\s*\)/, 'new Date() without arguments'],
  [/\bnew\s+Date\b(?!\s*\()/, 'new Date without arguments'],
  [/\bMath\.random\s*\(/, 'Math.random()'],
  [/\bperformance\.now\s*\(/, 'performance.now()'],
  [/\bfetch\s*\(/, 'fetch()'],
  [/\b(?:setTimeout|setInterval|setImmediate)\s*\(/, 'timers'],
  [/\brequire\s*\(/, 'require()'],
  [/\bimport\s*\(/, 'dynamic import()'],
]

test('core/ imports nothing from bot/ db/ jobs/ and no Node builtins', () => {
  const problems: string[] = []
  for (const f of files(CORE)) {
    const src = code(readFileSync(f, 'utf8'))
    for (const m of src.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*['"]([^'"]+)['"]/g)) {
      const spec = (m[1] ?? m[2])!
      const where = relative(CORE, f)
      if (spec.startsWith('node:') || BUILTINS.has(spec)) problems.push(`${where}: imports ${spec}`)
      if (/(^|\/)(bot|db|jobs)(\/|$)/.test(spec) && spec.startsWith('.')) problems.push(`${where}: imports ${spec}`)
      if (spec.startsWith('.') && !spec.endsWith('.js') && !spec.endsWith('.json')) problems.push(`${where}: ${spec} lacks .js (NodeNext)`)
    }
  }
  expect(problems).toEqual([])
})

test('core/ reads no clock, environment, randomness or network', () => {
  const problems: string[] = []
  for (const f of files(CORE)) {
    const src = code(readFileSync(f, 'utf8'))
    for (const [re, what] of FORBIDDEN) if (re.test(src)) problems.push(`${relative(CORE, f)}: ${what}`)
  }
  expect(problems).toEqual([])
})

test('the scanner itself catches what it should', () => {
  const bad = "import fs from 'node:fs'\nconst t = Date.now()\nconst d = new Date()\nconst e = process.env.X"
  expect(FORBIDDEN.filter(([re]) => re.test(code(bad))).map(([, w]) => w)).toEqual([
    'process.* (environment)',
    'Date.now()',
    'new Date() without arguments',
  ])
  expect(code('// Date.now() in a comment')).not.toMatch(/Date\.now/)
})
