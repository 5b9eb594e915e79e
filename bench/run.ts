// `npm run bench -- <name> [options]`: runs bench/<name>.ts. Each bench exports `run(args)`.
type Bench = { run(args: string[]): Promise<void> }

const benches: Record<string, () => Promise<Bench>> = {
  import: () => import('./import.js'),
  fanout: () => import('./fanout.js'),
  chat: () => import('./chat.js'),
  render: () => import('./render.js'),
  faults: () => import('./faults.js'),
  restart: () => import('./restart.js'),
  webhook: () => import('./webhook.js'),
  province: () => import('./province.js'),
}

const [name, ...args] = process.argv.slice(2)
const load = name ? benches[name] : undefined
if (!load) {
  console.error(`用法：npm run bench -- <${Object.keys(benches).join('|')}> [选项]`)
  process.exit(2)
}
try {
  await (await load()).run(args)
  process.exit(0) // a bench stops by itself, even if a library left a handle open
} catch (e) {
  console.error(e)
  process.exit(1)
}
