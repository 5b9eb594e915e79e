import type { Kysely, Transaction } from 'kysely'
import { tenantPolicy } from '../../db/queries/tenant-policy.js'
import type { Database } from '../../db/schema.js'
import type { Channel, Inbound } from '../../delivery/channel.js'
import { enqueue, type OutboxMessage } from '../../delivery/outbox/enqueue.js'
import { bindUnregisteredChat } from './bind.js'
import type { Context, Effect, Recipient } from './context.js'
import { inboundFromPayload, markFailed, storeInbound, unhandledInbound } from './inbound-store.js'
import { route } from './route.js'

export interface PipelineDeps {
  db: Kysely<Database>
  channels: ReadonlyMap<string, Channel>
  now: () => Date
  log?: (line: string) => void
  /** test hook: throw here to simulate a crash between storing and handling */
  afterStore?: (inboundId: number) => void | Promise<void>
  /** called after a message's effects are committed (the sender may deliver now) */
  onCommitted?: () => void
}

export type HandleResult = { inboundId: number; duplicate: boolean; status: 'handled' | 'failed' | 'duplicate' }

/** The one way in: store the message (once), then handle it. */
export async function handleInbound(deps: PipelineDeps, message: Inbound): Promise<HandleResult> {
  const stored = await storeInbound(deps.db, message)
  if (stored.duplicate) return { inboundId: stored.id, duplicate: true, status: 'duplicate' }
  const status = await processStored(deps, stored.id)
  return { inboundId: stored.id, duplicate: false, status }
}

/**
 * Handles a stored message: one transaction writes the state, the events, the outbox rows and the
 * "handled" mark together. A failure leaves the message stored with its error, for replay.
 */
export async function processStored(deps: PipelineDeps, inboundId: number): Promise<'handled' | 'failed'> {
  try {
    await deps.afterStore?.(inboundId)
    const row = await deps.db.selectFrom('inbound_messages').select(['payload', 'status']).where('id', '=', inboundId).executeTakeFirstOrThrow()
    if (row.status === 'handled') return 'handled'
    const inbound = inboundFromPayload(row.payload)
    // network I/O stays outside the transaction
    const media = inbound.media ? await deps.channels.get(inbound.platform)?.fetchMedia(inbound.media, inbound.messageId) : undefined
    await deps.db.transaction().execute(async (trx) => {
      const locked = await trx.selectFrom('inbound_messages').select('status').where('id', '=', inboundId).forUpdate().executeTakeFirstOrThrow()
      if (locked.status === 'handled') return
      const ctx = await buildContext(trx, deps, inbound, inboundId, media)
      if (ctx) {
        await route(ctx)
        await writeEffects(trx, ctx)
      }
      await trx
        .updateTable('inbound_messages')
        .set((eb) => ({ status: 'handled', handled_at: deps.now(), error: null, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', inboundId)
        .execute()
    })
    deps.onCommitted?.()
    return 'handled'
  } catch (error) {
    deps.log?.(`inbound ${inboundId} failed: ${String(error)}`)
    try {
      await markFailed(deps.db, inboundId, error)
      await noticeOfFailure(deps, inboundId)
    } catch (e) {
      deps.log?.(`inbound ${inboundId}: could not record the failure: ${String(e)}`) // the row stays 'received' for replay
    }
    return 'failed'
  }
}

/** The sender hears once that the message is kept and will be retried, instead of silence. */
async function noticeOfFailure(deps: PipelineDeps, inboundId: number) {
  const row = await deps.db.selectFrom('inbound_messages').select(['platform', 'chat_id', 'message_id']).where('id', '=', inboundId).executeTakeFirstOrThrow()
  const chat = await deps.db.selectFrom('chats').select('tenant_id').where('platform', '=', row.platform).where('platform_chat_id', '=', row.chat_id).executeTakeFirst()
  await enqueue(
    deps.db,
    [{
      key: `in:${inboundId}:failed`, tenantId: chat?.tenant_id ?? null, platform: row.platform, target: row.chat_id, replyTo: row.message_id,
      payload: { kind: 'text', text: '这条消息暂时未能处理，已保存，系统会自动重试；如长时间没有回复，请联系县卫片办。' },
    }],
    deps.now(),
  )
}

/**
 * Handles what was stored but not handled: after a crash, at start-up, and periodically. Rows younger
 * than `olderThanMs` may still be in flight; rows that failed `maxAttempts` times wait for a person.
 */
export async function replayUnhandled(deps: PipelineDeps, options: { olderThanMs?: number; maxAttempts?: number } = {}): Promise<number> {
  let done = 0
  const before = new Date(deps.now().getTime() - (options.olderThanMs ?? 0))
  for (const row of await unhandledInbound(deps.db, { before, maxAttempts: options.maxAttempts ?? 10 })) {
    if ((await processStored(deps, row.id)) === 'handled') done++
  }
  return done
}

async function buildContext(
  trx: Transaction<Database>,
  deps: PipelineDeps,
  inbound: Inbound,
  inboundId: number,
  media: Uint8Array | undefined,
): Promise<Context | undefined> {
  const chat = await trx
    .selectFrom('chats')
    .selectAll()
    .where('platform', '=', inbound.platform)
    .where('platform_chat_id', '=', inbound.chatId)
    .executeTakeFirst()
  if (!chat) {
    if (await bindUnregisteredChat(trx, inbound, inboundId, deps.now())) return undefined // 绑定 from a staff member
    await enqueue(trx, [replyRow(inbound, inboundId, 0, null, '本群尚未登记到卫片执法系统。请县卫片办工作人员在群内发送「绑定 乡镇名称」（如：绑定 资源镇）。')], deps.now())
    return undefined
  }
  const tenant = await trx.selectFrom('tenants').selectAll().where('id', '=', chat.tenant_id).executeTakeFirstOrThrow()
  const person = await trx
    .selectFrom('people')
    .leftJoin('townships', 'townships.id', 'people.township_id')
    .selectAll('people')
    .select('townships.code as townshipCode')
    .where('people.platform', '=', inbound.platform)
    .where('people.platform_user_id', '=', inbound.senderId)
    .where('people.tenant_id', '=', tenant.id)
    .executeTakeFirst()
  const township = chat.township_id
    ? await trx.selectFrom('townships').select(['id', 'code', 'name']).where('id', '=', chat.township_id).executeTakeFirst()
    : undefined
  const effects: Effect[] = []
  return {
    trx, inbound, inboundId, now: deps.now(), tenant, policy: tenantPolicy(tenant.policy_overrides), chat, person, township, media, effects,
    say(to: Recipient, payload, patchId) {
      effects.push({ to, payload, ...(patchId !== undefined ? { patchId } : {}) })
    },
    reply(text, patchId) {
      effects.push({ to: { kind: 'here' }, payload: { kind: 'text', text }, ...(patchId !== undefined ? { patchId } : {}) })
    },
  }
}

/** Effects → outbox rows, keyed by the inbound message, so a replay can never send twice. */
async function writeEffects(trx: Transaction<Database>, ctx: Context) {
  const rows: OutboxMessage[] = []
  let index = 0
  for (const effect of ctx.effects) {
    for (const target of await targetsOf(trx, ctx, effect.to)) {
      rows.push({
        key: `in:${ctx.inboundId}:${index++}`,
        tenantId: ctx.tenant.id,
        platform: target.platform,
        target: target.chatId,
        replyTo: effect.to.kind === 'here' ? ctx.inbound.messageId : null,
        payload: effect.payload,
        patchId: effect.patchId ?? null,
      })
    }
  }
  await enqueue(trx, rows, ctx.now)
}

export async function targetsOf(
  trx: Kysely<Database> | Transaction<Database>,
  ctx: Pick<Context, 'tenant' | 'inbound'>,
  to: Recipient,
): Promise<Array<{ platform: string; chatId: string }>> {
  if (to.kind === 'here') return [{ platform: ctx.inbound.platform, chatId: ctx.inbound.chatId }]
  if (to.kind === 'chat') return [{ platform: to.platform, chatId: to.chatId }]
  let q = trx.selectFrom('chats').select(['platform', 'platform_chat_id as chatId']).where('tenant_id', '=', ctx.tenant.id)
  if (to.kind === 'township') q = q.where('kind', '=', 'township').where('township_id', '=', to.townshipId)
  else q = q.where('kind', '=', to.kind === 'office' ? 'office' : 'leader')
  return q.orderBy('id').execute()
}

function replyRow(inbound: Inbound, inboundId: number, index: number, tenantId: number | null, text: string): OutboxMessage {
  return {
    key: `in:${inboundId}:${index}`, tenantId, platform: inbound.platform, target: inbound.chatId,
    replyTo: inbound.messageId, payload: { kind: 'text', text },
  }
}
