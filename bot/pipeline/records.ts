// The county's record commands (issue 12 points 12-14): the named approver, 约谈/问责 held and
// reported, 移交 to a department and its return, findings. Who may is core's authorize (route.ts);
// what each record calls for and by when is core's recordDue.
import { chinaDate, dueText, matchTownship, recordDue, resolveRecordDate, townshipMissText, type Intent } from '../../core/index.js'
import { approverOf, setApprover } from '../../db/queries/approvers.js'
import { closeRecord, insertRecord, oldestOpen } from '../../db/queries/county-records.js'
import { loadPatch } from '../../db/queries/patches.js'
import { townshipsOf } from '../../db/queries/townships.js'
import type { Context } from './context.js'
import { resolvePatch } from './resolve-patch.js'

type RecordIntentOf = Extract<Intent, { kind: 'approvers' | 'setApprover' | 'talkRecord' | 'talkReported' | 'handover' | 'handoverReturn' | 'finding' }>

const WORD = { talk: '约谈', accountability: '问责', bulletin: '通报' } as const
const DOC = { bulletin: '通报', letters: '函件' } as const

export async function handleRecord(ctx: Context, intent: RecordIntentOf): Promise<void> {
  const today = chinaDate(ctx.now)
  switch (intent.kind) {
    case 'approvers': {
      const lines: string[] = []
      for (const kind of ['bulletin', 'letters'] as const) {
        const who = await approverOf(ctx.trx, ctx.tenant.id, kind)
        const title = kind === 'bulletin' ? ctx.policy.bulletin.approvedBy : ctx.policy.letters.approvedBy
        lines.push(`${DOC[kind]}审批人（${title}）：${who ? who.name : '未指定'}`)
      }
      return ctx.reply(`${lines.join('\n')}\n系统管理员可发送「设置审批人 通报 @姓名」「设置审批人 函件 @姓名」更改。`)
    }
    case 'setApprover': {
      const mentioned = ctx.inbound.mentions ?? []
      if (mentioned.length !== 1) return ctx.reply(`请 @ 一位审批人，如：设置审批人 ${DOC[intent.document]} @王局长（在群里 @ 选择此人）。`)
      const who = await ctx.trx.selectFrom('people').select(['id', 'name', 'role']).where('tenant_id', '=', ctx.tenant.id)
        .where('platform', '=', ctx.inbound.platform).where('platform_user_id', '=', mentioned[0]!.id).executeTakeFirst()
      if (!who) return ctx.reply(`${mentioned[0]!.name || '此人'} 尚未登记。请先「登记 @姓名 领导」或「登记 @姓名 卫片办」，再设置审批人。`)
      if (who.role === 'official') return ctx.reply(`${who.name} 是乡镇人员，不能审批县级${DOC[intent.document]}。`)
      await setApprover(ctx.trx, ctx.tenant.id, intent.document, who.id, String(ctx.person!.id), ctx.now)
      const title = intent.document === 'bulletin' ? ctx.policy.bulletin.approvedBy : ctx.policy.letters.approvedBy
      return ctx.reply(`已设置：${DOC[intent.document]}由${title}（${who.name}）审批，其他人不能同意或退回。`)
    }
    case 'talkRecord': {
      const township = await townshipNamed(ctx, intent.township)
      if ('miss' in township) return ctx.reply(township.miss)
      const on = resolveRecordDate(intent.date, today)
      if (!on.ok) return ctx.reply(on.reason)
      const due = recordDue(intent.record, on.date, ctx.policy)!
      await insertRecord(ctx.trx, { tenantId: ctx.tenant.id, kind: intent.record, townshipId: township.id, heldOn: on.date, dueOn: due.due, recordedBy: ctx.person!.id, at: ctx.now })
      const text = `${township.name}${on.date}${intent.record === 'talk' ? '开展约谈' : '启动问责'}，须于${dueText(due.due)}前将${due.label}。`
      ctx.say({ kind: 'township', townshipId: township.id }, { kind: 'text', text: `【${WORD[intent.record]}情况上报】${text}报送后由县卫片办登记。` })
      return ctx.reply(`已登记：${text}到期前每天提醒；收到后发送「${WORD[intent.record]}已报 ${township.name}」。`)
    }
    case 'talkReported': {
      const township = await townshipNamed(ctx, intent.township)
      if ('miss' in township) return ctx.reply(township.miss)
      const open = await oldestOpen(ctx.trx, ctx.tenant.id, intent.record, { townshipId: township.id })
      if (!open) return ctx.reply(`${township.name}没有待上报的${WORD[intent.record]}情况。先发送「${WORD[intent.record]} ${township.name} 日期」登记。`)
      await closeRecord(ctx.trx, open.id, today, null)
      const late = open.due_on !== null && today > open.due_on
      return ctx.reply(`已登记：${township.name}${open.held_on}的${WORD[intent.record]}情况已上报${late ? `（应于${open.due_on}前，已逾期）` : ''}。`)
    }
    case 'handover':
    case 'handoverReturn':
    case 'finding':
      return patchRecord(ctx, intent, today)
  }
}

async function patchRecord(ctx: Context, intent: Extract<RecordIntentOf, { kind: 'handover' | 'handoverReturn' | 'finding' }>, today: string) {
  const link = await resolvePatch(ctx, intent.patchNo, false)
  if ('error' in link) return ctx.reply(intent.patchNo ? link.error : '请写明图斑编号，如：移交 JC2026450329001 县水利局。')
  const patch = await loadPatch(ctx.trx, link.patchId)
  if (!patch || patch.row.tenant_id !== ctx.tenant.id) return ctx.reply('未找到该图斑。')
  const no = patch.row.number
  if (intent.kind === 'handover') {
    // 001_8c1f6dae78f37652.txt:41 a 移交 is of a violation: the judgment says it is one
    if (patch.snapshot.judgment?.kind !== 'illegal') return ctx.reply(`图斑 ${no} 尚未判定为违法，不能移交。判定违法后再移交相关部门。`)
    const on = resolveRecordDate(intent.date, today)
    if (!on.ok) return ctx.reply(on.reason)
    const due = recordDue('handover', on.date, ctx.policy)!
    await insertRecord(ctx.trx, { tenantId: ctx.tenant.id, kind: 'handover', townshipId: patch.row.township_id, patchId: link.patchId, department: intent.department, heldOn: on.date, dueOn: due.due, recordedBy: ctx.person!.id, at: ctx.now })
    return ctx.reply(`已登记：图斑 ${no} 于${on.date}移交${intent.department}处置，${intent.department}须于${dueText(due.due)}前将处置结果报县卫片办；收到后发送「移交反馈 ${no} 处置结果」。`, link.patchId)
  }
  if (intent.kind === 'handoverReturn') {
    const open = await oldestOpen(ctx.trx, ctx.tenant.id, 'handover', { patchId: link.patchId })
    if (!open) return ctx.reply(`图斑 ${no} 没有待反馈的移交记录。先发送「移交 ${no} 部门」登记移交。`, link.patchId)
    await closeRecord(ctx.trx, open.id, today, intent.result)
    return ctx.reply(`已登记：${open.department}反馈图斑 ${no} 处置结果：${intent.result}。`, link.patchId)
  }
  await insertRecord(ctx.trx, { tenantId: ctx.tenant.id, kind: 'finding', townshipId: patch.row.township_id, patchId: link.patchId, finding: intent.finding, heldOn: today, recordedBy: ctx.person!.id, at: ctx.now })
  const applies = ctx.policy.warningTalk.enabled && ctx.policy.warningTalk.findings.includes(intent.finding)
  return ctx.reply(
    `已登记：图斑 ${no} 认定${intent.finding}。` +
      (applies ? '该乡镇涉及此类问题的图斑面积达到警示约谈标准时，将在函件中提出警示约谈。' : '本县政策未采用警示约谈面积标准，仅作记录。'),
    link.patchId,
  )
}

async function townshipNamed(ctx: Context, name: string): Promise<{ id: number; name: string } | { miss: string }> {
  const found = matchTownship(name, await townshipsOf(ctx.trx, ctx.tenant.id))
  return found.ok ? found.township : { miss: townshipMissText(name, found) }
}
