import { PostgresAdapter } from 'kysely'

/** One session, one writer: the migration lock is the driver's own mutex, so it is a no-op here. */
export class PGliteAdapter extends PostgresAdapter {
  readonly supportsMultipleConnections = false

  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}
