import { sql, type Kysely } from 'kysely'

// The WeCom group robots (消息推送 webhooks) bound to chats. A robot's key is its whole credential
// (anyone holding it may post to the group), so it lives here and not in `chats.platform_chat_id`,
// which is logged with every outbox row: the chat is named by a digest of the key instead.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_robots')
    .addColumn('chat_id', 'text', (c) => c.primaryKey()) // chats.platform_chat_id, platform 'wecom-robot'
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}
