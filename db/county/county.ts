// A county (tenant) and its township list, from the division codes and then by hand. Every change
// of the list is kept in township_changes; a township that patches, chats or people refer to is
// never deleted under them.
import { AppError } from '../../core/errors.js'
import { json } from '../json.js'
import type { Queryable, Tenant } from '../schema.js'
import type { Db } from '../open.js'
import { countiesNamed, countyDivision, DIVISION_SOURCE } from './divisions.js'

export type CountyErrorCode = 'county-code' | 'county-unknown' | 'township-code' | 'township-exists' | 'township-unknown' | 'township-in-use' | 'tenant-unknown'

/** Bad input to a county command: what was wrong and how to fix it, in Chinese. */
export class CountyError extends AppError<CountyErrorCode> {
  constructor(code: CountyErrorCode, message: string, readonly fix: string) {
    super(code, message)
  }
}

export interface CountyAddResult {
  tenant: { id: number; code: string; name: string; created: boolean }
  created: { code: string; name: string }[]
  existing: { code: string; name: string }[]
  /** in the database but not in the edition (added by hand, or removed from the codes since) */
  extra: { code: string; name: string }[]
  source: string
}

/** `county add 370302`: idempotent — a second run creates only what is missing and changes nothing else. */
export async function addCounty(db: Db, code: string, opts: { name?: string; now: Date }): Promise<CountyAddResult> {
  if (!/^\d{6}$/.test(code)) throw new CountyError('county-code', `县级行政区划代码应为 6 位数字，收到「${code}」`, '如淄川区为 370302、资源县为 450329')
  const division = countyDivision(code)
  if (!division) {
    const hint = opts.name ? countiesNamed(opts.name.replace(/[县区市旗]$/, '')) : []
    throw new CountyError('county-unknown', `${DIVISION_SOURCE}中没有代码 ${code}`,
      hint.length ? `是否为：${hint.map((h) => `${h.code} ${h.name}`).join('、')}？` : '核对县级代码（6 位）；若代码是新设的，请用较新的代码或联系维护人员更新区划数据包')
  }
  return db.transaction().execute(async (trx) => {
    const name = opts.name?.trim() || division.name
    const inserted = await trx.insertInto('tenants').values({ code, name, policy_overrides: json({}), created_at: opts.now })
      .onConflict((oc) => oc.column('code').doNothing()).returning(['id', 'code', 'name']).executeTakeFirst()
    const tenant = inserted ?? (await trx.selectFrom('tenants').select(['id', 'code', 'name']).where('code', '=', code).executeTakeFirstOrThrow())
    const have = await trx.selectFrom('townships').select(['code', 'name']).where('tenant_id', '=', tenant.id).execute()
    const haveCodes = new Set(have.map((t) => t.code))
    // a township removed by hand stays removed: the county decided against the edition
    const removed = new Set((await trx.selectFrom('township_changes').select('code').where('tenant_id', '=', tenant.id).where('change', '=', 'removed').execute()).map((r) => r.code))
    const missing = division.townships.filter((t) => !haveCodes.has(t.code) && !removed.has(t.code))
    if (missing.length) {
      const rows = await trx.insertInto('townships').values(missing.map((t) => ({ tenant_id: tenant.id, code: t.code, name: t.name, boundary: null })))
        .returning(['id', 'code', 'name']).execute()
      await trx.insertInto('township_changes').values(rows.map((t) => ({ tenant_id: tenant.id, township_id: t.id, change: 'added' as const, code: t.code, name: t.name, old_code: null, old_name: null, source: DIVISION_SOURCE, at: opts.now }))).execute()
    }
    const editionCodes = new Set(division.townships.map((t) => t.code))
    return {
      tenant: { ...tenant, created: inserted !== undefined },
      created: missing,
      existing: have.filter((t) => editionCodes.has(t.code)),
      extra: have.filter((t) => !editionCodes.has(t.code)),
      source: DIVISION_SOURCE,
    }
  })
}

export async function tenantByCode(db: Queryable, code: string | undefined): Promise<Tenant> {
  const tenant = code ? await db.selectFrom('tenants').selectAll().where('code', '=', code).executeTakeFirst() : undefined
  if (!tenant) {
    const all = await db.selectFrom('tenants').select(['code', 'name']).orderBy('code').execute()
    throw new CountyError('tenant-unknown', code ? `没有代码为 ${code} 的县` : '没有指定县（--tenant）',
      all.length ? `已有的县：${all.map((t) => `${t.code} ${t.name}`).join('、')}；或先运行 npm run cli -- county add <6位代码>` : '先运行 npm run cli -- county add <6位县级代码> 建立该县')
  }
  return tenant
}

function checkTownshipCode(county: string, code: string) {
  if (!/^\d{9}$/.test(code)) throw new CountyError('township-code', `乡镇代码应为 9 位数字，收到「${code}」`, `本县乡镇代码以 ${county} 开头，如 ${county}100`)
  if (!code.startsWith(county)) throw new CountyError('township-code', `乡镇代码 ${code} 不属于本县（${county}）`, `本县乡镇代码以 ${county} 开头`)
}

async function townshipOf(db: Queryable, tenant: Tenant, codeOrName: string) {
  const t = await db.selectFrom('townships').selectAll().where('tenant_id', '=', tenant.id)
    .where((eb) => eb.or([eb('code', '=', codeOrName), eb('name', '=', codeOrName)])).executeTakeFirst()
  if (!t) {
    const all = await db.selectFrom('townships').select(['code', 'name']).where('tenant_id', '=', tenant.id).orderBy('code').execute()
    throw new CountyError('township-unknown', `${tenant.name}没有乡镇「${codeOrName}」`, all.length ? `本县乡镇：${all.map((x) => `${x.code} ${x.name}`).join('、')}` : '先运行 county add 或 county township add')
  }
  return t
}

export async function addTownship(db: Db, tenantCode: string, code: string, name: string, now: Date) {
  return db.transaction().execute(async (trx) => {
    const tenant = await tenantByCode(trx, tenantCode)
    checkTownshipCode(tenant.code, code)
    if (!name.trim()) throw new CountyError('township-code', '缺少乡镇名称', `如：county township add ${code} 某某镇 --tenant ${tenant.code}`)
    const clash = await trx.selectFrom('townships').select(['code', 'name']).where('tenant_id', '=', tenant.id)
      .where((eb) => eb.or([eb('code', '=', code), eb('name', '=', name)])).executeTakeFirst()
    if (clash) throw new CountyError('township-exists', `已有乡镇 ${clash.code} ${clash.name}`, '改名请用 county township rename，代码变了请先 remove 旧的再 add')
    const t = await trx.insertInto('townships').values({ tenant_id: tenant.id, code, name: name.trim(), boundary: null }).returning(['id', 'code', 'name']).executeTakeFirstOrThrow()
    await trx.insertInto('township_changes').values({ tenant_id: tenant.id, township_id: t.id, change: 'added', code, name: t.name, old_code: null, old_name: null, source: 'cli', at: now }).execute()
    return { tenant, township: t }
  })
}

/** A new name and/or a new code for the same township: its patches, chats and people stay with it. */
export async function renameTownship(db: Db, tenantCode: string, which: string, to: { name?: string; code?: string }, now: Date) {
  return db.transaction().execute(async (trx) => {
    const tenant = await tenantByCode(trx, tenantCode)
    const t = await townshipOf(trx, tenant, which)
    const name = to.name?.trim() || t.name
    const code = to.code ?? t.code
    if (code !== t.code) checkTownshipCode(tenant.code, code)
    if (name === t.name && code === t.code) throw new CountyError('township-exists', `乡镇 ${t.code} ${t.name} 没有变化`, '给出新名称（--name）或新代码（--code）')
    const clash = await trx.selectFrom('townships').select(['code', 'name']).where('tenant_id', '=', tenant.id).where('id', '!=', t.id)
      .where((eb) => eb.or([eb('code', '=', code), eb('name', '=', name)])).executeTakeFirst()
    if (clash) throw new CountyError('township-exists', `已有乡镇 ${clash.code} ${clash.name}`, '两个乡镇合并时，先用 county township remove 旧乡镇 --into 新乡镇')
    await trx.updateTable('townships').set({ name, code }).where('id', '=', t.id).execute()
    await trx.insertInto('township_changes').values({ tenant_id: tenant.id, township_id: t.id, change: 'renamed', code, name, old_code: t.code, old_name: t.name, source: 'cli', at: now }).execute()
    return { tenant, before: { code: t.code, name: t.name }, after: { code, name } }
  })
}

/**
 * Removes a township. One that patches, chats or people refer to needs `into`: they move to that
 * township (a merger, 撤并), and the history says so.
 */
export async function removeTownship(db: Db, tenantCode: string, which: string, into: string | undefined, now: Date) {
  return db.transaction().execute(async (trx) => {
    const tenant = await tenantByCode(trx, tenantCode)
    const t = await townshipOf(trx, tenant, which)
    const count = async (table: 'patches' | 'chats' | 'people' | 'documents') =>
      Number((await trx.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).where('township_id', '=', t.id).executeTakeFirstOrThrow()).n)
    const uses = { patches: await count('patches'), chats: await count('chats'), people: await count('people'), documents: await count('documents') }
    const used = Object.values(uses).some((n) => n > 0)
    let target: { id: number; code: string; name: string } | undefined
    if (into) {
      target = await townshipOf(trx, tenant, into)
      if (target.id === t.id) throw new CountyError('township-in-use', '不能并入自己', '--into 给出另一个乡镇')
    }
    if (used && !target) {
      throw new CountyError('township-in-use', `乡镇 ${t.name} 还有 ${uses.patches} 个图斑、${uses.chats} 个群、${uses.people} 名人员、${uses.documents} 份文书`,
        `撤并时用 --into 指定并入的乡镇（如 county township remove ${t.code} --into 另一乡镇 --tenant ${tenant.code}），它们会转到该乡镇`)
    }
    if (target) for (const table of ['patches', 'chats', 'people', 'documents'] as const) await trx.updateTable(table).set({ township_id: target.id }).where('township_id', '=', t.id).execute()
    await trx.deleteFrom('townships').where('id', '=', t.id).execute()
    await trx.insertInto('township_changes').values({
      tenant_id: tenant.id, township_id: t.id, change: 'removed', code: target?.code ?? t.code, name: target?.name ?? t.name, old_code: t.code, old_name: t.name, source: 'cli', at: now,
    }).execute()
    return { tenant, removed: { code: t.code, name: t.name }, into: target ? { code: target.code, name: target.name } : null, moved: uses }
  })
}
