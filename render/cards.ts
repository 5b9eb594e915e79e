import {
  chinaDate,
  classifyPatch,
  deadlineLines,
  describeJudgment,
  issueFacts,
  stateLabel,
  type PatchState,
  type Policy,
} from '../core/index.js'
import type { LoadedPatch } from '../db/queries/patches.js'
import type { OutboxCard } from '../db/payloads.js'
import type { Card } from './card.js'
import { coordinateField, navigationLinks } from './navigation.js'

const mu = (n: number) => `${Math.round(n * 100) / 100}亩`
const KIND = { land: '土地', mineral: '矿产' } as const

/** What the card asks of the township in each state (the first push: everything it needs to know). */
const STATE_TEXT: Partial<Record<PatchState, string>> = {
  dispatched:
    '请实地核查后直接回复本卡片：核查结果与判定（如「已核查 违法 农村乱占耕地建房」「合法 批准文号」「设施农业用地」），' +
    '并发送现场照片（带定位）或位置。',
  reported: '核查结果已上报，等待县卫片办审核。',
  judged: '已判定，请按判定结果办理。',
  rectifying: '请整改后回复本卡片：整改结果（如「已拆除复耕」「已补办手续 批准文号」），并发送整改后的现场照片。立案由县自然资源局登记，不是整改结果。',
  rectified: '整改结果已上报，等待县卫片办验收。',
  accepted: '已验收，无需再操作。',
  closed: '已办结，无需再操作。',
}

/**
 * The card a township group gets for a patch, as the patch is now: first when it is pushed, then
 * again (the same message, updated in place) each time the patch moves on. The judgment buttons
 * show only while a judgment is awaited; a closed patch is grey.
 */
export function patchCard(patch: LoadedPatch, townshipName: string, policy: Policy, now: Date): Card {
  const s = patch.snapshot
  const c = classifyPatch(issueFacts(s), policy)
  const today = chinaDate(now)
  const fresh = s.state === 'dispatched' || s.state === 'issued'
  const fields: Card['fields'] = [
    ['图斑编号', s.number],
    ['乡镇', townshipName],
    ['类型', `${s.category}（${KIND[s.kind]}）`],
    ['面积', `${mu(s.areaMu)}，其中耕地${mu(s.farmlandMu)}、永久基本农田${mu(s.basicFarmlandMu)}`],
  ]
  if (s.redLineMu > 0) fields.push(['生态保护红线', mu(s.redLineMu)])
  const at = centroidOfRow(patch)
  if (at) fields.push(['坐标', coordinateField(at)])
  if (c.key) fields.push(['重点图斑', `是：${c.keyReasons.join('；')}，由县卫片办逐一组织实地核查`])
  fields.push(['状态', stateLabel(s.state)])
  if (s.judgment) fields.push(['判定', describeJudgment(s.judgment)])
  else if (s.proposal && s.state !== 'dispatched') fields.push(['上报判定', describeJudgment(s.proposal.judgment)])
  // the same lines the township was told (core's deadlineLines)
  const due = deadlineLines(s, policy, today)
  if (due.length) fields.push(['期限', due.join('；')])
  const done = s.state === 'closed' || s.state === 'accepted'
  const buttons: NonNullable<Card['buttons']> = fresh
    ? [
        { label: '违法', action: 'report', value: { patchId: s.id, judgment: 'illegal' }, style: 'danger' },
        { label: '合法', action: 'report', value: { patchId: s.id, judgment: 'legal' } },
        { label: '其他用地', action: 'report', value: { patchId: s.id, judgment: 'other' } },
      ]
    : []
  buttons.push({ label: '查看详情', action: 'query', value: { patchId: s.id } })
  const text = STATE_TEXT[s.state]
  return {
    title: fresh ? `新下发图斑 ${s.number}` : `图斑 ${s.number}（${stateLabel(s.state)}）`,
    template: done ? 'grey' : c.key ? 'red' : s.state === 'rectifying' ? 'orange' : 'blue',
    fields,
    ...(text ? { text } : {}),
    buttons,
    ...(at && !done ? { links: navigationLinks(at, `图斑${s.number}`) } : {}),
  }
}

/** The words of every card button by its action, for a click recorded without them (older rows). */
export const BUTTON_LABELS: Record<string, string> = {
  report: '上报核查结果',
  query: '查看详情',
  confirm: '确认',
  sendBack: '退回',
  accept: '验收通过',
  rejectRectification: '驳回',
  approveDocument: '同意/批准',
  returnDocument: '退回',
  discardDocument: '作废',
}

function centroidOfRow(patch: LoadedPatch): [number, number] | undefined {
  const { centroid_lon: lon, centroid_lat: lat } = patch.row
  return lon !== null && lat !== null ? [lon, lat] : undefined
}

const MEASURE_TEXT = { demolished_restored: '拆除复耕', permits_completed: '补办用地手续', case_filed: '立案查处' } as const

/**
 * What the office sees when a township reports: the patch's figures, the proposed judgment (or the
 * rectification), the photos, and the two buttons. The picture under it (materialised from
 * `mapOfPatch` and `photoSheet`) is the locator map with the contact sheet of the photos; the card is
 * updated as more evidence comes in (bot/pipeline/card-updates.ts refreshReviewCards).
 */
export function reviewCard(patch: LoadedPatch, text: string, step: 'reported' | 'rectified'): Card {
  const s = patch.snapshot
  const review = step === 'reported'
  // the decision's facts first: WeCom shows six rows and moves the rest under the title
  const fields: Card['fields'] = []
  if (s.proposal) fields.push(['上报判定', describeJudgment(s.proposal.judgment)])
  if (s.judgment) fields.push(['判定', describeJudgment(s.judgment)])
  if (!review && s.rectification) {
    const r = s.rectification
    fields.push(['整改', [MEASURE_TEXT[r.measure], r.docNo ? `批准文号 ${r.docNo}` : '', r.caseNo ? `案号 ${r.caseNo}` : ''].filter(Boolean).join('，')])
  }
  fields.push(['类型', `${s.category}（${KIND[s.kind]}）`])
  fields.push(['面积', `${mu(s.areaMu)}，其中耕地${mu(s.farmlandMu)}、永久基本农田${mu(s.basicFarmlandMu)}`])
  if (s.redLineMu > 0) fields.push(['生态保护红线', mu(s.redLineMu)])
  fields.push(['照片', `${s.evidence.photos}张${s.evidence.flaggedPhotos ? `（另有${s.evidence.flaggedPhotos}张存疑）` : ''}`])
  fields.push(['状态', stateLabel(s.state)])
  const at = centroidOfRow(patch)
  if (at) fields.push(['坐标', coordinateField(at)])
  return {
    title: review ? `待审核：图斑 ${s.number}` : `待验收：图斑 ${s.number}`,
    template: 'orange',
    fields,
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
    ...(at ? { links: navigationLinks(at, `图斑${s.number}`) } : {}),
  }
}

/** The review card as the outbox keeps it: with its picture, the map and the photos so far. */
export function reviewCardPayload(patch: LoadedPatch, text: string, step: 'reported' | 'rectified'): OutboxCard {
  const photos = patch.snapshot.evidence.photos + patch.snapshot.evidence.flaggedPhotos
  return { ...reviewCard(patch, text, step), mapOfPatch: patch.row.id, photoSheet: photos }
}


/** A review card once decided: what was decided, by the state the patch is now in; no buttons left. */
export function decidedReviewCard(patch: LoadedPatch, title: string): Card {
  const s = patch.snapshot
  return {
    title: title.replace(/^待(审核|验收)/, '已处理'),
    template: 'grey',
    fields: [
      ['状态', stateLabel(s.state)],
      ...(s.judgment ? [['判定', describeJudgment(s.judgment)] as [string, string]] : []),
    ],
    text: '已办理，无需再操作。',
  }
}
