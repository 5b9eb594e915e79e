// 每月5号通报 (004_cc43135be01a58c0.txt:47): drafted on the first working day of the month from last
// month's figures, sent to the leader for 同意/退回; a reminder each working day it waits. Publishing
// happens when the leader approves (bot/pipeline/documents.ts).
import { arabicDocDate, chinaDate, workdaysBetween } from '../core/index.js'
import type { Bulletin } from '../core/index.js'
import { bulletinCard, createBulletinDraft } from '../render/documents.js'
import type { JobRun } from './run-context.js'

export async function draftMonthlyBulletin(run: JobRun): Promise<string> {
  const catchUp = run.late ? { downSince: await lastSeenRunning(run) } : undefined
  const { documentId, bulletin } = await createBulletinDraft(run.trx, run.tenant, run.policy, run.period, run.now, catchUp)
  await run.send({ kind: 'leaders' }, { kind: 'card', card: bulletinCard(documentId, bulletin) }, `doc:${documentId}`)
  const text = bulletin.lateReport
    ? `【迟报】《${bulletin.title}》未能按期起草：${bulletin.lateReport.reason}。现已生成草稿，已报${bulletin.approvedBy}审批，请尽快审批后发布。`
    : `已生成《${bulletin.title}》草稿，已报${bulletin.approvedBy}审批，同意后发布（${arabicDocDate(bulletin.publishOn)}前）。`
  await run.send({ kind: 'office' }, { kind: 'text', text }, `doc:${documentId}`)
  return `document ${documentId}${bulletin.lateReport ? ', late report' : ''}`
}

/** The China date of the tenant's last job run before this tick: the system was running then. */
async function lastSeenRunning(run: JobRun): Promise<string | undefined> {
  const row = await run.trx
    .selectFrom('job_runs')
    .select((eb) => eb.fn.max('started_at').as('at'))
    .where('tenant_id', '=', run.tenant.id)
    .where('started_at', '<', run.now)
    .executeTakeFirst()
  return row?.at ? chinaDate(new Date(row.at)) : undefined
}

/** A bulletin still waiting a working day after it was drafted: the card again, to the leader. */
export async function remindBulletin(run: JobRun): Promise<string> {
  const drafts = await run.trx
    .selectFrom('documents')
    .select(['id', 'content', 'created_at'])
    .where('tenant_id', '=', run.tenant.id)
    .where('kind', '=', 'bulletin')
    .where('state', '=', 'draft')
    .orderBy('id')
    .execute()
  let reminded = 0
  for (const d of drafts) {
    if (workdaysBetween(chinaDate(new Date(d.created_at)), run.today) < 1) continue
    if (!('bulletin' in d.content)) continue
    const { bulletin } = d.content
    await run.send({ kind: 'leaders' }, { kind: 'card', card: bulletinCard(d.id, bulletin, true) }, `doc:${d.id}`)
    if (run.today > bulletin.publishOn) await run.send({ kind: 'office' }, { kind: 'text', text: overdueText(bulletin) }, `doc:${d.id}`)
    reminded++
  }
  return `${reminded} reminders`
}

const overdueText = (b: Bulletin) =>
  `《${b.title}》仍待${b.approvedBy}审批，已超过发布日期（${arabicDocDate(b.publishOn)}），请及时报告。`
