// Issue 10, defect 6: PostgreSQL terminating a connection that is checked out (idle in a
// transaction, or running a query) fails that transaction, never the process.
import { once } from 'node:events'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectionEvents } from '../../db/open.js'
import { consoleHarness, FakeClock, OFFICE, STAFF } from '../support/console-harness.js'
import { openPostgres, postgresReachable, type TestDatabase } from '../support/databases.js'

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** pg_terminate_backend on one backend of the test database (never another database's). */
async function terminate(pid: number) {
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    const { rows } = await admin.query(
      `select pg_terminate_backend(pid) as ok from pg_stat_activity where pid = $1 and datname like 'weipian_test_%'`,
      [pid],
    )
    expect(rows).toEqual([{ ok: true }])
  } finally {
    await admin.end()
  }
}

describe.skipIf(!(await postgresReachable()))('connections terminated by PostgreSQL (postgres)', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await openPostgres()
  })
  afterAll(async () => t?.close())

  it('a connection killed while idle in a transaction fails the transaction; the pool goes on', async () => {
    const failed = await t.db
      .transaction()
      .execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)
        const lost = once(connectionEvents, 'lost') // the client notices with no query running: an 'error' event
        await terminate(rows[0]!.pid)
        await lost
        await sql`select 1`.execute(trx)
      })
      .then(() => undefined, (e: unknown) => e)
    expect(failed).toBeInstanceOf(Error)
    const { rows } = await sql<{ n: number }>`select 1 as n`.execute(t.db)
    expect(rows).toEqual([{ n: 1 }])
  })

  it('a connection killed mid-query fails that query; the next transaction works', async () => {
    const failed = await t.db
      .transaction()
      .execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)
        const running = sql`select pg_sleep(30)`.execute(trx).then(() => undefined, (e: unknown) => e)
        await terminate(rows[0]!.pid)
        throw await running
      })
      .then(() => undefined, (e: unknown) => e)
    expect(String(failed)).toMatch(/terminat|connection error/i)
    expect(await t.db.transaction().execute(async (trx) => (await sql<{ n: number }>`select 2 as n`.execute(trx)).rows)).toEqual([{ n: 2 }])
  })

  it('a message whose handling transaction loses its connection is kept, told, and handled on replay', async () => {
    // the backend terminates itself in the middle of the handling transaction, once (a sequence is not rolled back)
    await sql`create sequence kill_once`.execute(t.db)
    await sql`create function kill_handling() returns trigger language plpgsql as $$
      begin
        if new.status = 'handled' and nextval('kill_once') = 1 then perform pg_terminate_backend(pg_backend_pid()); end if;
        return new;
      end $$`.execute(t.db)
    await sql`create trigger kill_handling before update on inbound_messages for each row execute function kill_handling()`.execute(t.db)
    try {
      const clock = new FakeClock(new Date('2026-11-03T01:00:00Z'))
      const h = await consoleHarness(t.db, clock)
      await h.post({ chat: OFFICE, sender: STAFF, text: '帮助', messageId: 'pg-kill-1' })
      const stored = await t.db.selectFrom('inbound_messages').select(['status', 'error']).where('message_id', '=', 'pg-kill-1').executeTakeFirstOrThrow()
      expect(stored.status).toBe('failed')
      expect(stored.error).toMatch(/terminat/i)
      expect(await h.runtime.replay()).toBe(1)
      await h.runtime.flush()
      const replies = (await h.botSaid(OFFICE)).filter((e) => e.replyTo === 'pg-kill-1')
      expect(replies[0]!.text).toContain('已保存，系统会自动重试')
      expect(replies.at(-1)!.text).toContain('查 图斑号')
    } finally {
      await sql`drop trigger kill_handling on inbound_messages`.execute(t.db)
    }
  })
})
