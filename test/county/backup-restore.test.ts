// README「Backups」, tested: pg_dump of a working county, pg_restore into a new database, the server
// opens it (migrations at start are a no-op), `verify` finds every event chain intact, and the
// county's figures are the same. PostgreSQL only: the backup is the PostgreSQL deployment's.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../app/cli.js'
import { loadDemoCounty } from '../../db/demo/load-demo-county.js'
import { openDatabase, type Db } from '../../db/open.js'
import { postgresReachable } from '../support/databases.js'

const run = promisify(execFile)
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const urlOf = (name: string) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString()
async function admin(statement: string) {
  const c = new pg.Client({ connectionString: adminUrl })
  await c.connect()
  try {
    await c.query(statement)
  } finally {
    await c.end()
  }
}
const hasPgDump = await run('pg_dump', ['--version']).then(() => true, () => false)
if (!hasPgDump && process.env.CI === 'true') throw new Error('pg_dump is missing under CI=true (apt-get install postgresql-client)')

describe.skipIf(!(await postgresReachable()) || !hasPgDump)('backup and restore (PostgreSQL)', () => {
  const suffix = `${Date.now()}_${randomBytes(3).toString('hex')}`
  const source = `weipian_backup_${suffix}`
  const restored = `weipian_restored_${suffix}`
  let dir: string
  let db: Db
  let copy: Db | undefined

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weipian-backup-'))
    await admin(`create database ${source}`)
    db = await openDatabase({ kind: 'postgres', url: urlOf(source) })
    await loadDemoCounty(db, { now: new Date('2026-11-03T01:00:00Z') })
  })
  afterAll(async () => {
    await db?.destroy()
    await copy?.destroy()
    await admin(`drop database if exists ${source} with (force)`)
    await admin(`drop database if exists ${restored} with (force)`)
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('pg_dump → createdb → pg_restore → verify ok, same counts', async () => {
    const dump = join(dir, 'weipian.dump')
    // the commands of README「Backups」
    await run('pg_dump', ['--format=custom', '--no-owner', `--file=${dump}`, urlOf(source)])
    await admin(`create database ${restored}`)
    await run('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${urlOf(restored)}`, dump])
    copy = await openDatabase({ kind: 'postgres', url: urlOf(restored) })
    const out: string[] = []
    const code = await main(['verify'], { openDb: async () => copy!, release: async () => {}, out: (l) => void out.push(l), err: (l) => void out.push(l), env: {} })
    expect(code).toBe(0)
    expect(out.join('\n')).toMatch(/已校验 \d+ 个图斑的 \d+ 条记录：全部完好/)
    const count = async (d: Db, table: 'patches' | 'patch_events' | 'townships' | 'people') => Number((await d.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)
    for (const table of ['patches', 'patch_events', 'townships', 'people'] as const) expect(await count(copy, table)).toBe(await count(db, table))
    expect(await count(copy, 'patches')).toBeGreaterThan(50)
  })
})
