// Issue 10, defect 10: what `verify` used to miss — a patch's last event deleted, all its events
// deleted, patches.state edited, a chain rewritten consistently (with a secret configured), the head
// row itself removed — and `verify` on a missing or empty database. One fresh database per case.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { main as cli } from '../../app/cli.js'
import { chainStep, setChainSecret } from '../../db/chain.js'
import { loadDemoCounty } from '../../db/demo/load-demo-county.js'
import { appendEvent, eventHash } from '../../db/events.js'
import { migrateToLatest } from '../../db/migrate.js'
import { openDatabase, type Db } from '../../db/open.js'
import { verifyEventChains } from '../../db/queries/verify-events.js'
import { dispatchIssued } from '../../jobs/dispatch.js'
import { engines, type TestDatabase } from '../support/databases.js'

const now = new Date('2026-11-03T01:00:00Z')

async function runVerify(db: Db) {
  const lines: string[] = []
  const code = await cli(['verify'], { openDb: async () => db, release: async () => {}, out: (l) => void lines.push(l), err: (l) => void lines.push(l), env: {} })
  return { code, text: lines.join('\n') }
}

/** Two patches: one with its events as they are, and one to tamper with. */
async function patchesOf(db: Db) {
  const [a, b] = await db.selectFrom('patches').select(['id', 'number', 'state']).where('state', '=', 'dispatched').orderBy('id').limit(2).execute()
  return { a: a!, b: b! }
}

/** What someone with SQL access but not the secret can do: edit a step and recompute every hash after it. */
async function rewritePatch(db: Db, patchId: number, number: string) {
  const rows = await db.selectFrom('patch_events').selectAll().where('patch_id', '=', patchId).orderBy('seq').execute()
  let prev = ''
  for (const e of rows) {
    const actor = e.seq === 1 ? 'forger' : e.actor
    const hash = eventHash({ prevHash: prev, patchNumber: number, type: e.type, at: new Date(e.at), actor, inboundId: e.inbound_id, data: e.data })
    await db.updateTable('patch_events').set({ actor, prev_hash: prev, hash }).where('id', '=', e.id).execute()
    prev = hash
  }
}

/** … and recompute the tenant's head over all events, with whatever key they guess (none: plain sha256). */
async function recomputeHead(db: Db, guess: string | undefined, downgrade: boolean) {
  const tenant = await db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()
  const rows = await db.selectFrom('patch_events').select(['patch_id', 'seq', 'hash']).orderBy('chain_seq').execute()
  let head = ''
  for (const r of rows) head = chainStep(head, { patchId: r.patch_id, seq: r.seq, hash: r.hash }, guess)
  await db.updateTable('event_chains').set({ head, ...(downgrade ? { keyed_at: null, key_check: null } : {}) }).where('tenant_id', '=', tenant.id).execute()
}

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`tamper evidence of the event log (${engine.name})`, () => {
    let t: TestDatabase | undefined
    afterEach(async () => {
      setChainSecret(null) // test files share modules: back to the environment's
      await t?.close()
      t = undefined
    })

    async function county(secret?: string) {
      setChainSecret(secret)
      t = await engine.open()
      await loadDemoCounty(t.db, { now })
      await dispatchIssued(t.db, now, { platforms: ['console'] })
      return t.db
    }

    it('an untouched log is whole, and verify says how the heads are kept', async () => {
      const db = await county()
      const plain = await runVerify(db)
      expect(plain.code).toBe(0)
      expect(plain.text).toContain('链头：sha256（未设置 EVENT_CHAIN_SECRET）')
      expect(plain.text).toMatch(/已校验 \d+ 个图斑的 \d+ 条记录：全部完好/)
      await t!.close()
      const keyed = await runVerify(await county('county-secret'))
      expect(keyed.code).toBe(0)
      expect(keyed.text).toContain('链头：HMAC-SHA256（EVENT_CHAIN_SECRET）')
    })

    it('a patch whose last event was deleted', async () => {
      const db = await county()
      const { a } = await patchesOf(db)
      await sql`delete from patch_events where patch_id = ${a.id} and seq = (select max(seq) from patch_events where patch_id = ${a.id})`.execute(db)
      const { breaks } = await verifyEventChains(db)
      expect(breaks).toContainEqual({ patchNumber: a.number, seq: 1, problem: '图斑状态为「已推送」，办理记录得出的状态为「已下发」（状态或记录被改动）' })
      expect(breaks.map((b) => b.problem)).toContain('链头与办理记录不符（记录被删除、改动或整体重算）')
      expect(breaks.some((b) => /^链头记录了 \d+ 条办理记录，现存 \d+ 条/.test(b.problem))).toBe(true)
      expect((await runVerify(db)).code).toBe(1)
    })

    it('the tenant’s very last event deleted (no gap left behind): the count and the head', async () => {
      const db = await county()
      await sql`delete from patch_events where chain_seq = (select max(chain_seq) from patch_events)`.execute(db)
      const problems = (await verifyEventChains(db)).breaks.map((b) => b.problem)
      expect(problems).toContain('链头与办理记录不符（记录被删除、改动或整体重算）')
    })

    it('a patch whose events were all deleted', async () => {
      const db = await county()
      const { b } = await patchesOf(db)
      await sql`delete from patch_events where patch_id = ${b.id}`.execute(db)
      const { breaks } = await verifyEventChains(db)
      expect(breaks).toContainEqual({ patchNumber: b.number, seq: 0, problem: '没有任何办理记录（记录被全部删除）' })
      expect(breaks.some((x) => /^记录链第 \d+(–\d+)? 条缺失/.test(x.problem))).toBe(true)
    })

    it('patches.state edited without an event', async () => {
      const db = await county()
      const { a } = await patchesOf(db)
      await db.updateTable('patches').set({ state: 'closed' }).where('id', '=', a.id).execute()
      const { breaks } = await verifyEventChains(db)
      expect(breaks).toEqual([{ patchNumber: a.number, seq: 2, problem: '图斑状态为「已办结」，办理记录得出的状态为「已推送」（状态或记录被改动）' }])
    })

    it('the head row removed', async () => {
      const db = await county()
      await db.deleteFrom('event_chains').execute()
      expect((await verifyEventChains(db)).breaks.map((b) => b.problem)).toEqual([expect.stringMatching(/^办理记录链头缺失/)])
    })

    it('a consistent rewrite: caught when keyed (head recomputed with a guessed key, or downgraded to sha256); undetectable without a secret, as verify says', async () => {
      let db = await county('county-secret')
      let { a } = await patchesOf(db)
      await rewritePatch(db, a.id, a.number)
      await recomputeHead(db, 'a-guess', false)
      expect((await verifyEventChains(db)).breaks).toEqual([{ patchNumber: '', seq: 0, problem: '链头与办理记录不符（记录被删除、改动或整体重算）' }])
      await recomputeHead(db, undefined, true)
      const downgraded = (await verifyEventChains(db)).breaks.map((b) => b.problem)
      expect(downgraded).toContainEqual(expect.stringMatching(/^已设置 EVENT_CHAIN_SECRET，但链头没有密钥签名/))
      await t!.close()

      db = await county()
      ;({ a } = await patchesOf(db))
      await rewritePatch(db, a.id, a.number)
      await recomputeHead(db, undefined, false)
      const plain = await runVerify(db)
      expect(plain.code).toBe(0) // the limit of a plain chain, said on every run
      expect(plain.text).toContain('能改动数据库的人可以整体重算记录而不被发现')
    })

    it('migration 0007 folds in the events written before it, and the chain goes on from there', async () => {
      const db = await county()
      // the database as it was before 0007
      await sql`drop table event_chains`.execute(db)
      await sql`alter table patch_events drop column chain_seq`.execute(db)
      await sql`delete from kysely_migration where name = '0007-event-chain-heads'`.execute(db)
      await migrateToLatest(db)
      expect((await verifyEventChains(db)).breaks).toEqual([])
      const { a } = await patchesOf(db)
      await db.transaction().execute((trx) => appendEvent(trx, { patchId: a.id, type: 'evidence_added', at: now, actor: 'p1', data: { kind: 'photo' } }))
      expect((await verifyEventChains(db)).breaks).toEqual([])
    })

    it('a keyed chain checked without its secret is not reported whole', async () => {
      const db = await county('county-secret')
      setChainSecret(undefined)
      const r = await runVerify(db)
      expect(r.code).toBe(1)
      expect(r.text).toContain('未设置 EVENT_CHAIN_SECRET，无法校验链头')
    })
  })
}

describe('verify refuses a database that is not there', () => {
  let dir: string | undefined
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
    dir = undefined
  })

  it('no DATA_DIR with a database in it: refused, and nothing is created', async () => {
    dir = await mkdtemp(join(tmpdir(), 'weipian-verify-'))
    const dataDir = join(dir, 'data')
    const lines: string[] = []
    const code = await cli(['verify'], { env: { DATA_DIR: dataDir }, out: (l) => void lines.push(l), err: (l) => void lines.push(l) })
    expect(code).toBe(1)
    expect(lines.join('\n')).toContain(`没有找到数据库：${dataDir} 不是 PGlite 数据目录`)
    expect(lines.join('\n')).not.toContain('全部完好')
    const { existsSync } = await import('node:fs')
    expect(existsSync(dataDir)).toBe(false)
  })

  it('an empty database (schema, no county): refused', async () => {
    dir = await mkdtemp(join(tmpdir(), 'weipian-verify-'))
    await (await openDatabase({ kind: 'pglite', dataDir: dir })).destroy()
    const lines: string[] = []
    const code = await cli(['verify'], { env: { DATA_DIR: dir }, out: (l) => void lines.push(l), err: (l) => void lines.push(l) })
    expect(code).toBe(1)
    expect(lines.join('\n')).toContain('数据库中没有任何办理记录（空数据库）')
  })
})
