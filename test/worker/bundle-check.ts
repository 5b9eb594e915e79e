/**
 * What may not be in the worker's bundle: packages that do not load on workerd, and Node's file
 * system outside the one place it is known harmless (pg reads ~/.pgpass and sslcert files only when
 * asked; Hyperdrive's connection string asks for neither).
 */
export const FORBIDDEN_PACKAGES = [
  'node-cron', // crashes workerd at start-up ("path" argument)
  '@larksuiteoapi/node-sdk', // __dirname in its version probe
  '@resvg/resvg-js', // native
  'fontkit', // reads font files (node:fs); the worker renders no PNG
  '@electric-sql/pglite', // the worker is PostgreSQL only
  '@hono/node-server',
  'ws',
  'axios',
  '@wecom/aibot-node-sdk', // its long connection (ws) cannot live in a Worker
]
const FS = /^(node:)?fs(\/promises)?$|^node-built-in-modules:fs(\/promises)?$/
const FS_ALLOWED = [/node_modules\/pg-connection-string\//, /node_modules\/pgpass\//]

export interface Metafile {
  inputs: Record<string, { bytes: number; imports?: Array<{ path: string; kind?: string; external?: boolean }> }>
}

/** Problems in an esbuild metafile (`wrangler deploy --dry-run --metafile`), one line each. */
export function bundleProblems(meta: Metafile): string[] {
  const problems: string[] = []
  for (const [input, info] of Object.entries(meta.inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1]
    if (input.startsWith('node-built-in-modules:')) continue // wrangler's shim of a built-in: its importers are checked
    if (pkg && FORBIDDEN_PACKAGES.includes(pkg)) problems.push(`${input}: ${pkg} does not belong in the worker`)
    for (const im of info.imports ?? []) {
      if (FS.test(im.path) && !FS_ALLOWED.some((r) => r.test(input))) problems.push(`${input} imports ${im.path}`)
      if (FORBIDDEN_PACKAGES.includes(im.path)) problems.push(`${input} imports ${im.path}`)
    }
  }
  return [...new Set(problems)]
}
