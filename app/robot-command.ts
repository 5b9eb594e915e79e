// `npm run cli -- robot …`: WeCom group robots (消息推送) bound from the command line, the same
// binding as `绑定 资源镇 webhook <key>` in a one-to-one chat with the bot.
import { parseArgs } from 'node:util'
import type { Kysely } from 'kysely'
import { bindRobotTo } from '../bot/pipeline/bind.js'
import { robotKeyOf } from '../core/index.js'
import { listRobots, unbindRobot } from '../db/queries/webhook-robots.js'
import type { Database } from '../db/schema.js'

export const ROBOT_USAGE = 'robot bind 乡镇名|卫片办|领导 KEY|WEBHOOK地址 [--tenant CODE] | robot list [--tenant CODE] | robot unbind KEY|WEBHOOK地址'
export const ROBOT_SUMMARY = '绑定、列出、解绑企业微信群机器人（消息推送，只能发消息）'

/** Returns the exit status; `print` and `fail` are the command's stdout and stderr. */
export async function runRobot(db: Kysely<Database>, args: string[], print: (line: string) => void, fail: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { tenant: { type: 'string' } } })
  const [verb, ...rest] = positionals
  if (verb === 'unbind') {
    const key = robotKeyOf(rest[0] ?? '')
    if (!key) return (fail(`用法：${ROBOT_USAGE}`), 1)
    const removed = await unbindRobot(db, key)
    removed ? print('已解绑该群机器人，之后不再向它推送。') : fail('没有绑定过这个群机器人。')
    return removed ? 0 : 1
  }
  if (verb !== 'bind' && verb !== 'list') return (fail(`用法：${ROBOT_USAGE}`), 1)
  const tenants = await db.selectFrom('tenants').select(['id', 'code', 'name']).orderBy('code').execute()
  const tenant = values.tenant ? tenants.find((t) => t.code === values.tenant) : tenants.length === 1 ? tenants[0] : undefined
  if (!tenant) {
    fail(values.tenant ? `没有县代码为 ${values.tenant} 的县。` : `请用 --tenant 指定县代码（${tenants.map((t) => `${t.code} ${t.name}`).join('、') || '数据库中还没有县'}）。`)
    return 1
  }
  if (verb === 'list') {
    const robots = await listRobots(db, tenant.id)
    if (robots.length === 0) print(`${tenant.name}还没有绑定群机器人。`)
    for (const r of robots) print(`${r.name}\tkey ${r.key}`)
    return 0
  }
  const [target, keyText] = rest
  const key = robotKeyOf(keyText ?? '')
  if (!target || !key) return (fail(`用法：${ROBOT_USAGE}`), 1)
  const result = await bindRobotTo(db, tenant.id, target, key)
  ;(result.ok ? print : fail)(result.text)
  return result.ok ? 0 : 1
}
