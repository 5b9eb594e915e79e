import type { Kysely, Transaction } from 'kysely'
import { parseMessage } from '../../core/index.js'
import { loadChatContext, tenantOfChat } from '../../db/queries/chat-context.js'
import { tenantPolicy } from '../../db/queries/tenant-policy.js'
import type { Database } from '../../db/schema.js'
import { failureKind, MediaUnavailableError, type Inbound, type Sender } from '../../delivery/channel.js'
import { inboundFailureKey, inboundKey } from '../../delivery/keys.js'
import { enqueue, type OutboxMessage } from '../../delivery/outbox/enqueue.js'
import { chatsOf } from '../../delivery/recipients.js'
import { effectSink, type BaseContext, type Context } from './context.js'
import { lockInbound, markFailed, markHandled, storedInbound } from '../../db/queries/inbound.js'
import { handleUnbound } from './bind.js'
import { route } from './route.js'

export interface HandlingDeps {
  db: Kysely<Database>
  /** connections of their own for storing inbound messages, so an acknowledgement never waits behind handling */
  ingestDb?: Kysely<Database>
  /** the platforms' senders: a photo or file is fetched through the one it came from */
  senders: ReadonlyMap<string, Sender>
  now: () => Date
  log?: (line: string) => void
  /** test hook: throw here to simulate a crash between storing and handling */
  afterStore?: (inboundId: number) => void | Promise<void>
  /** called after a message's effects are committed (the sender may deliver now) */
  onCommitted?: () => void
}

/**
 * Handles a stored message: one transaction writes the state, the events, the outbox rows and the
 * "handled" mark together. A failure leaves the message stored with its error, for replay.
 */
export async function processStored(deps: HandlingDeps, inboundId: number): Promise<'handled' | 'failed'> {
  try {
    await deps.afterStore?.(inboundId)
    const { inbound, handled } = await storedInbound(deps.db, inboundId)
    if (handled) return 'handled'
    // network I/O stays outside the transaction
    const media = inbound.media ? await fetchMedia(deps, inbound) : undefined
    await deps.db.transaction().execute(async (trx) => {
      if (await lockInbound(trx, inboundId)) return
      const base: BaseContext = {
        trx, inbound, inboundId, now: deps.now(),
        intent: inbound.kind === 'text' ? parseMessage(inbound.text ?? '') : undefined,
        ...effectSink(),
      }
      const ctx = await loadContext(base, media)
      if (ctx) await route(ctx)
      else await handleUnbound(base) // a chat no tenant knows yet: only binding can happen there
      await writeEffects(trx, ctx ?? base, ctx?.tenant.id ?? (await tenantOfChat(trx, inbound.platform, inbound.chatId)))
      await markHandled(trx, inboundId, deps.now())
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

/**
 * A link that expired, a file that does not decrypt, or a download the platform refuses for good (a
 * 4xx: withdrawn, not in the message): handled without it (the sender is asked again), not replayed
 * every minute; a transient failure (5xx, network) fails the message, which is kept and replayed.
 */
async function fetchMedia(deps: HandlingDeps, inbound: Inbound): Promise<Uint8Array | undefined> {
  try {
    return await deps.senders.get(inbound.platform)?.fetchMedia(inbound.media!, inbound.messageId)
  } catch (error) {
    if (!(error instanceof MediaUnavailableError) && failureKind(error) !== 'permanent') throw error
    deps.log?.(`inbound ${inbound.platform}/${inbound.messageId}: media unavailable: ${error instanceof Error ? error.message : String(error)}`)
    return undefined
  }
}

/** The sender hears once that the message is kept and will be retried, instead of silence. */
async function noticeOfFailure(deps: HandlingDeps, inboundId: number) {
  const row = await deps.db.selectFrom('inbound_messages').select(['platform', 'chat_id', 'message_id']).where('id', '=', inboundId).executeTakeFirstOrThrow()
  await enqueue(
    deps.db,
    [{
      key: inboundFailureKey(inboundId), tenantId: await tenantOfChat(deps.db, row.platform, row.chat_id), platform: row.platform, target: row.chat_id, replyTo: row.message_id,
      payload: { kind: 'text', text: '这条消息暂时未能处理，已保存，系统会自动重试；如长时间没有回复，请联系县卫片办。' },
    }],
    deps.now(),
  )
}

/** Reads what a handler may know; undefined when the chat is bound to no tenant yet. Reads only. */
async function loadContext(base: BaseContext, media: Uint8Array | undefined): Promise<Context | undefined> {
  const { trx, inbound } = base
  const found = await loadChatContext(trx, inbound.platform, inbound.chatId, inbound.senderId)
  if (!found) return inbound.direct ? directContext(base, media) : undefined
  return { ...base, ...found, policy: tenantPolicy(found.tenant.policy_overrides), media }
}

/**
 * The one-to-one chat of a registered person (photos sent privately, where a group would drop
 * them): a chat of kind 'direct' that exists for this message only, in the person's township.
 */
async function directContext(base: BaseContext, media: Uint8Array | undefined): Promise<Context | undefined> {
  const { trx, inbound } = base
  const person = await trx
    .selectFrom('people')
    .leftJoin('townships', 'townships.id', 'people.township_id')
    .selectAll('people')
    .select('townships.code as townshipCode')
    .where('people.platform', '=', inbound.platform)
    .where('people.platform_user_id', '=', inbound.senderId)
    .orderBy('people.id')
    .executeTakeFirst()
  if (!person) return undefined
  const tenant = await trx.selectFrom('tenants').selectAll().where('id', '=', person.tenant_id).executeTakeFirstOrThrow()
  const township = person.township_id
    ? await trx.selectFrom('townships').select(['id', 'code', 'name']).where('id', '=', person.township_id).executeTakeFirst()
    : undefined
  const chat = {
    id: 0, tenant_id: tenant.id, platform: inbound.platform, platform_chat_id: inbound.chatId, kind: 'direct' as const,
    township_id: person.township_id, name: `与${person.name}的单聊`, created_at: base.now,
  }
  return { ...base, tenant, policy: tenantPolicy(tenant.policy_overrides), chat, person, township, media }
}

/** Effects → outbox rows, keyed by the inbound message, so a replay can never send twice. */
async function writeEffects(trx: Transaction<Database>, ctx: BaseContext, tenantId: number | null) {
  const rows: OutboxMessage[] = []
  let index = 0
  for (const effect of ctx.effects) {
    const here = effect.to.kind === 'here'
    const targets = effect.to.kind === 'here'
      ? [{ platform: ctx.inbound.platform, chatId: ctx.inbound.chatId }]
      : tenantId === null && effect.to.kind !== 'chat' ? [] : await chatsOf(trx, tenantId ?? -1, effect.to)
    for (const target of targets) {
      rows.push({
        key: inboundKey(ctx.inboundId, index++),
        tenantId,
        platform: target.platform,
        target: target.chatId,
        replyTo: here ? ctx.inbound.messageId : null,
        payload: effect.payload,
        patchId: effect.patchId ?? null,
      })
    }
  }
  await enqueue(trx, rows, ctx.now)
}
