import { describe, expect, test } from 'vitest'
import { mayActOnPatchIn, mayReadPatch, mayShowPatchIn, patchAudience, type ChatScope, type Sender } from '../../core/index.js'

const ZIYUAN = 1
const ZHONGFENG = 2
const ordinary = { number: 'JC1', military: false, townshipId: ZIYUAN }
// 001_8c1f6dae78f37652.txt:61 涉及军用土地的 … 以机要件单独上报
const military = { number: 'JC2', military: true, townshipId: ZIYUAN }

const townshipGroup: ChatScope = { kind: 'township', townshipId: ZIYUAN, townshipName: '资源镇' }
const otherGroup: ChatScope = { kind: 'township', townshipId: ZHONGFENG, townshipName: '中峰镇' }
const office: ChatScope = { kind: 'office' }
const direct: ChatScope = { kind: 'direct' }
const official: Sender = { role: 'official', townshipId: ZIYUAN }
const otherOfficial: Sender = { role: 'official', townshipId: ZHONGFENG }
const staff: Sender = { role: 'staff' }
const leader: Sender = { role: 'leader' }

describe('patchAudience', () => {
  test.each([
    ['an ordinary patch: its township', ordinary, { kind: 'township', townshipId: ZIYUAN }],
    ['military land: the office (001_8c1f6dae78f37652.txt:61)', military, { kind: 'office' }],
    ['no township owns it: the office', { military: false, townshipId: null }, { kind: 'office' }],
  ])('%s', (_name, patch, expected) => {
    expect(patchAudience(patch)).toEqual(expected)
  })
})

describe('mayShowPatchIn', () => {
  test.each([
    ['township', military, false], // 001_8c1f6dae78f37652.txt:61
    // issue 12 point 15 changes these: 机要件 (001:61, 001:103) — a messenger is no confidential channel
    ['office', military, false],
    ['leader', military, false],
    ['direct', military, false],
    ['township', ordinary, true],
  ] as const)('%s, military %s', (kind, patch, expected) => {
    expect(mayShowPatchIn(kind, patch)).toBe(expected)
  })
})

describe('mayReadPatch (查)', () => {
  test.each([
    ['military land in its own township group', official, townshipGroup, military, 'military_land'],
    ['001:61/103 military land in the office group: counts only, never its number', staff, office, military, 'military_land'],
    ['military land, an official in a direct chat (001_8c1f6dae78f37652.txt:61)', official, direct, military, 'military_land'],
    ['an official, own township, direct chat', official, direct, ordinary, true],
    ['an official, another township, direct chat', otherOfficial, direct, ordinary, 'wrong_township'],
    ['staff, anywhere but another township group', staff, direct, ordinary, true],
    ['staff in another township group', staff, otherGroup, ordinary, 'wrong_township'],
    ['a leader in the office group', leader, office, ordinary, true],
    ['someone unregistered in the patch township group', undefined, townshipGroup, ordinary, true],
    ['someone unregistered in another township group', undefined, otherGroup, ordinary, 'wrong_township'],
    ['someone unregistered in a direct chat', undefined, direct, ordinary, true],
  ] as const)('%s', (_name, sender, chat, patch, expected) => {
    const r = mayReadPatch(sender, chat, patch)
    expect(r.ok ? true : r.code).toBe(expected)
  })

  test('the refusals say why', () => {
    expect(mayReadPatch(official, townshipGroup, military)).toMatchObject({ reason: '该图斑涉及军用土地，由县卫片办以机要件单独办理，编号和位置不在聊天中显示。' })
    expect(mayReadPatch(staff, otherGroup, ordinary)).toMatchObject({ reason: '图斑 JC1 不属于本乡镇，不能查看。' })
  })
})

describe('mayActOnPatchIn', () => {
  test.each([
    ['its own township group', townshipGroup, true],
    ['another township group', otherGroup, false],
    ['the office group', office, true],
    ['a direct chat', direct, true],
  ] as const)('%s', (_name, chat, expected) => {
    expect(mayActOnPatchIn(chat, ordinary).ok).toBe(expected)
  })

  test.each([
    ['001:61 its own township group', townshipGroup],
    ['001:61/103 the office group', office],
    ['001:61/103 a direct chat', direct],
  ] as const)('military land is acted on in no chat: %s', (_name, chat) => {
    const r = mayActOnPatchIn(chat, { ...military, military: true })
    expect(r).toMatchObject({ ok: false, code: 'military_land' })
    expect(!r.ok && r.reason).not.toContain('JC2')
  })

  test('names the group’s township', () => {
    expect(mayActOnPatchIn(otherGroup, ordinary)).toEqual({ ok: false, code: 'wrong_township', reason: '图斑 JC1 不属于中峰镇，本群只能办理中峰镇的图斑。' })
  })
})
