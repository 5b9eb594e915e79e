import { sql, type Kysely } from 'kysely'

// Indexes for the chat's hot lookups: a patch by the number people type (any case), and "this
// person's last step in this chat" that links a photo to the report it follows.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('patches_tenant_number_upper')
    .on('patches')
    .expression(sql`tenant_id, upper(number)`)
    .execute()
  await db.schema.createIndex('inbound_chat_sender').on('inbound_messages').columns(['platform', 'chat_id', 'sender_id', 'id']).execute()
  await db.schema.createIndex('patch_events_inbound').on('patch_events').column('inbound_id').execute()
}
