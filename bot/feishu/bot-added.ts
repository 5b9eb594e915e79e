import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import { enqueue } from '../../delivery/outbox/enqueue.js'
import { BIND_HELP } from '../pipeline/bind.js'
import { PLATFORM } from './inbound-map.js'

/**
 * The bot was added to a group: say in the group how to bind it (through the outbox, keyed by the
 * event, so a redelivered event says it once). A group bound before is told what it is bound to.
 */
export function botAddedNotice(db: Kysely<Database>, now: () => Date) {
  return async (chatId: string, eventId: string): Promise<void> => {
    const chat = await db.selectFrom('chats').select(['tenant_id', 'name']).where('platform', '=', PLATFORM).where('platform_chat_id', '=', chatId).executeTakeFirst()
    const text = chat
      ? `卫片执法助手已加入。本群已绑定为「${chat.name}」；如需更改，${BIND_HELP}`
      : `卫片执法助手已加入本群。${BIND_HELP}绑定后，新下发的图斑会以卡片推送到群内，可直接回复卡片上报核查结果和现场照片。`
    await enqueue(db, [{ key: `feishu:bot-added:${eventId}`, tenantId: chat?.tenant_id ?? null, platform: PLATFORM, target: chatId, payload: { kind: 'text', text } }], now())
  }
}
