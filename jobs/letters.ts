// 警示提醒函 / 自然资源执法监督建议函 drafts (001_8c1f6dae78f37652.txt:51, 85-95): weekly, for each
// township core's letterDue names, a .docx draft to the office with the facts behind it. Nothing
// reaches a township until staff approve it (bot/pipeline/documents.ts).
import { letterDue } from '../core/index.js'
import { LETTER_DOC_KIND, createLetterDraft, letterCard } from '../render/documents.js'
import type { JobRun } from './run-context.js'
import { loadTenant } from '../db/queries/tenant-patches.js'
import { townshipFacts } from '../core/township-facts.js'

export async function draftLetters(run: JobRun): Promise<string> {
  const { townships, patches } = await loadTenant(run.trx, run.tenant.id)
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
  return drafted.length ? `drafted ${drafted.join(' ')}` : 'none due'
}
