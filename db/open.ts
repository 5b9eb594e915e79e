import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { migrateToLatest } from './migrate.js'
import { PGliteDialect } from './pglite/pglite-dialect.js'
import type { Database } from './schema.js'

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; max?: number }
  // dataDir 'memory://' keeps it in memory (tests); loadDataDir starts it from a dumpDataDir() tarball
  | { kind: 'pglite'; dataDir: string; loadDataDir?: Blob }

export type Db = Kysely<Database>

/** `DATABASE_URL` set → PostgreSQL; otherwise PGlite in `DATA_DIR` (default ./data). */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  if (env.DATABASE_URL) return { kind: 'postgres', url: env.DATABASE_URL }
  return { kind: 'pglite', dataDir: env.DATA_DIR ?? './data' }
}

/** Opens the database and brings its schema up to date. */
export async function openDatabase(config: DatabaseConfig): Promise<Db> {
  const db = new Kysely<Database>({ dialect: await dialectFor(config) })
  try {
    await migrateToLatest(db)
  } catch (e) {
    await db.destroy()
    throw e
  }
  return db
}

async function dialectFor(config: DatabaseConfig) {
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: config.url, max: config.max ?? 10 })
    // an idle client whose server connection dies (restart, failover) emits 'error': the pool drops
    // it and opens another on the next query; unhandled, the event would kill the process
    pool.on('error', (error) => console.warn(`PostgreSQL idle connection lost: ${error.message}`))
    return new PostgresDialect({ pool })
  }
  if (!config.dataDir.startsWith('memory://')) mkdirSync(config.dataDir, { recursive: true })
  const options = config.loadDataDir ? { loadDataDir: config.loadDataDir } : {}
  return new PGliteDialect(await PGlite.create(config.dataDir, options))
}
