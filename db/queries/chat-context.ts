// What a handler may know about where a message came from: the chat, its tenant, the sender's
// people row, the chat's township. Reads only.
import type { Queryable } from '../schema.js'

/** undefined when no tenant has bound the chat yet. */
export async function loadChatContext(db: Queryable, platform: string, chatId: string, senderId: string) {
  const chat = await db.selectFrom('chats').selectAll().where('platform', '=', platform).where('platform_chat_id', '=', chatId).executeTakeFirst()
  if (!chat) return undefined
  const tenant = await db.selectFrom('tenants').selectAll().where('id', '=', chat.tenant_id).executeTakeFirstOrThrow()
  const person = await db
    .selectFrom('people')
    .leftJoin('townships', 'townships.id', 'people.township_id')
    .selectAll('people')
    .select('townships.code as townshipCode')
    .where('people.platform', '=', platform)
    .where('people.platform_user_id', '=', senderId)
    .where('people.tenant_id', '=', tenant.id)
    .executeTakeFirst()
  const township = chat.township_id
    ? await db.selectFrom('townships').select(['id', 'code', 'name']).where('id', '=', chat.township_id).executeTakeFirst()
    : undefined
  return { chat, tenant, person, township }
}

/** The tenant a chat is bound to, or null. */
export async function tenantOfChat(db: Queryable, platform: string, chatId: string): Promise<number | null> {
  const chat = await db.selectFrom('chats').select('tenant_id').where('platform', '=', platform).where('platform_chat_id', '=', chatId).executeTakeFirst()
  return chat?.tenant_id ?? null
}
