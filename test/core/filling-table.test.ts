// The 填报 table (001_8c1f6dae78f37652.txt:45 逐一填报): what a row says of a patch, and the consistency
// rule of provincial statistics (DESIGN "Data the system meets": 已整改 = 拆除 + 补办, 总 = 已整改 + 未整改).
import { describe, expect, test } from 'vitest'
import { DEFAULT_FILLING_COLUMNS, defaultPolicy, fillingCells, fillingProblems, fillingRow, parseMessage, resolvePolicy, type FillingRow, type Intent, type PatchSnapshot } from '../../core/index.js'
import { patchSnapshot } from '../support/patch-snapshot.js'

const TOLERANCE = defaultPolicy.filling.toleranceMu
const illegal = { kind: 'illegal', violationType: '农村乱占耕地建房', landUse: 'new_construction' } as const
const row = (s: Partial<PatchSnapshot>, attributes: Record<string, unknown> = {}) =>
  fillingRow({ snapshot: patchSnapshot({ areaMu: 2, farmlandMu: 1.5, ...s }), townshipName: '资源镇', batch: '2026年十一月一批', attributes })
const demolition = (state: PatchSnapshot['state'], missing: string[] = []) =>
  ({ state, judgment: illegal, rectification: { measure: 'demolished_restored' as const, reportedOn: '2026-11-10', missing } })

describe('a patch as a row', () => {
  test.each<[string, Partial<PatchSnapshot>, Partial<FillingRow>]>([
    // 001_8c1f6dae78f37652.txt:73 counts only what is "已拆除复耕到位": accepted, the whole patch
    ['拆除复耕 accepted (001:73)', demolition('accepted'), { rectified: '是', measure: '拆除复耕', demolishedMu: 2, permittedMu: 0, rectifiedMu: 2, remainingMu: 0 }],
    // a remedy reported but not yet accepted (001_8c1f6dae78f37652.txt:47 验收) is not 已整改
    ['拆除复耕 reported, not accepted (001:47)', demolition('rectified'), { rectified: '否', demolishedMu: 0, rectifiedMu: 0, remainingMu: 2, remarks: '拆除复耕已上报，待验收' }],
    ['补办手续 accepted (001:43)', { state: 'closed', judgment: illegal, rectification: { measure: 'permits_completed', reportedOn: '2026-11-10', docNo: '桂政土批〔2026〕3号', missing: [] } },
      { measure: '补办用地手续', permittedMu: 2, demolishedMu: 0, rectifiedMu: 2, remainingMu: 0, approvalNo: '桂政土批〔2026〕3号' }],
    // 004_cc43135be01a58c0.txt:29: a filed case does not end the violation
    ['立案 only (004:29)', { state: 'rectifying', judgment: illegal, caseRecord: { caseNo: '资自然资罚〔2026〕1号', stage: '立案', stages: [] } }, { measure: '立案查处', rectifiedMu: 0, remainingMu: 2, caseNo: '资自然资罚〔2026〕1号' }],
    ['合法 with its 批准文号', { state: 'closed', judgment: { kind: 'legal', approvalNo: '桂政土批〔2022〕15号' } }, { judgment: '合法', judgmentDetail: '批文', approvalNo: '桂政土批〔2022〕15号', rectified: '', remainingMu: 0 }],
    ['其他 (001:37 设施农业用地)', { state: 'closed', judgment: { kind: 'other', otherKind: '设施农业用地' } }, { judgment: '其他', judgmentDetail: '设施农业用地', remainingMu: 0 }],
    ['农业项目破坏耕地 is 非粮违法', { state: 'judged', judgment: { kind: 'illegal', violationType: '农业项目破坏耕地', landUse: 'agricultural' } }, { judgment: '违法', judgmentDetail: '非粮违法', violationType: '农业项目破坏耕地', remainingMu: 2 }],
    ['not judged yet', { state: 'dispatched' }, { judgment: '', remarks: '尚未判定', rectifiedMu: 0 }],
  ])('%s', (_name, snapshot, expected) => {
    const r = row(snapshot)
    for (const [k, v] of Object.entries(expected)) if (v !== undefined) expect(r[k as keyof FillingRow], k).toEqual(v)
    expect(fillingProblems(r, TOLERANCE)).toEqual([])
  })

  test('a part accepted (001:71-73): the accepted areas, the rest 剩余未整改', () => {
    const r = row({ ...demolition('rectifying'), remedied: { demolishedMu: 0.5, demolishedFarmlandMu: 0.4, permittedMu: 0, permittedFarmlandMu: 0 } })
    expect(r).toMatchObject({ rectified: '是', demolishedMu: 0.5, demolishedFarmlandMu: 0.4, rectifiedMu: 0.5, remainingMu: 1.5 })
    expect(r.remarks).toContain('部分整改')
    expect(fillingProblems(r, TOLERANCE)).toEqual([])
  })

  test('a figure the provincial table already holds wins over the derived one, and is checked', () => {
    const r = row(demolition('accepted'), { 拆除面积: 1.5, 补办面积: '0.5' })
    expect(r).toMatchObject({ demolishedMu: 1.5, permittedMu: 0.5, rectifiedMu: 2, remainingMu: 0 })
    expect(fillingProblems(r, TOLERANCE)).toEqual([])
  })
})

describe('已整改 = 拆除 + 补办, 总 = 已整改 + 剩余未整改 (DESIGN "Data the system meets")', () => {
  test.each<[string, Record<string, unknown>, string[]]>([
    ['已整改 more than 拆除 + 补办', { 拆除面积: 1, 补办面积: 1, 已整改面积: 3 }, ['已整改面积3亩 ≠ 拆除面积1亩 + 补办面积1亩', '监测面积2亩 ≠ 已整改面积3亩 + 剩余未整改面积0亩']],
    ['剩余 that does not close the sum', { 拆除面积: 1, 剩余未整改面积: 0.5 }, ['监测面积2亩 ≠ 已整改面积1亩 + 剩余未整改面积0.5亩']],
    ['a negative area', { CCMJ: -1, YZGMJ: -1 }, ['拆除面积为负数（-1亩）', '已整改面积为负数（-1亩）', '监测面积2亩 ≠ 已整改面积-1亩 + 剩余未整改面积0亩']],
    // policy choice: filled to 0.01 亩, rounding alone is not a disagreement
    ['within the 0.01 亩 of rounding', { 拆除面积: 1.333, 补办面积: 0.667, 已整改面积: 2.005 }, []],
  ])('%s', (_name, attributes, problems) => {
    expect(fillingProblems(row(demolition('accepted'), attributes), TOLERANCE)).toEqual(problems)
  })
})

describe('the column set', () => {
  test('the default has the platforms\' columns, in order', () => {
    const { headers, cells } = fillingCells([row(demolition('accepted'))], DEFAULT_FILLING_COLUMNS)
    expect(headers.slice(0, 12)).toEqual(['JCBH', 'XZQDM', 'XZQMC', '监测批次', 'TBLX', 'JCMJ', 'JCGDMJ', 'YJJBNTMJ', 'PDJG', '判定细类', 'WFLX', 'PZWH'])
    expect(headers).toEqual(expect.arrayContaining(['整改方式', '拆除面积', '补办面积', '剩余未整改面积', '核查日期', '备注']))
    expect(cells[0]!.length).toBe(headers.length)
  })

  test('a county replaces it in its policy; a bad one is refused in Chinese', () => {
    const p = resolvePolicy({ filling: { columns: [{ field: 'number', header: 'TBBH' }, { field: 'judgment', header: '判定结果' }] } })
    expect(fillingCells([row({})], p.filling.columns).headers).toEqual(['TBBH', '判定结果'])
    expect(() => resolvePolicy({ filling: { columns: [{ field: 'nonsense' as never, header: 'X' }] } })).toThrow(/填报表的列「nonsense」不存在/)
    expect(() => resolvePolicy({ filling: { columns: [{ field: 'judgment', header: 'PDJG' }] } })).toThrow(/必须包含监测编号/)
    expect(() => resolvePolicy({ filling: { columns: [{ field: 'number', header: 'A' }, { field: 'judgment', header: 'A' }] } })).toThrow(/表头「A」重复/)
  })
})

describe('the staff commands', () => {
  test.each<[string, Intent]>([
    ['卷宗 JC2026450329011', { kind: 'dossier', patchNo: 'JC2026450329011' }],
    ['卷宗', { kind: 'dossier' }],
    ['导出 JC2026450329011', { kind: 'dossier', patchNo: 'JC2026450329011' }],
    ['导出', { kind: 'exportTable' }],
    ['导出填报表', { kind: 'exportTable' }],
    ['导出 2026年十一月一批', { kind: 'exportTable', batch: '2026年十一月一批' }],
    ['@卫片助手 导出填报表 2026年七月一批', { kind: 'exportTable', batch: '2026年七月一批' }],
  ])('%s', (text, intent) => expect(parseMessage(text)).toEqual(intent))
})
