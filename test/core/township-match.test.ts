import { describe, expect, test } from 'vitest'
import { matchTownship, townshipMissText, townshipStem } from '../../core/index.js'

// the seven townships of 资源县 (001_8c1f6dae78f37652.txt:147-159), codes from DESIGN's demo county
const ZIYUAN = [
  { id: 1, code: '450329100', name: '资源镇' },
  { id: 2, code: '450329101', name: '中峰镇' },
  { id: 3, code: '450329102', name: '梅溪镇' },
  { id: 4, code: '450329202', name: '瓜里乡' },
  { id: 5, code: '450329203', name: '车田苗族乡' },
  { id: 6, code: '450329204', name: '两水苗族乡' },
  { id: 7, code: '450329205', name: '河口瑶族乡' },
]
// a county where a stem and a prefix fit two townships
const TWINS = [
  { id: 11, code: '000000101', name: '两水镇' },
  { id: 12, code: '000000102', name: '两水苗族乡' },
  { id: 13, code: '000000103', name: '东城街道' },
  { id: 14, code: '000000104', name: '东山乡' },
]

describe('matchTownship', () => {
  test.each([
    // query, townships, expected name, by
    ['450329101', ZIYUAN, '中峰镇', 'code'],
    ['450329203000', ZIYUAN, '车田苗族乡', 'code'], // 12-digit 统计用区划代码
    ['资源镇', ZIYUAN, '资源镇', 'name'],
    [' 梅溪镇 ', ZIYUAN, '梅溪镇', 'name'],
    ['资源', ZIYUAN, '资源镇', 'stem'],
    ['车田', ZIYUAN, '车田苗族乡', 'stem'], // 001:155
    ['两水乡', ZIYUAN, '两水苗族乡', 'stem'], // 001:157, written without 苗族
    ['资源县两水乡', ZIYUAN, '两水苗族乡', 'path'],
    ['广西壮族自治区桂林市资源县梅溪镇', ZIYUAN, '梅溪镇', 'path'],
    ['河口瑶', ZIYUAN, '河口瑶族乡', 'prefix'],
    ['中', ZIYUAN, '中峰镇', 'prefix'],
    ['两水苗族乡', TWINS, '两水苗族乡', 'name'], // an exact name wins over its twin's stem
    ['东城', TWINS, '东城街道', 'stem'],
  ] as const)('%s → %s', (query, townships, name, by) => {
    const m = matchTownship(query, townships)
    expect(m).toMatchObject({ ok: true, township: { name }, by })
  })

  test.each([
    ['两水', TWINS, 'ambiguous', ['两水镇', '两水苗族乡']],
    ['东', TWINS, 'ambiguous', ['东城街道', '东山乡']],
    ['桃花源镇', ZIYUAN, 'unknown', ZIYUAN.map((t) => t.name)],
    ['', ZIYUAN, 'unknown', ZIYUAN.map((t) => t.name)],
    ['资源镇', [], 'unknown', []],
  ] as const)('%s: %s', (query, townships, reason, candidates) => {
    const m = matchTownship(query, townships)
    expect(m.ok).toBe(false)
    if (m.ok) return
    expect(m.reason).toBe(reason)
    expect(m.candidates.map((t) => t.name)).toEqual(candidates)
  })

  test('stems keep names that are all suffix', () => {
    expect(townshipStem('车田苗族乡')).toBe('车田')
    expect(townshipStem('东城街道')).toBe('东城')
    expect(townshipStem('镇')).toBe('镇')
  })
})

describe('townshipMissText', () => {
  const miss = (q: string, ts: typeof ZIYUAN) => {
    const m = matchTownship(q, ts)
    if (m.ok) throw new Error('matched')
    return m
  }
  test('ambiguous names the candidates; unknown lists the county', () => {
    expect(townshipMissText('两水', miss('两水', TWINS))).toBe('「两水」对应多个乡镇，请写全称：两水镇、两水苗族乡。')
    expect(townshipMissText('桃花源镇', miss('桃花源镇', ZIYUAN))).toBe(
      '未找到乡镇「桃花源镇」。本县乡镇：资源镇、中峰镇、梅溪镇、瓜里乡、车田苗族乡、两水苗族乡、河口瑶族乡。',
    )
    expect(townshipMissText('桃花源镇', miss('桃花源镇', ZIYUAN.slice(0, 2)), { listLabel: '可绑定的乡镇', orElse: '或「绑定 卫片办」' })).toBe(
      '未找到乡镇「桃花源镇」。可绑定的乡镇：资源镇、中峰镇；或「绑定 卫片办」。',
    )
    expect(townshipMissText('资源镇', miss('资源镇', []))).toBe('未找到乡镇「资源镇」，本县尚未登记乡镇。')
  })
})
