import { createHash } from 'node:crypto'
import type { ChatKind, Queryable } from '../schema.js'

/**
 * WeCom group robots (消息推送 webhooks): send-only chats. Each is a `chats` row on platform
 * 'wecom-robot' named by a digest of the key (chat ids are logged, keys must not be), and a
 * `webhook_robots` row with the key itself, read only by the robot's sender.
 */
export const ROBOT_PLATFORM = 'wecom-robot'

/** The chat id a key gets: stable, so binding the same robot again rebinds its chat. */
export function robotChatId(key: string): string {
  return `robot-${createHash('sha256').update(`wecom-robot:${key}`).digest('hex').slice(0, 16)}`
}

/** The last four characters, enough for staff to tell their robots apart. */
export function maskedKey(key: string): string {
  return `…${key.slice(-4)}`
}

export interface RobotBinding {
  tenantId: number
  kind: Exclude<ChatKind, 'direct'>
  townshipId: number | null
  label: string // 资源镇, 县卫片办工作群 …
  key: string
}

/** Binds (or rebinds) a robot to a township, the office or the leaders; returns its chat id. */
export async function bindRobot(db: Queryable, b: RobotBinding): Promise<string> {
  const chatId = robotChatId(b.key)
  const name = `${b.label}（群机器人${maskedKey(b.key)}）`
  await db.insertInto('webhook_robots').values({ chat_id: chatId, key: b.key }).onConflict((oc) => oc.column('chat_id').doNothing()).execute()
  await db
    .insertInto('chats')
    .values({ tenant_id: b.tenantId, platform: ROBOT_PLATFORM, platform_chat_id: chatId, kind: b.kind, township_id: b.townshipId, name })
    .onConflict((oc) => oc.columns(['platform', 'platform_chat_id']).doUpdateSet({ tenant_id: b.tenantId, kind: b.kind, township_id: b.townshipId, name }))
    .execute()
  return chatId
}

/** The key behind a robot's chat id; undefined once unbound. */
export async function robotKey(db: Queryable, chatId: string): Promise<string | undefined> {
  const row = await db.selectFrom('webhook_robots').select('key').where('chat_id', '=', chatId).executeTakeFirst()
  return row?.key
}

export async function listRobots(db: Queryable, tenantId: number) {
  const rows = await db
    .selectFrom('chats')
    .innerJoin('webhook_robots', 'webhook_robots.chat_id', 'chats.platform_chat_id')
    .select(['chats.platform_chat_id as chatId', 'chats.name', 'chats.kind', 'webhook_robots.key'])
    .where('chats.platform', '=', ROBOT_PLATFORM)
    .where('chats.tenant_id', '=', tenantId)
    .orderBy('chats.id')
    .execute()
  return rows.map(({ key, ...r }) => ({ ...r, key: maskedKey(key) }))
}

/** Unbinds a robot: no more messages go to it (rows still queued for it fail as unbound). */
export async function unbindRobot(db: Queryable, key: string): Promise<boolean> {
  const chatId = robotChatId(key)
  const deleted = await db.deleteFrom('chats').where('platform', '=', ROBOT_PLATFORM).where('platform_chat_id', '=', chatId).executeTakeFirst()
  await db.deleteFrom('webhook_robots').where('chat_id', '=', chatId).execute()
  return Number(deleted.numDeletedRows) > 0
}
