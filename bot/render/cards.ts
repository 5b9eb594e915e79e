import {
  calendarDaysBetween,
  chinaDate,
  classifyPatch,
  deadlinesFor,
  dueText,
  issueFacts,
  stateLabel,
  type Policy,
} from '../../core/index.js'
import type { LoadedPatch } from '../../db/queries/patches.js'
import type { Card } from '../channel.js'

const mu = (n: number) => `${Math.round(n * 100) / 100}亩`
const KIND = { land: '土地', mineral: '矿产' } as const

/** The card a township group gets for a new patch: what it is, by when, what to send back. */
export function patchCard(patch: LoadedPatch, townshipName: string, policy: Policy, now: Date): Card {
  const s = patch.snapshot
  const c = classifyPatch(issueFacts(s), policy)
  const first = deadlinesFor(s, policy).sort((a, b) => a.due.localeCompare(b.due))[0]
  const today = chinaDate(now)
  const fields: Card['fields'] = [
    ['图斑编号', s.number],
    ['乡镇', townshipName],
    ['类型', `${s.category}（${KIND[s.kind]}）`],
    ['面积', `${mu(s.areaMu)}，其中耕地${mu(s.farmlandMu)}、永久基本农田${mu(s.basicFarmlandMu)}`],
  ]
  if (s.redLineMu > 0) fields.push(['生态保护红线', mu(s.redLineMu)])
  if (c.key) fields.push(['重点图斑', `是：${c.keyReasons.join('；')}，须逐一实地核查`])
  if (first) {
    const left = calendarDaysBetween(today, first.due)
    fields.push(['期限', `${dueText(first.due)}前${first.label}（${left >= 0 ? `剩${left}天` : `已逾期${-left}天`}）`])
  }
  return {
    title: `新下发图斑 ${s.number}`,
    template: c.key ? 'red' : 'blue',
    fields,
    text:
      '请实地核查后直接回复本卡片：核查结果与判定（如「已核查 违法 农村乱占耕地建房」「合法 批准文号」「设施农业用地」），' +
      '并发送现场照片（带定位）或位置。',
    buttons: [
      { label: '违法', action: 'report', value: { patchId: s.id, judgment: 'illegal' }, style: 'danger' },
      { label: '合法', action: 'report', value: { patchId: s.id, judgment: 'legal' } },
      { label: '其他用地', action: 'report', value: { patchId: s.id, judgment: 'other' } },
      { label: '查看详情', action: 'query', value: { patchId: s.id } },
    ],
  }
}

/** What the office sees when a township reports: the report and the two buttons. */
export function reviewCard(patch: LoadedPatch, text: string, step: 'reported' | 'rectified'): Card {
  const s = patch.snapshot
  const review = step === 'reported'
  return {
    title: review ? `待审核：图斑 ${s.number}` : `待验收：图斑 ${s.number}`,
    template: 'orange',
    fields: [
      ['状态', stateLabel(s.state)],
      ['照片', `${s.evidence.photos}张${s.evidence.flaggedPhotos ? `（另有${s.evidence.flaggedPhotos}张存疑）` : ''}`],
    ],
    text,
    buttons: review
      ? [
          { label: '确认', action: 'confirm', value: { patchId: s.id }, style: 'primary' },
          { label: '退回', action: 'sendBack', value: { patchId: s.id }, style: 'danger' },
        ]
      : [
          { label: '验收通过', action: 'accept', value: { patchId: s.id }, style: 'primary' },
          { label: '驳回', action: 'rejectRectification', value: { patchId: s.id }, style: 'danger' },
        ],
  }
}

