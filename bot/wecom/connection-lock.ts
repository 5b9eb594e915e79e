import { createHash } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'

/**
 * One connection per bot: WeCom kicks the older of two connections with the same bot id, and the
 * kicked one does not come back. With several instances on one PostgreSQL, only the holder of a
 * session advisory lock connects. The lock lives on a connection of its own, held while connected,
 * so an instance that dies (and its database session with it) frees it and another takes over.
 */
export interface ConnectionLock {
  /** resolves once held, or undefined when `wanted` turns false while waiting */
  hold(wanted: () => boolean): Promise<{ release: () => Promise<void> } | undefined>
}

export const noLock: ConnectionLock = { hold: async () => ({ release: async () => {} }) }

export function advisoryLock(db: Kysely<Database>, botId: string, options: { pollMs?: number; log?: (line: string) => void } = {}): ConnectionLock {
  const key = lockKey(botId)
  const pollMs = options.pollMs ?? 5_000
  return {
    hold(wanted) {
      return new Promise((held, failed) => {
        let letGo: () => void = () => {}
        const released = new Promise<void>((resolve) => (letGo = resolve))
        let done: Promise<void> = Promise.resolve()
        const session = db.connection().execute(async (conn) => {
          for (let first = true; ; first = false) {
            if (!wanted()) return held(undefined)
            const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${key}) as ok`.execute(conn)
            if (got.rows[0]?.ok) break
            if (first) options.log?.('企业微信长连接由另一实例持有，本实例等待接管')
            await new Promise((resolve) => setTimeout(resolve, pollMs))
          }
          held({ release: async () => (letGo(), await done) })
          await released
          await sql`select pg_advisory_unlock(${key})`.execute(conn)
        })
        done = session.catch(() => {})
        session.catch(failed)
      })
    },
  }
}

/** A bigint lock key per bot id (a second bot on the same database has its own). */
function lockKey(botId: string): string {
  return BigInt.asIntN(64, BigInt(`0x${createHash('sha256').update(`wecom:${botId}`).digest('hex').slice(0, 16)}`)).toString()
}
