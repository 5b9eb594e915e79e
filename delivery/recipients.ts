import type { Queryable } from '../db/schema.js'

/** Who a message is for, before it is known which chats that means. */
export type Recipient =
  | { kind: 'here' } // the chat the message came from, as a reply
  | { kind: 'township'; townshipId: number }
  | { kind: 'office' }
  | { kind: 'leaders' }
  | { kind: 'chat'; platform: string; chatId: string } // one chat: the one a card to update was sent to

/** A recipient that names chats by itself, without a message to answer. */
export type ChatRecipient = Exclude<Recipient, { kind: 'here' }>

export interface ChatRef {
  platform: string
  chatId: string
}

/**
 * The chats a recipient means in a tenant, in the order they were bound: the one answer to "which
 * chats does this recipient mean", for the pipeline, the dispatcher and the jobs alike.
 */
export async function chatsOf(db: Queryable, tenantId: number, to: ChatRecipient): Promise<ChatRef[]> {
  if (to.kind === 'chat') return [{ platform: to.platform, chatId: to.chatId }]
  let q = db.selectFrom('chats').select(['platform', 'platform_chat_id as chatId']).where('tenant_id', '=', tenantId)
  if (to.kind === 'township') q = q.where('kind', '=', 'township').where('township_id', '=', to.townshipId)
  else q = q.where('kind', '=', to.kind === 'office' ? 'office' : 'leader')
  return q.orderBy('id').execute()
}
