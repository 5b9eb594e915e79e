import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { inject } from 'vitest'
import { openDatabase, type Db } from '../../db/open.js'
import { adminQuery, adminUrl, databaseUrl } from './postgres-admin.js'

export interface TestDatabase {
  name: 'pglite' | 'postgres'
  db: Db
  close(): Promise<void>
}

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

/**
 * What test/support/global-setup.ts made for this run, or undefined outside vitest (bench/ uses
 * these helpers too): then every database is created and migrated from scratch, as before.
 */
function provided<K extends 'pgliteTemplate' | 'postgresTemplate'>(key: K) {
  return process.env.VITEST ? inject(key) : undefined
}

let pgliteTemplate: Blob | undefined
function pgliteTemplateBlob(): Blob | undefined {
  const file = provided('pgliteTemplate')
  if (file && !pgliteTemplate) pgliteTemplate = new Blob([readFileSync(file)])
  return pgliteTemplate
}

/** A fresh in-memory PGlite of its own: a copy of the run's migrated template (migrations still run, finding nothing to do). */
export async function openPglite(): Promise<TestDatabase> {
  const loadDataDir = pgliteTemplateBlob()
  const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://', ...(loadDataDir ? { loadDataDir } : {}) })
  return { name: 'pglite', db, close: () => db.destroy() }
}

/** A fresh database of its own on the test server (a copy of the run's migrated template), dropped on close. */
export async function openPostgres(): Promise<TestDatabase> {
  const dbName = `weipian_test_${Date.now()}_${randomBytes(3).toString('hex')}`
  const template = provided('postgresTemplate')
  await adminQuery(template ? `create database ${dbName} template ${template}` : `create database ${dbName}`)
  const db = await openDatabase({ kind: 'postgres', url: databaseUrl(dbName), max: 20 })
  return {
    name: 'postgres',
    db,
    close: async () => {
      await db.destroy()
      await adminQuery(`drop database if exists ${dbName} with (force)`)
    },
  }
}

/** The engines a data-layer test runs on: PGlite always, PostgreSQL when reachable. */
export const engines = [
  { name: 'pglite' as const, open: openPglite, available: async () => true },
  { name: 'postgres' as const, open: openPostgres, available: postgresReachable },
]
