// vitest globalSetup: a migrated PGlite and a migrated PostgreSQL database, as templates that
// test/support/databases.ts copies for every test database (a copy is far cheaper than initdb plus
// migrations). The PostgreSQL template is made fresh each run and dropped at the end; the PGlite one
// is a dumpDataDir() tarball cached in node_modules/.cache, keyed by a hash of everything that shapes
// it (the migrations and what they import, the PGlite dialect, this file, the PGlite and Kysely
// versions): a change to any of them builds a new one.
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { Kysely } from 'kysely'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { migrateToLatest } from '../../db/migrate.js'
import { openDatabase } from '../../db/open.js'
import { PGliteDialect } from '../../db/pglite/pglite-dialect.js'
import { adminQuery, adminUrl, databaseUrl } from './postgres-admin.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of a dumpDataDir() tarball of a migrated in-memory PGlite. */
    pgliteTemplate: string
    /** A migrated PostgreSQL database to create test databases from; null when the server is unreachable. */
    postgresTemplate: string | null
  }
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CACHE = join(ROOT, 'node_modules/.cache/weipian-test')

export default async function setup(project: TestProject) {
  const [pglite, postgres] = await Promise.allSettled([cachedPgliteTemplate(), postgresTemplateOrNull()])
  const postgresTemplate = postgres.status === 'fulfilled' ? postgres.value : null
  if (pglite.status === 'rejected' || postgres.status === 'rejected') {
    if (postgresTemplate) await adminQuery(`drop database if exists ${postgresTemplate} with (force)`)
    throw pglite.status === 'rejected' ? pglite.reason : (postgres as PromiseRejectedResult).reason
  }
  const pgliteTemplate = pglite.value
  project.provide('pgliteTemplate', pgliteTemplate)
  project.provide('postgresTemplate', postgresTemplate)
  return async () => {
    if (postgresTemplate) await adminQuery(`drop database if exists ${postgresTemplate} with (force)`)
  }
}

async function cachedPgliteTemplate(): Promise<string> {
  const name = `pglite-${templateKey()}.tar`
  const file = join(CACHE, name)
  mkdirSync(CACHE, { recursive: true })
  // templates of other keys are stale: removed an hour after their last use (a run of older code may still read one)
  for (const other of readdirSync(CACHE)) {
    const path = join(CACHE, other)
    const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
    if (other !== name && age > 3_600_000) rmSync(path, { force: true })
  }
  if (existsSync(file)) {
    const now = new Date()
    utimesSync(file, now, now)
    return file
  }
  // what openDatabase does for { kind: 'pglite', dataDir: 'memory://' }, keeping hold of the PGlite to dump it
  const pglite = await PGlite.create('memory://')
  const db = new Kysely<any>({ dialect: new PGliteDialect(pglite) })
  try {
    await migrateToLatest(db)
    const tarball = new Uint8Array(await (await pglite.dumpDataDir('none')).arrayBuffer())
    const partial = `${file}.${process.pid}.partial`
    writeFileSync(partial, tarball)
    renameSync(partial, file) // whole or absent, for a concurrent run
    return file
  } finally {
    await db.destroy()
  }
}

/** sha256 over the sources the template comes from (local imports followed) and the versions of PGlite and Kysely. */
function templateKey(): string {
  const hash = createHash('sha256')
  for (const pkg of ['@electric-sql/pglite', 'kysely']) {
    const json = JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }
    hash.update(`${pkg}@${json.version}\n`)
  }
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const source = readFileSync(file, 'utf8')
    hash.update(`${file.slice(ROOT.length)}\n${source}\n`)
    for (const [, spec] of source.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolve(dirname(file), spec!)
      const ts = target.replace(/\.js$/, '.ts')
      visit(existsSync(ts) ? ts : target)
    }
  }
  for (const entry of ['db/migrate.ts', 'db/pglite/pglite-dialect.ts', 'test/support/global-setup.ts']) visit(join(ROOT, entry))
  return hash.digest('hex').slice(0, 16)
}

const TEMPLATE_PREFIX = 'weipian_template_'

/** Unreachable → null: the test files then skip (or fail under CI=true) exactly as without a template. */
async function postgresTemplateOrNull(): Promise<string | null> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
  } catch {
    await admin.end().catch(() => {})
    return null
  }
  const name = `${TEMPLATE_PREFIX}${Date.now()}_${randomBytes(3).toString('hex')}`
  try {
    // a run killed before its teardown leaves its template behind: dropped once a day old
    const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like '${TEMPLATE_PREFIX}%'`)
    for (const { datname } of rows) {
      const madeAt = Number(datname.slice(TEMPLATE_PREFIX.length).split('_')[0])
      if (madeAt > 0 && Date.now() - madeAt > 86_400_000) await admin.query(`drop database if exists ${datname} with (force)`)
    }
    await admin.query(`create database ${name}`)
  } finally {
    await admin.end()
  }
  try {
    const db = await openDatabase({ kind: 'postgres', url: databaseUrl(name), max: 1 })
    await db.destroy()
    // nobody connects to the template again: create database … template refuses a source in use
    await adminQuery(`alter database ${name} with allow_connections false`)
  } catch (e) {
    await adminQuery(`drop database if exists ${name} with (force)`)
    throw e
  }
  return name
}
