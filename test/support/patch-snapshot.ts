import type { PatchSnapshot } from '../../core/index.js'

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
