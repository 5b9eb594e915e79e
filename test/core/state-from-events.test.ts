// verify replays a patch's events through core's STATE_AFTER_EVENT (issue 10, defect 10): along every
// path of the cycle, the state the events produce is the state transition() left.
import { describe, expect, test } from 'vitest'
import { defaultPolicy, stateFromEvents, transition, type Action, type Actor, type PatchSnapshot } from '../../core/index.js'
import { ok, patchSnapshot } from '../support/patch-snapshot.js'

const official: Actor = { personId: 'p-official', role: 'official', townshipCode: '450329100' }
const staff: Actor = { personId: 'p-staff', role: 'staff' }
const system: Actor = { personId: 'system', role: 'system' }
const photo: Action = { type: 'addEvidence', kind: 'photo' }
const illegal: Action = { type: 'report', proposal: { kind: 'illegal', violationType: '农村乱占耕地建房' }, farmlandMu: 1.2 }
const legal: Action = { type: 'report', proposal: { kind: 'legal', approvalNo: '桂政土批〔2022〕15号' } }

const paths: Array<[string, Array<[Action, Actor]>]> = [
  ['001:53 push, a card given up, pushed again', [[{ type: 'push' }, system], [{ type: 'pushFailed', reason: '230002' }, system], [{ type: 'push' }, system]]],
  ['legal: reported without a photo (recorded), the photo completes it, confirmed and closed', [[{ type: 'push' }, system], [legal, official], [photo, official], [{ type: 'confirm' }, staff]]],
  ['sent back, reported again', [[{ type: 'push' }, system], [photo, official], [illegal, official], [{ type: 'sendBack', reason: '照片不清楚' }, staff], [illegal, official]]],
  [
    '001:43 illegal: rectified, rejected, rectified again, accepted',
    [
      [{ type: 'push' }, system], [photo, official], [illegal, official], [{ type: 'confirm', plannedMeasure: 'permits_completed' }, staff],
      [{ type: 'reportRectification', measure: 'permits_completed' }, official],
      [{ type: 'reportRectification', measure: 'permits_completed', docNo: '桂政土批〔2024〕3号' }, official],
      [{ type: 'rejectRectification', reason: '文号不符' }, staff],
      [{ type: 'reportRectification', measure: 'permits_completed', docNo: '桂政土批〔2024〕4号' }, official],
      [{ type: 'recordCase', stage: '立案', caseNo: '资自然资立〔2026〕12号' }, staff],
      [{ type: 'accept' }, staff],
    ],
  ],
  [
    '001:71-73 a partial 补办 accepted stays in 整改中, the rest accepted closes it',
    [
      [{ type: 'push' }, system], [photo, official], [illegal, official], [{ type: 'confirm', plannedMeasure: 'permits_completed' }, staff],
      [{ type: 'reportRectification', measure: 'permits_completed', docNo: '桂政土批〔2024〕3号', areaMu: 1 }, official],
      [{ type: 'accept' }, staff],
      [{ type: 'reportRectification', measure: 'permits_completed', docNo: '桂政土批〔2024〕5号' }, official],
      [{ type: 'accept' }, staff],
    ],
  ],
]

describe('the state the events produce', () => {
  test.each(paths)('%s', (_name, steps) => {
    let p: PatchSnapshot = patchSnapshot({ state: 'issued' })
    const events: Array<{ type: string; data?: Record<string, unknown> }> = [{ type: 'imported' }]
    expect(stateFromEvents(events)).toBe(p.state)
    for (const [action, actor] of steps) {
      const r = ok(transition(p, action, actor, defaultPolicy, new Date('2026-11-23T02:00:00Z')))
      events.push(...r.events)
      p = r.patch
      expect([action.type, stateFromEvents(events)]).toEqual([action.type, p.state])
    }
  })
  test('no events, no state', () => expect(stateFromEvents([])).toBeUndefined())
})
