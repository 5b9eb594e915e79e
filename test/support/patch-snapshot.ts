import type { PatchSnapshot, TransitionResult } from '../../core/index.js'

/** A dispatched 资源镇 land patch as core sees it; each test overrides what it is about. */
export function patchSnapshot(over: Partial<PatchSnapshot> = {}): PatchSnapshot {
  return {
    id: '1',
    number: 'JC2026450329001',
    townshipCode: '450329100',
    kind: 'land',
    category: '新增非农建设类',
    areaMu: 3,
    farmlandMu: 1.2,
    basicFarmlandMu: 0,
    redLineMu: 0,
    issuedOn: '2026-11-20',
    military: false,
    state: 'dispatched',
    evidence: { photos: 0, flaggedPhotos: 0, locations: 0, documents: 0, fieldCheck: false },
    flags: [],
    due: {},
    ...over,
  }
}

/** A transition that must go through: its result, or the refusal as the failure. */
export function ok(r: TransitionResult): Extract<TransitionResult, { ok: true }> {
  if (!r.ok) throw new Error(`refused: ${r.code} ${r.reason}`)
  return r
}

/** A transition that must be refused. */
export function refused(r: TransitionResult): Extract<TransitionResult, { ok: false }> {
  if (r.ok) throw new Error(`expected a refusal, got state ${r.patch.state}`)
  return r
}
