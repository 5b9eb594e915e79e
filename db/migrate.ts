import { AppError } from '../core/errors.js'
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import * as initial from './migrations/0001-initial.js'
import * as lookupIndexes from './migrations/0002-lookup-indexes.js'
import * as errorCodes from './migrations/0003-error-codes.js'
import * as countySetup from './migrations/0004-county-setup.js'
import * as webhookRobots from './migrations/0005-webhook-robots.js'
import * as deploymentAndLeases from './migrations/0006-deployment-and-leases.js'
import * as eventChainHeads from './migrations/0007-event-chain-heads.js'
import * as recordsApproversZones from './migrations/0010-records-approvers-zones.js'
import * as provinceScale from './migrations/0014-province-scale.js'

// A static list rather than a folder scan: it works in bundles (Workers) as well as on Node.
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-lookup-indexes': lookupIndexes,
  '0003-error-codes': errorCodes,
  '0004-county-setup': countySetup,
  '0005-webhook-robots': webhookRobots,
  '0006-deployment-and-leases': deploymentAndLeases,
  '0007-event-chain-heads': eventChainHeads,
  '0010-records-approvers-zones': recordsApproversZones,
  '0014-province-scale': provinceScale,
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

export class MigrationError extends AppError<'migration-failed'> {
  constructor(message: string, options?: { cause?: unknown }) {
    super('migration-failed', message, options)
  }
}

/**
 * Brings the schema to the latest version; throws with the failing migration's name. Unordered: the
 * numbers were handed out to parallel work, so a database may have a later one before an earlier one
 * lands (each migration stands on its own).
 */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider, allowUnorderedMigrations: true }).migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new MigrationError(`migration ${failed} failed: ${String(error)}`, { cause: error })
  }
}
