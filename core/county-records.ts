// The county's records beside the patches (issue 12 points 12 and 14): a 约谈 held or a 问责 started,
// with the township's reporting deadline (001_8c1f6dae78f37652.txt:103, 003_2681e0387a043106.txt:105); a
// 移交 to a department with its year-end return (001_8c1f6dae78f37652.txt:41); and when a 通报提醒's
// time limit has run out, the proposal to 提请约谈 (001_8c1f6dae78f37652.txt:91).
import { addPeriod, isValidDate, workdaysBetween } from './calendar.js'
import { periodText } from './lifecycle/deadlines.js'
import { defaultPolicy } from './policy.js'
import type { Policy } from './policy.js'
import type { DateSpec } from './records-parse.js'

export type CountyRecordKind = 'talk' | 'accountability' | 'handover' | 'finding' | 'bulletin'

export interface RecordDue {
  due: string
  label: string
  rule: string
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** What a record calls for and by when; undefined for a finding, which calls for nothing by a date. */
export function recordDue(kind: CountyRecordKind, heldOn: string, policy: Policy = defaultPolicy): RecordDue | undefined {
  const d = policy.deadlines
  switch (kind) {
    case 'talk':
      // 001_8c1f6dae78f37652.txt:103 "在开展约谈后的5个工作日内将警示约谈情况……报县级" (荥阳: 3, 003:105)
      return { due: addPeriod(heldOn, d.talkReport.period), label: `约谈情况及通知、方案、讲话稿等材料报县卫片办（${periodText(d.talkReport.period)}内）`, rule: d.talkReport.rule }
    case 'accountability':
      // 001_8c1f6dae78f37652.txt:103 "在启动问责程序后的5个工作日内将启动问责情况上报县级"
      return { due: addPeriod(heldOn, d.accountabilityReport.period), label: `启动问责情况报县卫片办（${periodText(d.accountabilityReport.period)}内）`, rule: d.accountabilityReport.rule }
    case 'handover': {
      // 001_8c1f6dae78f37652.txt:41 "在年底前将所有移交图斑处置结果报县卫片办"
      const r = policy.handover.returnBy
      return { due: `${heldOn.slice(0, 4)}-${pad(r.month)}-${pad(r.day)}`, label: '移交部门将处置结果报县卫片办（年底前）', rule: policy.handover.rule }
    }
    case 'bulletin':
      // 003_2681e0387a043106.txt:103 "在公开通报3个工作日内上报公开通报的有关情况" — 荥阳's rule, off in 001
      return { due: addPeriod(heldOn, d.bulletinReport.period), label: `公开通报的有关情况报县卫片办（${periodText(d.bulletinReport.period)}内）`, rule: d.bulletinReport.rule }
    case 'finding':
      return undefined
  }
}

/** A date the staff typed (11月20日, 2026-11-20; none: today) as YYYY-MM-DD, or why not. */
export function resolveRecordDate(spec: DateSpec | undefined, today: string): { ok: true; date: string } | { ok: false; reason: string } {
  if (!spec) return { ok: true, date: today }
  const date = `${spec.year ?? today.slice(0, 4)}-${pad(spec.month)}-${pad(spec.day)}`
  if (!isValidDate(date)) return { ok: false, reason: `「${spec.month}月${spec.day}日」不是有效日期，请写成 11月20日 或 2026-11-20。` }
  if (date > today) return { ok: false, reason: `${date} 晚于今天，请写已经开展的日期（不写日期为今天）。` }
  return { ok: true, date }
}

/** A demand a published bulletin made of a patch (BulletinRequirement.patches[].demands). */
export interface BulletinDemand {
  townshipCode: string
  name: string
  patchNo: string
  label: string
  due: string
  /** the bulletin's publish date */
  publishedOn: string
}

export interface TalkProposal {
  townshipCode: string
  name: string
  items: Array<{ patchNo: string; label: string; due: string; overdueWorkdays: number }>
  text: string
}

/**
 * 001_8c1f6dae78f37652.txt:91 "通报提醒指出的问题超过规定时限……县卫片办将提请县人民政府约谈有关责任人": a
 * demand of a published bulletin whose date has passed while the step is still open (the patch's
 * deadlines today still carry it) makes its township one to propose. A 约谈 recorded on or after the
 * earliest such date answers it (`talksHeld`: township code → the latest 约谈 date).
 */
export function talkProposals(
  demands: BulletinDemand[],
  openSteps: ReadonlyMap<string, ReadonlyArray<{ label: string; due: string }>>,
  talksHeld: ReadonlyMap<string, string>,
  today: string,
): TalkProposal[] {
  const byTownship = new Map<string, TalkProposal>()
  const seen = new Set<string>()
  for (const d of demands) {
    if (d.due >= today) continue
    const still = (openSteps.get(d.patchNo) ?? []).some((s) => s.label === d.label && s.due === d.due)
    if (!still) continue
    const key = `${d.patchNo}|${d.label}|${d.due}`
    if (seen.has(key)) continue
    seen.add(key)
    const held = talksHeld.get(d.townshipCode)
    if (held !== undefined && held >= d.due) continue
    const p = byTownship.get(d.townshipCode) ?? { townshipCode: d.townshipCode, name: d.name, items: [], text: '' }
    p.items.push({ patchNo: d.patchNo, label: d.label, due: d.due, overdueWorkdays: Math.max(workdaysBetween(d.due, today), 1) })
    byTownship.set(d.townshipCode, p)
  }
  return [...byTownship.values()]
    .map((p) => {
      const items = p.items.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.patchNo.localeCompare(b.patchNo)))
      const shown = items.slice(0, 3).map((i) => `${i.patchNo}${i.label}应于${i.due}前完成，已逾期${i.overdueWorkdays}个工作日`)
      const text =
        `${p.name}：通报提醒指出的问题已超过规定时限（${items.length}项：${shown.join('；')}${items.length > 3 ? '等' : ''}），` +
        '建议由县卫片办提请县人民政府约谈有关责任人。约谈后请发送「约谈 乡镇 日期」登记。'
      return { ...p, items, text }
    })
    .sort((a, b) => a.townshipCode.localeCompare(b.townshipCode))
}

/** The digest's line on hand-overs: how many went to departments, how many came back, by when. */
export function handoverSummary(records: Array<{ heldOn: string; closedOn?: string | null }>, today: string, policy: Policy = defaultPolicy): string | undefined {
  const year = today.slice(0, 4)
  const mine = records.filter((r) => r.heldOn.slice(0, 4) === year || !r.closedOn)
  if (mine.length === 0) return undefined
  const open = mine.filter((r) => !r.closedOn)
  const late = open.filter((r) => (recordDue('handover', r.heldOn, policy)?.due ?? '9999') < today)
  const due = recordDue('handover', today, policy)!.due
  return (
    `移交部门：${mine.length}宗，已反馈处置结果${mine.length - open.length}宗，未反馈${open.length}宗` +
    (late.length ? `（其中${late.length}宗已超过年底反馈期限）` : open.length ? `（须于${due}前反馈）` : '')
  )
}
