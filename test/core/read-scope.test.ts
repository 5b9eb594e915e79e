import { describe, expect, test } from 'vitest'
import { readScope, type ChatScope, type Sender } from '../../core/index.js'

const TOWNSHIPS = [
  { id: 1, code: '450329100', name: '资源镇' },
  { id: 2, code: '450329101', name: '中峰镇' },
]
const official: Sender = { role: 'official', townshipId: 1 }
const staff: Sender = { role: 'staff' }
const ziyuanGroup: ChatScope = { kind: 'township', townshipId: 1, townshipName: '资源镇' }
const office: ChatScope = { kind: 'office' }
const direct: ChatScope = { kind: 'direct' }

// each row: who asks, where, for which name → the township shown (undefined: the county), or the refusal
const TABLE: [string, Sender | undefined, ChatScope, string | undefined, string | undefined | RegExp][] = [
  ['a township group sees its own township, whatever is named', staff, ziyuanGroup, '中峰镇', '资源镇'],
  ['… even a name that fits none', staff, ziyuanGroup, '桃花源镇', '资源镇'],
  ['staff in the office: the county', staff, office, undefined, undefined],
  ['staff in the office, a township named', staff, office, '中峰', '中峰镇'],
  ['staff, a name that fits none', staff, office, '桃花源镇', /未找到乡镇「桃花源镇」。本县乡镇：资源镇、中峰镇。/],
  ['an official in a direct chat: their own township', official, direct, undefined, '资源镇'],
  ['an official naming their own township', official, direct, '资源镇', '资源镇'],
  ['an official naming another township gets their own', official, direct, '中峰镇', '资源镇'],
  ['an official without a township: the county', { role: 'official' }, direct, undefined, undefined],
  ['someone unregistered in a township group', undefined, ziyuanGroup, undefined, '资源镇'],
]

describe('readScope (统计, 逾期)', () => {
  test.each(TABLE)('%s', (_name, sender, chat, query, expected) => {
    const scope = readScope(sender, chat, query, TOWNSHIPS)
    if (expected instanceof RegExp) {
      expect(scope.ok).toBe(false)
      if (!scope.ok) expect(scope.reason).toMatch(expected)
    } else {
      expect(scope.ok && scope.township?.name).toBe(expected)
    }
  })
})
