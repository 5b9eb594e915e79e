import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type Db } from '../../db/open.js'

export interface TestDatabase {
  name: 'pglite' | 'postgres'
  db: Db
  close(): Promise<void>
}

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

let reachable: Promise<boolean> | undefined
/** Whether the test PostgreSQL answers; under CI=true an unreachable server is a failure, not a skip. */
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 })
    try {
      await client.connect()
      await client.end()
      return true
    } catch (e) {
      if (process.env.CI === 'true') throw new Error(`PostgreSQL not reachable at ${adminUrl} under CI=true`, { cause: e })
      console.warn(`\n⚠ PostgreSQL not reachable at ${adminUrl}: PostgreSQL tests are SKIPPED (${String(e)})\n`)
      return false
    }
  })()
  return reachable
}

export async function openPglite(): Promise<TestDatabase> {
  const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' })
  return { name: 'pglite', db, close: () => db.destroy() }
}

/** A fresh database of its own on the test server, dropped on close. */
export async function openPostgres(): Promise<TestDatabase> {
  const dbName = `weipian_test_${Date.now()}_${randomBytes(3).toString('hex')}`
  await admin(`create database ${dbName}`)
  const url = new URL(adminUrl)
  url.pathname = `/${dbName}`
  const db = await openDatabase({ kind: 'postgres', url: url.toString(), max: 20 })
  return {
    name: 'postgres',
    db,
    close: async () => {
      await db.destroy()
      await admin(`drop database if exists ${dbName} with (force)`)
    },
  }
}

async function admin(statement: string) {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** The engines a data-layer test runs on: PGlite always, PostgreSQL when reachable. */
export const engines = [
  { name: 'pglite' as const, open: openPglite, available: async () => true },
  { name: 'postgres' as const, open: openPostgres, available: postgresReachable },
]
