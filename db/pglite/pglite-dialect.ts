import type { PGlite } from '@electric-sql/pglite'
import {
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
} from 'kysely'
import { PGliteAdapter } from './pglite-adapter.js'
import { PGliteDriver } from './pglite-driver.js'

/**
 * Kysely dialect for PGlite 0.5, in the four parts Kysely expects. The query compiler and the
 * introspector are Postgres's own; the driver serialises every connection (and so every
 * transaction) on the one PGlite session, which kysely-pglite does not.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}

  createDriver(): Driver {
    return new PGliteDriver(this.pglite)
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler()
  }
  createAdapter(): DialectAdapter {
    return new PGliteAdapter()
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db)
  }
}
