// `npm run cli -- approver …`: the county's named approver of bulletins and letters (issue 12 point 13),
// the same setting as `设置审批人 通报 @姓名` sent by an administrator in the chat.
import { parseArgs } from 'node:util'
import type { Kysely } from 'kysely'
import { approverOf, setApprover, type ApproverKind } from '../db/queries/approvers.js'
import type { Database } from '../db/schema.js'

export const APPROVER_USAGE = 'approver set bulletin|letters --person 姓名 [--tenant CODE] | approver show [--tenant CODE]'
export const APPROVER_SUMMARY = '指定通报、函件的审批人（一位已登记的人员）；show 列出当前审批人'

const KINDS: Record<string, ApproverKind> = { bulletin: 'bulletin', letters: 'letters', 通报: 'bulletin', 函件: 'letters' }
const LABEL: Record<ApproverKind, string> = { bulletin: '通报', letters: '函件' }

export async function runApprover(db: Kysely<Database>, args: string[], print: (line: string) => void, fail: (line: string) => void, now: Date): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { tenant: { type: 'string' }, person: { type: 'string' } } })
  const [verb, kindText] = positionals
  if (verb !== 'set' && verb !== 'show') return (fail(`用法：${APPROVER_USAGE}`), 1)
  const tenants = await db.selectFrom('tenants').select(['id', 'code', 'name']).orderBy('code').execute()
  const tenant = values.tenant ? tenants.find((t) => t.code === values.tenant) : tenants.length === 1 ? tenants[0] : undefined
  if (!tenant) {
    fail(values.tenant ? `没有县代码为 ${values.tenant} 的县。` : `请用 --tenant 指定县代码（${tenants.map((t) => `${t.code} ${t.name}`).join('、') || '数据库中还没有县'}）。`)
    return 1
  }
  if (verb === 'show') {
    for (const kind of ['bulletin', 'letters'] as const) {
      const who = await approverOf(db, tenant.id, kind)
      print(`${LABEL[kind]}审批人：${who ? who.name : '未指定'}`)
    }
    return 0
  }
  const kind = kindText ? KINDS[kindText] : undefined
  if (!kind || !values.person) return (fail(`用法：${APPROVER_USAGE}`), 1)
  const people = await db.selectFrom('people').select(['id', 'name', 'role']).where('tenant_id', '=', tenant.id)
    .where('name', '=', values.person).where('platform', '!=', 'revoked').execute()
  if (people.length === 0) return (fail(`${tenant.name}没有名为「${values.person}」的已登记人员。请先在群里「登记 @姓名 领导」。`), 1)
  if (people.length > 1) return (fail(`${tenant.name}有${people.length}位名为「${values.person}」的人员，请在群里用「设置审批人 ${LABEL[kind]} @姓名」指定。`), 1)
  const who = people[0]!
  if (who.role === 'official') return (fail(`${who.name} 是乡镇人员，不能审批县级${LABEL[kind]}。`), 1)
  await setApprover(db, tenant.id, kind, who.id, 'cli', now)
  print(`已设置：${tenant.name}的${LABEL[kind]}由 ${who.name} 审批。`)
  return 0
}
