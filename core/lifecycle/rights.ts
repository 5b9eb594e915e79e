// Who may do what: rights come from the role, and an official acts only on its own township's patches.
import type { Action, Actor, PatchSnapshot, Role } from './types.js'

const RIGHTS: Record<Action['type'], readonly Role[]> = {
  push: ['system', 'staff', 'admin'],
  pushFailed: ['system'],
  report: ['official'],
  // the county office records field checks and documents too (001_8c1f6dae78f37652.txt:35)
  addEvidence: ['official', 'staff', 'admin'],
  // 001_8c1f6dae78f37652.txt:33 "县级判定上报": only the county office judges
  confirm: ['staff', 'admin'],
  sendBack: ['staff', 'admin'],
  reportRectification: ['official'],
  accept: ['staff', 'admin'],
  // 001_8c1f6dae78f37652.txt:41 the county office submits to and hears from the 市卫片办
  recordCityVerification: ['staff', 'admin'],
  // 001_8c1f6dae78f37652.txt:41 "县自然资源局……依法立案查处"
  recordCase: ['staff', 'admin'],
  rejectRectification: ['staff', 'admin'],
  // 001_8c1f6dae78f37652.txt:35 "县卫片办将组织……逐一组织实地核查，出具核查意见，并明确核查负责人"
  recordFieldCheck: ['staff', 'admin'],
}

const WHO: Record<Action['type'], string> = {
  push: '县卫片办或系统',
  pushFailed: '系统',
  report: '图斑所在乡镇的工作人员',
  addEvidence: '图斑所在乡镇或县卫片办的工作人员',
  confirm: '县卫片办工作人员',
  sendBack: '县卫片办工作人员',
  reportRectification: '图斑所在乡镇的工作人员',
  accept: '县卫片办工作人员',
  recordCityVerification: '县卫片办工作人员',
  recordCase: '县自然资源局（县卫片办）工作人员',
  rejectRectification: '县卫片办工作人员',
  recordFieldCheck: '县卫片办工作人员（重点图斑由县卫片办组织实地核查）',
}

/** The roles that may take a lifecycle action (authorize reads them for the review commands). */
export function rolesFor(type: Action['type']): readonly Role[] {
  return RIGHTS[type]
}

export type RightsCheck = { ok: true } | { ok: false; code: 'forbidden' | 'wrong_township'; reason: string }

export function checkRights(patch: PatchSnapshot, action: Action, actor: Actor): RightsCheck {
  const allowed = RIGHTS[action.type]
  if (!allowed.includes(actor.role)) {
    return { ok: false, code: 'forbidden', reason: `只有${WHO[action.type]}可以办理此项（图斑 ${patch.number}）。` }
  }
  if (actor.role === 'official' && actor.townshipCode !== patch.townshipCode) {
    return {
      ok: false,
      code: 'wrong_township',
      reason: `图斑 ${patch.number} 不属于你所在的乡镇，只能办理本乡镇的图斑；请核对图斑号。`,
    }
  }
  return { ok: true }
}
