import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { findPatchNumbers, isPatchNumber, parseMessage } from '../../core/index.js'
import type { Intent } from '../../core/index.js'

describe('patch numbers', () => {
  test.each([
    ['JC2023450329001', true],
    ['130403SJBG26210183', true],
    ['450329-2023-001', true],
    ['450329202301001', true],
    ['13800138000', false], // a mobile number
    ['20240315', false], // a date
    ['2024-03-15', false],
    ['0773-7913912', false], // the phone number of 001:109
    ['JC12345', false], // too short
    ['ABCDEFGH12', false], // too few digits
  ])('%s → %s', (token, expected) => expect(isPatchNumber(token)).toBe(expected))

  test('found in text, full-width and lower case', () => {
    expect(findPatchNumbers('查ＪＣ２０２３４５０３２９００１')).toEqual(['JC2023450329001'])
    expect(findPatchNumbers('jc2023450329001已核查')).toEqual(['JC2023450329001'])
    expect(findPatchNumbers('桂政土批〔2022〕15号 占耕地1.2亩 电话13800138000')).toEqual([])
  })
})

describe('parseMessage: table of what officials type', () => {
  test.each<[string, Intent]>([
    ['查 JC2023450329001', { kind: 'query', patchNo: 'JC2023450329001' }],
    ['查询：JC2023450329001', { kind: 'query', patchNo: 'JC2023450329001' }],
    ['JC2023450329001', { kind: 'query', patchNo: 'JC2023450329001' }],
    ['  ｊｃ２０２３４５０３２９００１ 。', { kind: 'query', patchNo: 'JC2023450329001' }],
    ['JC2023450329001 进度', { kind: 'query', patchNo: 'JC2023450329001' }],
    ['@卫片助手 查 130403SJBG26210183', { kind: 'query', patchNo: '130403SJBG26210183' }],
    ['查', { kind: 'query' }],
    ['统计', { kind: 'stats' }],
    ['统计 资源镇', { kind: 'stats', township: '资源镇' }],
    ['统计：车田苗族乡', { kind: 'stats', township: '车田苗族乡' }],
    ['逾期', { kind: 'overdue' }],
    ['待审核', { kind: 'reviewQueue' }],
    ['绑定 资源镇', { kind: 'bind', target: '资源镇' }],
    ['@卫片执法助手 绑定 卫片办', { kind: 'bind', target: '卫片办' }],
    ['绑定', { kind: 'bind' }],
    ['同意通报', { kind: 'bulletinDecision', verb: 'approve', reason: '' }],
    ['退回通报 排名数据有误，请核实', { kind: 'bulletinDecision', verb: 'return', reason: '排名数据有误，请核实' }],
    ['重拟通报', { kind: 'bulletinDecision', verb: 'redraft', reason: '' }],
    ['桂政土批〔2022〕15号', { kind: 'document', docNo: '桂政土批〔2022〕15号' }],
    ['待办', { kind: 'reviewQueue' }],
    ['逾期 梅溪镇', { kind: 'overdue', township: '梅溪镇' }],
    ['帮助', { kind: 'help' }],
    ['？', { kind: 'help' }],
    ['确认 JC2023450329001', { kind: 'confirm', patchNo: 'JC2023450329001' }],
    ['JC2023450329001 确认', { kind: 'confirm', patchNo: 'JC2023450329001' }],
    ['退回 JC2023450329001 照片不在图斑范围内，请补拍', { kind: 'sendBack', patchNo: 'JC2023450329001', reason: '照片不在图斑范围内，请补拍' }],
    ['验收 JC2023450329001', { kind: 'accept', patchNo: 'JC2023450329001' }],
    ['验收通过', { kind: 'accept' }],
    ['退回ＪＣ２０２３４５０３２９００１：照片模糊。', { kind: 'sendBack', patchNo: 'JC2023450329001', reason: '照片模糊' }],
    ['驳回 JC2023450329001 仍有建筑未拆除', { kind: 'rejectRectification', patchNo: 'JC2023450329001', reason: '仍有建筑未拆除' }],
    // 001:37 judgments
    [
      'JC2023450329001 已核查 违法 农村乱占耕地建房 占耕地1.2亩',
      { kind: 'report', patchNo: 'JC2023450329001', proposal: { kind: 'illegal', violationType: '农村乱占耕地建房' }, fieldCheck: false, farmlandMu: 1.2 },
    ],
    [
      '已核查，违法，非农化，占用耕地 3.5 亩，永久基本农田0.5亩',
      { kind: 'report', proposal: { kind: 'illegal', violationType: '非农化' }, fieldCheck: false, farmlandMu: 3.5, basicFarmlandMu: 0.5 },
    ],
    ['违法', { kind: 'report', proposal: { kind: 'illegal' }, fieldCheck: false }],
    ['不合法，新增建设用地违法', { kind: 'report', proposal: { kind: 'illegal', violationType: '新增建设用地违法' }, fieldCheck: false }],
    ['合法 桂政土批〔2022〕15号', { kind: 'report', proposal: { kind: 'legal', approvalNo: '桂政土批〔2022〕15号' }, fieldCheck: false }],
    ['合法，批文：桂政土批[2022]15号', { kind: 'report', proposal: { kind: 'legal', approvalNo: '桂政土批[2022]15号' }, fieldCheck: false }],
    ['合法', { kind: 'report', proposal: { kind: 'legal' }, fieldCheck: false }],
    ['设施农业用地', { kind: 'report', proposal: { kind: 'other', otherKind: '设施农业用地' }, fieldCheck: false }],
    ['设施农用地', { kind: 'report', proposal: { kind: 'other', otherKind: '设施农业用地' }, fieldCheck: false }],
    ['实地未变化', { kind: 'report', proposal: { kind: 'other', otherKind: '实地未变化' }, fieldCheck: false }],
    ['现场核查 实地未变化', { kind: 'report', proposal: { kind: 'other', otherKind: '实地未变化' }, fieldCheck: true }],
    ['光伏板，未改变原地类', { kind: 'report', proposal: { kind: 'other', otherKind: '不改变原用地性质的光伏用地' }, fieldCheck: false }],
    ['农村道路', { kind: 'report', proposal: { kind: 'other', otherKind: '农村道路' }, fieldCheck: false }],
    ['临时用地', { kind: 'report', proposal: { kind: 'other', otherKind: '临时用地' }, fieldCheck: false }],
    ['现场核查', { kind: 'fieldCheck' }],
    ['JC2023450329001 已实地核查', { kind: 'fieldCheck', patchNo: 'JC2023450329001' }],
    // rectification
    ['已拆除复耕', { kind: 'rectification', measure: 'demolished_restored' }],
    ['JC2023450329001 已拆除，复耕到位', { kind: 'rectification', patchNo: 'JC2023450329001', measure: 'demolished_restored' }],
    ['已补办手续 桂政土批〔2024〕3号', { kind: 'rectification', measure: 'permits_completed', docNo: '桂政土批〔2024〕3号' }],
    ['已补办手续', { kind: 'rectification', measure: 'permits_completed' }],
    ['已立案 资自然资罚〔2024〕12号', { kind: 'rectification', measure: 'case_filed', caseNo: '资自然资罚〔2024〕12号' }],
    ['已立案', { kind: 'rectification', measure: 'case_filed' }],
    // people (staff): the @ names are for the reader, the mentions say who
    ['登记 @张三 干事 资源镇', { kind: 'register', role: 'official', township: '资源镇' }],
    ['@卫片助手 登记 @张三 乡镇干事，资源镇', { kind: 'register', role: 'official', township: '资源镇' }],
    ['登记 干事 资源镇', { kind: 'register', role: 'official', township: '资源镇' }], // Feishu: the mention is gone from the text
    ['登记 @张三 资源镇', { kind: 'register', role: 'official', township: '资源镇' }],
    ['登记 @张三 干事', { kind: 'register', role: 'official' }],
    ['登记 @李四 卫片办', { kind: 'register', role: 'staff' }],
    ['登记：@李四 县卫片办', { kind: 'register', role: 'staff' }],
    ['登记 @王局 领导', { kind: 'register', role: 'leader' }],
    ['登记 @王局 分管领导', { kind: 'register', role: 'leader' }],
    ['注销 @张三', { kind: 'unregister' }],
    ['注销', { kind: 'unregister' }],
  ])('%s', (text, intent) => {
    expect(parseMessage(text)).toEqual(intent)
  })

  test.each([
    ['你好', '没能识别'],
    ['已核查', '请写明判定结果'],
    ['退回 JC2023450329001', '退回需要写明理由'],
    ['合法 违法', '既有“合法”又有“违法”'],
    ['JC2023450329001 JC2023450329002 违法', '一条消息只能办理一个图斑'],
    ['', '消息是空的'],
    ['查处整改中', '没能识别'],
    ['登记 @张三', '请写明角色'],
    ['登记', '请写明角色'],
  ])('unknown: %s → reason says %s', (text, reason) => {
    const r = parseMessage(text)
    expect(r.kind).toBe('unknown')
    if (r.kind === 'unknown') expect(r.reason).toContain(reason)
  })

  test('unknown reasons list what can be sent instead', () => {
    const r = parseMessage('今天天气不错')
    expect(r.kind === 'unknown' && r.reason).toContain('查 图斑号')
  })
})

describe('parseMessage: properties', () => {
  const patchNoOf = (i: Intent): string | undefined => ('patchNo' in i ? i.patchNo : undefined)

  test('never throws, always returns a kind', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const r = parseMessage(s)
        expect(typeof r.kind).toBe('string')
      }),
      { numRuns: 2000 },
    )
    expect(parseMessage(undefined as unknown as string).kind).toBe('unknown')
    expect(parseMessage('查'.repeat(100_000)).kind).toBeDefined()
  })

  const noDigits = fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => s.replace(/[0-9\uFF10-\uFF19\p{N}]/gu, ''))
  test('never reads a patch number out of text without digits', () => {
    fc.assert(
      fc.property(noDigits, (s) => {
        expect(patchNoOf(parseMessage(s))).toBeUndefined()
      }),
      { numRuns: 2000 },
    )
  })

  const vocabulary = ['查', '统计', '违法', '合法', '已拆除复耕', '已补办手续', '已立案', '现场核查', '设施农业用地', '占耕地', '亩', '，', ' ', '退回', '确认', '桂政土批〔2022〕15号', '13800138000', '2024-03-15']
  // (two digit strings glued together do make a long number, which is a patch number by the rule)
  test('never invents a patch number from words, dates, phone and document numbers', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...vocabulary), { maxLength: 12 }), fc.constantFrom(' ', '，', '、'), (words, sep) => {
        expect(patchNoOf(parseMessage(words.join(sep)))).toBeUndefined()
      }),
      { numRuns: 1000 },
    )
  })

  test('a patch number anywhere in a report is found, whatever the word order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('已核查', '违法', '非农化', '占耕地1.2亩', '，', ' '), { maxLength: 6 }), fc.nat(6), (words, at) => {
        const parts: string[] = [...words]
        parts.splice(Math.min(at, parts.length), 0, ' JC2023450329001 ')
        const r = parseMessage(parts.join(''))
        if (r.kind !== 'unknown') expect(patchNoOf(r)).toBe('JC2023450329001')
      }),
      { numRuns: 500 },
    )
  })
})

describe('parseMessage: a measure not done is not a report (001:73 "已拆除复耕到位")', () => {
  test.each<[string, string]>([
    ['尚未拆除复耕', '尚未完成或计划中'],
    ['JC2023450329001 计划拆除复耕', '复耕到位后请回复：已拆除复耕'],
    ['拟补办用地手续', '已补办手续 批准文号'],
    ['拟补办', '已补办手续 批准文号'],
    ['未立案', '立案由县自然资源局登记'],
    ['还没有拆除复耕到位', '尚未完成或计划中'],
    ['正在拆除', '尚未完成或计划中'],
    ['拆除复耕尚未完成', '尚未完成或计划中'],
    ['准备立案查处', '立案由县自然资源局登记'],
  ])('%s → not recorded, says %s', (text, reason) => {
    const r = parseMessage(text)
    expect(r.kind).toBe('unknown')
    if (r.kind === 'unknown') expect(r.reason).toContain(reason)
  })

  test.each(['已拆除', 'JC2023450329001 已拆除', '已复绿', '复绿', '拆除复绿', '拆除到位'])(
    '%s: demolition or greening without 复耕 is asked about, not taken as 拆除复耕',
    (text) => {
      const r = parseMessage(text)
      expect(r.kind).toBe('unknown')
      if (r.kind === 'unknown') expect(r.reason).toMatch(/^复耕到位了吗？/)
    },
  )

  test.each<[string, Intent]>([
    // what remains once the not-done phrase is out still reports its own measure
    ['已立案 资自然资罚〔2024〕12号，尚未拆除', { kind: 'rectification', measure: 'case_filed', caseNo: '资自然资罚〔2024〕12号' }],
    ['已拆除复耕，无需补办', { kind: 'rectification', measure: 'demolished_restored' }],
    ['已复耕', { kind: 'rectification', measure: 'demolished_restored' }],
    ['已拆除复耕，待验收', { kind: 'rectification', measure: 'demolished_restored' }],
    // a judgment that mentions the plan is still a judgment
    ['已核查 违法 非农化 拟拆除复耕', { kind: 'report', proposal: { kind: 'illegal', violationType: '非农化' }, fieldCheck: false }],
  ])('%s', (text, intent) => expect(parseMessage(text)).toEqual(intent))
})

describe('parseMessage: 市级核验 (001:41), staff', () => {
  test.each<[string, Intent]>([
    ['市级核验 JC2023450329001 通过 桂林土卫片办〔2024〕5号', { kind: 'cityVerification', patchNo: 'JC2023450329001', result: 'passed', docNo: '桂林土卫片办〔2024〕5号' }],
    ['市级核验 JC2023450329001 不通过 桂林土卫片办〔2024〕6号', { kind: 'cityVerification', patchNo: 'JC2023450329001', result: 'failed', docNo: '桂林土卫片办〔2024〕6号' }],
    ['市核验JC2023450329001合格，桂林土卫片办[2024]5号', { kind: 'cityVerification', patchNo: 'JC2023450329001', result: 'passed', docNo: '桂林土卫片办[2024]5号' }],
  ])('%s', (text, intent) => expect(parseMessage(text)).toEqual(intent))

  test.each([
    ['市级核验 JC2023450329001 通过', '文号'],
    ['市级核验 JC2023450329001 桂林土卫片办〔2024〕5号', '通过还是不通过'],
  ])('%s → %s', (text, reason) => {
    const r = parseMessage(text)
    expect(r.kind).toBe('unknown')
    if (r.kind === 'unknown') expect(r.reason).toContain(reason)
  })
})

describe('parseMessage: case stages (004:29), staff', () => {
  test.each<[string, Intent]>([
    ['立案 JC2023450329001 资自然资立〔2026〕12号', { kind: 'rectification', patchNo: 'JC2023450329001', measure: 'case_filed', caseNo: '资自然资立〔2026〕12号' }],
    ['案件 JC2023450329001 调查', { kind: 'caseStage', patchNo: 'JC2023450329001', stage: '调查' }],
    ['案件 JC2023450329001 处罚 资自然资罚〔2026〕12号', { kind: 'caseStage', patchNo: 'JC2023450329001', stage: '处罚', docNo: '资自然资罚〔2026〕12号' }],
    ['案件进展 JC2023450329001 移交', { kind: 'caseStage', patchNo: 'JC2023450329001', stage: '移交' }],
  ])('%s', (text, intent) => expect(parseMessage(text)).toEqual(intent))
})

describe('认领 and 设置情况', () => {
  test.each<[string, Intent['kind'], string?]>([
    ['认领 ABCD-EFGH', 'claim', 'ABCDEFGH'],
    ['@卫片助手 认领 abcd efgh', 'claim', 'ABCDEFGH'],
    ['认领码：ＡＢＣＤ－ＥＦＧＨ', 'claim', 'ABCDEFGH'],
    ['认领 K7QM-3PX2', 'claim', 'K7QM3PX2'],
    ['认领', 'unknown'],
    ['认领 ABCD-EFG0', 'unknown'], // 0 is not in the alphabet
    ['设置情况', 'setupStatus'],
    ['设置 情况', 'setupStatus'],
  ])('%s → %s', (text, kind, code) => {
    const intent = parseMessage(text)
    expect(intent.kind).toBe(kind)
    if (code) expect(intent).toEqual({ kind: 'claim', code })
    if (kind === 'unknown') expect((intent as { reason: string }).reason).toContain('admin invite')
  })
})

describe('parseMessage: 集体会审 chooses the measure when confirming (001:37, 001:43)', () => {
  test.each<[string, Intent]>([
    ['确认 JC2023450329001 拟拆除复耕', { kind: 'confirm', patchNo: 'JC2023450329001', plannedMeasure: 'demolished_restored' }],
    ['确认 JC2023450329001 拟补办', { kind: 'confirm', patchNo: 'JC2023450329001', plannedMeasure: 'permits_completed' }],
    ['确认 JC2023450329001 拟补办用地手续', { kind: 'confirm', patchNo: 'JC2023450329001', plannedMeasure: 'permits_completed' }],
    ['确认 违法 非农化 拟拆除复耕', { kind: 'confirm', proposal: { kind: 'illegal', violationType: '非农化' }, plannedMeasure: 'demolished_restored' }],
  ])('%s', (text, intent) => expect(parseMessage(text)).toEqual(intent))
})

describe('parseMessage: 农业项目破坏耕地 only in 001:77\'s words', () => {
  test.each<[string, Intent]>([
    ['违法 农业项目破坏耕地', { kind: 'report', proposal: { kind: 'illegal', violationType: '农业项目破坏耕地' }, fieldCheck: false }],
    // a bare 破坏耕地 is not taken for it (it would drop the patch from the ratio): the type stays open
    ['违法 破坏耕地', { kind: 'report', proposal: { kind: 'illegal' }, fieldCheck: false }],
  ])('%s', (text, intent) => expect(parseMessage(text)).toEqual(intent))
})

// ---- issue 12 points 12-14, 16: the county's record commands (core/records-parse.ts) ----
describe('record commands: 约谈/问责 (001:103), 移交 (001:41), 认定 (000:41), 审批人 (004:47)', () => {
  test.each([
    ['约谈 资源镇 11月20日', { kind: 'talkRecord', record: 'talk', township: '资源镇', date: { month: 11, day: 20 } }],
    ['约谈 资源镇', { kind: 'talkRecord', record: 'talk', township: '资源镇' }],
    ['问责 中峰镇 2026-11-20', { kind: 'talkRecord', record: 'accountability', township: '中峰镇', date: { year: 2026, month: 11, day: 20 } }],
    ['启动问责 中峰镇 2026年11月3日', { kind: 'talkRecord', record: 'accountability', township: '中峰镇', date: { year: 2026, month: 11, day: 3 } }],
    ['约谈已报 资源镇', { kind: 'talkReported', record: 'talk', township: '资源镇' }],
    ['问责情况已上报 中峰镇', { kind: 'talkReported', record: 'accountability', township: '中峰镇' }],
    ['通报已报 中峰镇', { kind: 'talkReported', record: 'bulletin', township: '中峰镇' }],
    ['移交 JC2026450329001 县水利局', { kind: 'handover', patchNo: 'JC2026450329001', department: '县水利局' }],
    ['移交 JC2026450329001 县林业局 11月2日', { kind: 'handover', patchNo: 'JC2026450329001', department: '县林业局', date: { month: 11, day: 2 } }],
    ['移交反馈 JC2026450329001 已拆除并恢复原状', { kind: 'handoverReturn', patchNo: 'JC2026450329001', result: '已拆除并恢复原状' }],
    ['认定 JC2026450329001 瞒案不报', { kind: 'finding', patchNo: 'JC2026450329001', finding: '瞒案不报' }],
    ['设置审批人 通报 @王局长', { kind: 'setApprover', document: 'bulletin' }],
    ['设置审批人 函件 @陈工', { kind: 'setApprover', document: 'letters' }],
    ['审批人', { kind: 'approvers' }],
  ])('%s', (text, intent) => {
    expect(parseMessage(text)).toEqual(intent)
  })
  test.each([
    ['约谈', /请写明开展约谈的乡镇和日期/],
    ['约谈已报', /请写明乡镇/],
    ['移交 JC2026450329001', /请写明接收的部门/],
    ['移交反馈 JC2026450329001', /请写明部门反馈的处置结果/],
    ['认定 JC2026450329001 有问题', /弄虚作假、瞒案不报、压案不查/],
    ['设置审批人 @王局长', /请写明审批的文件/],
  ])('%s → a reply saying what is missing', (text, reason) => {
    const i = parseMessage(text)
    expect(i.kind).toBe('unknown')
    expect(i.kind === 'unknown' && i.reason).toMatch(reason)
  })
  test('案件 <号> 移交 stays the case stage of 004:29', () => {
    expect(parseMessage('案件 JC2026450329001 移交')).toMatchObject({ kind: 'caseStage', stage: '移交' })
  })
})

// ── issue 12 point 5: partial rectification areas (DESIGN: 拆除面积/拆除耕地面积, 补办面积/补办耕地面积) ──
describe('parseMessage: 拆除面积 / 补办面积 of a partial rectification (001:71, 001:73)', () => {
  test.each<[string, Intent]>([
    ['JC2023450329001 已拆除复耕 拆除面积2亩 拆除耕地面积1.5亩', { kind: 'rectification', patchNo: 'JC2023450329001', measure: 'demolished_restored', areaMu: 2, farmlandMu: 1.5 }],
    ['已拆除复耕，拆除面积：2.5亩', { kind: 'rectification', measure: 'demolished_restored', areaMu: 2.5 }],
    ['已拆除复耕 拆除耕地1亩', { kind: 'rectification', measure: 'demolished_restored', farmlandMu: 1 }],
    ['已补办手续 桂政土批〔2024〕3号 补办面积3亩 补办耕地面积2亩', { kind: 'rectification', measure: 'permits_completed', docNo: '桂政土批〔2024〕3号', areaMu: 3, farmlandMu: 2 }],
    ['已拆除复耕', { kind: 'rectification', measure: 'demolished_restored' }],
  ])('%s', (text, intent) => expect(parseMessage(text)).toEqual(intent))
  test.each([
    '已拆除复耕 拆除面积2亩 补办面积1亩',
    '已补办手续 桂政土批〔2024〕3号 拆除面积2亩',
  ])('one measure per message: %s', (text) => {
    const r = parseMessage(text)
    expect(r.kind).toBe('unknown')
    if (r.kind === 'unknown') expect(r.reason).toContain('一条消息只能上报一种整改方式')
  })
})

// ── issue 12 point 8: the county's field check (001:35 核查意见, 核查负责人) ──
describe('parseMessage: 现场核查 <号> 负责人 <名> 意见 <…> (001:35)', () => {
  test.each<[string, Intent]>([
    ['现场核查 JC2023450329001 负责人 张三 意见 已拆除，复耕到位', { kind: 'fieldCheck', patchNo: 'JC2023450329001', lead: '张三', opinion: '已拆除，复耕到位' }],
    ['实地核查 JC2023450329001 核查负责人：李四，核查意见：现场为新建厂房，占用耕地', { kind: 'fieldCheck', patchNo: 'JC2023450329001', lead: '李四', opinion: '现场为新建厂房，占用耕地' }],
    // a township's visit is no record of the county's: no 负责人, no 意见
    ['已到现场', { kind: 'fieldCheck' }],
    ['现场核查', { kind: 'fieldCheck' }],
  ])('%s', (text, intent) => expect(parseMessage(text)).toEqual(intent))
  test('001:35 a 负责人 without an 意见 says the format', () => {
    const r = parseMessage('现场核查 JC2023450329001 负责人 张三')
    expect(r.kind).toBe('unknown')
    if (r.kind === 'unknown') expect(r.reason).toContain('现场核查 图斑号 负责人 姓名 意见 核查意见')
  })
})
