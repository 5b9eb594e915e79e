import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
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

/** 'lost' (error): a checked-out PostgreSQL connection died; handled, for logs and tests. */
export const connectionEvents = new EventEmitter()

/**
 * This process's name on its PostgreSQL connections (application_name) and on the outbox leases it
 * takes: a starting sender frees the leases of names no connection carries any more (a kill -9).
 */
export const processName = `weipian:${process.pid}:${randomBytes(4).toString('hex')}`

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
    const pool = new pg.Pool({ connectionString: config.url, max: config.max ?? 10, application_name: processName })
    // an idle client whose server connection dies (restart, failover) emits 'error': the pool drops
    // it and opens another on the next query; unhandled, the event would kill the process
    pool.on('error', (error) => console.warn(`PostgreSQL idle connection lost: ${error.message}`))
    // pg-pool takes its listener off a client while it is checked out: a connection terminated then
    // (idle in a transaction, or mid-query) would emit an unhandled 'error' and end the process.
    // Each client gets a listener of its own for life; the query or transaction in progress fails
    // (a message is kept and replayed), and pg-pool drops the client when it is released.
    pool.on('connect', (client) => {
      client.on('error', (error) => {
        console.warn(`PostgreSQL connection lost while in use: ${error.message}`)
        connectionEvents.emit('lost', error)
      })
    })
    return new PostgresDialect({ pool })
  }
  if (!config.dataDir.startsWith('memory://')) mkdirSync(config.dataDir, { recursive: true })
  const options = config.loadDataDir ? { loadDataDir: config.loadDataDir } : {}
  return new PGliteDialect(await PGlite.create(config.dataDir, options))
}
