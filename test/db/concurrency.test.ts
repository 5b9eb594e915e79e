import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json } from '../../db/json.js'
import { engines, type TestDatabase } from '../support/databases.js'

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`concurrency on ${engine.name}`, () => {
    let t: TestDatabase
    beforeAll(async () => {
      t = await engine.open()
      await t.db.insertInto('tenants').values({ code: '450329', name: '资源县', policy_overrides: json({}) }).execute()
    })
    afterAll(async () => t?.close())

    it('50 concurrent read-modify-write transactions with FOR UPDATE all count', async () => {
      const tenant = await t.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()
      const patch = await t.db
        .insertInto('patches')
        .values({
          tenant_id: tenant.id, number: 'JC-RMW-1', kind: 'land', category: '新增非农建设类',
          area_mu: 1, attributes: json({}), state: 'issued', flags: json([]), due: json({}), issued_on: '2026-11-01',
        })
        .returning('id')
        .executeTakeFirstOrThrow()

      await Promise.all(
        Array.from({ length: 50 }, () =>
          t.db.transaction().execute(async (trx) => {
            const row = await trx.selectFrom('patches').select('version').where('id', '=', patch.id).forUpdate().executeTakeFirstOrThrow()
            await sql`select pg_sleep(0.001)`.execute(trx) // widen the window between read and write
            await trx.updateTable('patches').set({ version: row.version + 1 }).where('id', '=', patch.id).execute()
          }),
        ),
      )
      const after = await t.db.selectFrom('patches').select('version').where('id', '=', patch.id).executeTakeFirstOrThrow()
      expect(after.version).toBe(50)
    })

    it('a failed transaction rolls back and leaves the session usable', async () => {
      await expect(
        t.db.transaction().execute(async (trx) => {
          await trx.insertInto('tenants').values({ code: 'X1', name: 'x', policy_overrides: json({}) }).execute()
          throw new Error('boom')
        }),
      ).rejects.toThrow('boom')
      const rows = await t.db.selectFrom('tenants').select('code').where('code', '=', 'X1').execute()
      expect(rows).toHaveLength(0)
    })

    it('jsonb round-trips objects and arrays; dates stay strings', async () => {
      const tenant = await t.db.selectFrom('tenants').select('id').where('code', '=', '450329').executeTakeFirstOrThrow()
      await t.db
        .insertInto('patches')
        .values({
          tenant_id: tenant.id, number: 'JC-JSON-1', kind: 'mineral', category: '矿产', area_mu: 2.5,
          attributes: json({ 图斑编号: 'JC-JSON-1', JCMJ: 2.5 }), state: 'issued', flags: json(['key']),
          due: json({ verification: '2026-11-11' }), issued_on: '2026-11-01',
        })
        .execute()
      const row = await t.db.selectFrom('patches').selectAll().where('number', '=', 'JC-JSON-1').executeTakeFirstOrThrow()
      expect(row.flags).toEqual(['key'])
      expect(row.attributes).toEqual({ 图斑编号: 'JC-JSON-1', JCMJ: 2.5 })
      expect(row.issued_on).toBe('2026-11-01')
      expect(row.military).toBe(false)
    })

    it('inbound messages are unique per platform message id', async () => {
      const values = {
        platform: 'console', message_id: 'm-1', chat_id: 'c', sender_id: 's', kind: 'text' as const,
        payload: json({ platform: 'console', messageId: 'm-1', chatId: 'c', senderId: 's', kind: 'text' as const, text: '帮助', at: '2026-11-23T01:00:00.000Z' }), received_at: new Date('2026-11-23T01:00:00Z'), status: 'received' as const,
      }
      const first = await t.db.insertInto('inbound_messages').values(values).onConflict((oc) => oc.columns(['platform', 'message_id']).doNothing()).returning('id').executeTakeFirst()
      const second = await t.db.insertInto('inbound_messages').values(values).onConflict((oc) => oc.columns(['platform', 'message_id']).doNothing()).returning('id').executeTakeFirst()
      expect(first?.id).toBeTypeOf('number')
      expect(second).toBeUndefined()
    })
  })
}
