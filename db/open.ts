import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { AppError } from '../core/errors.js'
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

export class DatabaseMissingError extends AppError<'database-missing'> {
  constructor(message: string, readonly fix: string) {
    super('database-missing', message)
  }
}

/**
 * For commands that only read (verify): the database must already exist and hold the schema, so
 * a wrong DATA_DIR or DATABASE_URL is said instead of an empty database being made and checked.
 */
export async function requireExisting(config: DatabaseConfig): Promise<void> {
  if (config.kind === 'pglite') {
    if (config.dataDir.startsWith('memory://')) return
    if (!existsSync(join(config.dataDir, 'PG_VERSION'))) {
      throw new DatabaseMissingError(`没有找到数据库：${config.dataDir} 不是 PGlite 数据目录`, '设置 DATA_DIR 为服务使用的数据目录，或设置 DATABASE_URL 指向 PostgreSQL')
    }
    return
  }
  const client = new pg.Client({ connectionString: config.url, application_name: processName })
  try {
    await client.connect()
    const { rows } = await client.query<{ t: string | null }>(`select to_regclass('patches')::text as t`)
    if (!rows[0]?.t) throw new DatabaseMissingError('DATABASE_URL 指向的数据库没有卫片执法的数据表（空数据库）', '确认 DATABASE_URL 指向正式数据库')
  } catch (e) {
    if (e instanceof DatabaseMissingError) throw e
    throw new DatabaseMissingError(`无法连接 DATABASE_URL 指向的数据库：${(e as Error).message}`, '检查 DATABASE_URL 与数据库服务')
  } finally {
    await client.end().catch(() => {})
  }
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
