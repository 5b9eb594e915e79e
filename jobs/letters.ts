// 警示提醒函 / 自然资源执法监督建议函 drafts (001_8c1f6dae78f37652.txt:51, 85-95): weekly, for each
// township core's letterDue names, a .docx draft to the office with the facts behind it. Nothing
// reaches a township until staff approve it (bot/pipeline/documents.ts).
import { deadlinesFor, letterDue, talkProposals, type BulletinDemand } from '../core/index.js'
import { findingsByPatch, recordsOf } from '../db/queries/county-records.js'
import { LETTER_DOC_KIND, createLetterDraft, letterCard } from '../render/documents.js'
import type { JobRun } from './run-context.js'
import { loadTenant } from '../db/queries/tenant-patches.js'
import { townshipFacts } from '../core/township-facts.js'

export async function draftLetters(run: JobRun): Promise<string> {
  const loaded = await loadTenant(run.trx, run.tenant.id)
  const { townships } = loaded
  // 000:41's 警示约谈 areas read the findings recorded on the patches (认定 …)
  const findings = await findingsByPatch(run.trx, run.tenant.id)
  const patches = loaded.patches.map((p) => ({ ...p, findings: findings.get(p.row.number) ?? [] }))
  // policy choice: one letter of a kind per township per month, whatever staff decided about it; a
  // stronger 建议函 may still follow a 提醒函 in the same month
  const month = run.today.slice(0, 7)
  const earlier = await run.trx
    .selectFrom('documents')
    .select(['township_id', 'kind'])
    .where('tenant_id', '=', run.tenant.id)
    .where('kind', 'in', ['warning_letter', 'supervision_letter'])
    .where('period', '=', month)
    .execute()
  const drafted: string[] = []
  for (const t of townships) {
    const facts = townshipFacts(t, patches, run.today, run.policy)
    const decision = letterDue({ townshipCode: t.code, name: t.name, accountability: facts.accountability, overdue: facts.overdue, warningTalk: facts.warningTalk }, run.policy)
    if (!decision) continue
    const kind = LETTER_DOC_KIND[decision.kind]
    const had = earlier.filter((e) => e.township_id === t.id).map((e) => e.kind)
    if (had.includes(kind) || (kind === 'warning_letter' && had.includes('supervision_letter'))) continue
    const { documentId } = await createLetterDraft(run.trx, run.tenant, run.policy, t, decision, facts, run.today, run.now)
    await run.send({ kind: 'office' }, { kind: 'file', documentId }, `doc:${documentId}:file`)
    await run.send({ kind: 'office' }, { kind: 'card', card: letterCard(documentId, t.name, decision) }, `doc:${documentId}:card`)
    drafted.push(`${t.code}:${kind}`)
  }
  const proposed = await proposeTalks(run, patches)
  return [drafted.length ? `drafted ${drafted.join(' ')}` : 'none due', ...(proposed ? [`提请约谈 ${proposed}`] : [])].join('; ')
}

/**
 * 001_8c1f6dae78f37652.txt:91: a demand of a published bulletin (004:47 查处整改时限) past its date with
 * the step still open → the leaders are asked to 提请约谈 (the office hears the same). Weekly with the
 * letters, until a 约谈 is recorded or the step is done.
 */
async function proposeTalks(run: JobRun, patches: Awaited<ReturnType<typeof loadTenant>>['patches']): Promise<number> {
  const sent = await run.trx.selectFrom('documents').select(['content']).where('tenant_id', '=', run.tenant.id)
    .where('kind', '=', 'bulletin').where('state', '=', 'sent').execute()
  const demands: BulletinDemand[] = []
  for (const d of sent) {
    if (!('bulletin' in d.content)) continue
    const b = d.content.bulletin
    for (const r of b.requirements) {
      // a bulletin stored before per-patch demands has none to check
      for (const p of r.patches ?? []) for (const x of p.demands) demands.push({ townshipCode: r.townshipCode, name: r.name, patchNo: p.patchNo, label: x.label, due: x.due, publishedOn: b.publishOn })
    }
  }
  if (demands.length === 0) return 0
  const open = new Map(patches.map((p) => [p.row.number, deadlinesFor(p.snapshot, run.policy)]))
  const talks = new Map<string, string>()
  for (const r of await recordsOf(run.trx, run.tenant.id, ['talk'])) {
    if (r.township_code && (talks.get(r.township_code) ?? '') < r.held_on) talks.set(r.township_code, r.held_on)
  }
  const proposals = talkProposals(demands, open, talks, run.today)
  if (proposals.length === 0) return 0
  const text = ['【提请约谈建议】', ...proposals.map((p) => p.text)].join('\n')
  await run.send({ kind: 'leaders' }, { kind: 'text', text }, 'talk-proposals')
  await run.send({ kind: 'office' }, { kind: 'text', text }, 'talk-proposals')
  return proposals.length
}
