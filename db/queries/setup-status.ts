// What a county's set-up has and lacks, for `status --tenant` and the chat's 设置情况. Reads only.
import { sql } from 'kysely'
import type { LayerKind, Queryable, Role } from '../schema.js'

export interface SetupStatus {
  tenant: { code: string; name: string }
  townships: { code: string; name: string; groups: number; boundary: boolean; people: number }[]
  officeGroups: number
  leaderGroups: number
  layers: { kind: LayerKind; version: number | null; features: number; importedAt: Date | null; file: string | null }[]
  people: Partial<Record<Role, number>>
  openInvites: number
  patches: number
  batches: number
  platforms: { platform: string; chats: number; lastReceived: Date | null; lastSent: Date | null; pending: number; dead: number }[]
  jobs: { job: string; period: string; finishedAt: Date | null }[]
}

export async function setupStatus(db: Queryable, tenantId: number, now: Date): Promise<SetupStatus> {
  const tenant = await db.selectFrom('tenants').select(['code', 'name']).where('id', '=', tenantId).executeTakeFirstOrThrow()
  const townships = await db.selectFrom('townships').select(['id', 'code', 'name', sql<boolean>`boundary is not null`.as('has_boundary')])
    .where('tenant_id', '=', tenantId).orderBy('code').execute()
  const chats = await db.selectFrom('chats').select(['kind', 'township_id', 'platform']).where('tenant_id', '=', tenantId).where('kind', '!=', 'direct').execute()
  const people = await db.selectFrom('people').select(['role', 'township_id']).where('tenant_id', '=', tenantId).where('platform', '!=', 'revoked').execute()
  const layers = await db.selectFrom('layers').selectAll().where('tenant_id', '=', tenantId).where('replaced_at', 'is', null).execute()
  // areas loaded before layer versions existed (the demo county) count as a layer without a version
  const legacy = await db.selectFrom('protection_areas').select(['layer', (eb) => eb.fn.countAll<string>().as('n')])
    .where('tenant_id', '=', tenantId).where('layer_id', 'is', null).groupBy('layer').execute()
  const invites = await db.selectFrom('invites').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirstOrThrow()
  const patches = await db.selectFrom('patches').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow()
  const batches = await db.selectFrom('batches').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow()
  const platforms = [...new Set(chats.map((c) => c.platform))].sort()
  const platformRows = []
  for (const platform of platforms) {
    const chatIds = (await db.selectFrom('chats').select('platform_chat_id').where('tenant_id', '=', tenantId).where('platform', '=', platform).execute()).map((c) => c.platform_chat_id)
    const received = chatIds.length
      ? await db.selectFrom('inbound_messages').select(sql<Date | null>`max(received_at)`.as('at')).where('platform', '=', platform).where('chat_id', 'in', chatIds).executeTakeFirst()
      : undefined
    const out = await db.selectFrom('outbox')
      .select([
        sql<Date | null>`max(sent_at)`.as('sent'),
        sql<string>`count(*) filter (where status = 'pending')`.as('pending'),
        sql<string>`count(*) filter (where status = 'dead')`.as('dead'),
      ])
      .where('tenant_id', '=', tenantId).where('platform', '=', platform).executeTakeFirstOrThrow()
    platformRows.push({
      platform, chats: chats.filter((c) => c.platform === platform).length,
      lastReceived: received?.at ? new Date(received.at) : null, lastSent: out.sent ? new Date(out.sent) : null,
      pending: Number(out.pending), dead: Number(out.dead),
    })
  }
  const jobs = await db.selectFrom('job_runs').select(['job', 'period', 'finished_at']).where('tenant_id', '=', tenantId)
    .orderBy('started_at', 'desc').limit(200).execute()
  const lastByJob = new Map<string, { job: string; period: string; finishedAt: Date | null }>()
  for (const j of jobs) if (!lastByJob.has(j.job)) lastByJob.set(j.job, { job: j.job, period: j.period, finishedAt: j.finished_at ? new Date(j.finished_at) : null })
  const roleCount: Partial<Record<Role, number>> = {}
  for (const p of people) roleCount[p.role] = (roleCount[p.role] ?? 0) + 1
  return {
    tenant,
    townships: townships.map((t) => ({
      code: t.code, name: t.name, boundary: Boolean(t.has_boundary),
      groups: chats.filter((c) => c.kind === 'township' && c.township_id === t.id).length,
      people: people.filter((p) => p.role === 'official' && p.township_id === t.id).length,
    })),
    officeGroups: chats.filter((c) => c.kind === 'office').length,
    leaderGroups: chats.filter((c) => c.kind === 'leader').length,
    layers: [
      ...layers.map((l) => ({ kind: l.kind, version: l.version, features: l.features, importedAt: new Date(l.imported_at), file: l.source_file })),
      ...legacy.filter((g) => !layers.some((l) => l.kind === g.layer)).map((g) => ({ kind: g.layer, version: null, features: Number(g.n), importedAt: null, file: null })),
    ],
    people: roleCount,
    openInvites: Number(invites.n),
    patches: Number(patches.n),
    batches: Number(batches.n),
    platforms: platformRows,
    jobs: [...lastByJob.values()].sort((a, b) => a.job.localeCompare(b.job)),
  }
}
