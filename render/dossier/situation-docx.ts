// The 情况说明 of a patch's 卷宗 (001_8c1f6dae78f37652.txt:45): the patch, its judgment, measures and
// dates, every step with who and when, and whether the step log's hash chain holds — as a .docx with
// tables, so an office can print and bind it as it is.
import { AlignmentType, BorderStyle, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx'
import { chinaDate, eventLabel, patchSummary, type Policy } from '../../core/index.js'
import type { DossierData } from '../../db/queries/dossier.js'

const FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋_GB2312' }
const HEAD_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' }
const MM = 56.7
const mu = (n: number) => `${Math.round(n * 100) / 100}亩`
const border = { style: BorderStyle.SINGLE, size: 4, color: '666666' }
const borders = { top: border, bottom: border, left: border, right: border }

/** 'YYYY-MM-DD HH:mm' in China time */
export function chinaTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
}

const text = (t: string, bold = false) => new TextRun({ text: t, font: FONT, size: 24, bold })
const para = (t: string) => new Paragraph({ spacing: { after: 80 }, children: [text(t)] })
const heading = (t: string) =>
  new Paragraph({ heading: HeadingLevel.HEADING_2, spacing: { before: 240, after: 120 }, children: [new TextRun({ text: t, font: HEAD_FONT, size: 28, bold: true })] })

function table(header: string[] | undefined, rows: string[][], widths: number[]): Table {
  const cell = (t: string, bold: boolean, width: number) =>
    new TableCell({ borders, width: { size: width, type: WidthType.PERCENTAGE }, children: [new Paragraph({ children: [text(t, bold)] })] })
  const all = header ? [header, ...rows] : rows
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: all.map((r, i) => new TableRow({ tableHeader: Boolean(header) && i === 0, children: r.map((t, j) => cell(t, (Boolean(header) && i === 0) || (!header && j % 2 === 0), widths[j] ?? 20)) })),
  })
}

const VALUE_WORDS: Record<string, string> = {
  demolished_restored: '拆除复耕', permits_completed: '补办用地手续', case_filed: '立案查处',
  passed: '通过', failed: '不通过', accepted: '验收通过',
}

/** The facts of one event in a few words: the judgment, a reason, a document number, a photo's flags. */
function eventNote(data: Record<string, unknown>): string {
  const parts: string[] = []
  const j = (data.judgment ?? (data.proposal as { judgment?: unknown } | undefined)?.judgment) as { kind?: string; violationType?: string; approvalNo?: string; otherKind?: string } | undefined
  if (j?.kind) parts.push({ legal: '合法', illegal: '违法', other: '其他用地' }[j.kind] ?? j.kind, ...[j.violationType, j.approvalNo, j.otherKind].filter((v): v is string => typeof v === 'string'))
  for (const key of ['reason', 'docNo', 'caseNo', 'stage', 'measure', 'result'] as const) {
    const v = data[key]
    if (typeof v === 'string' && v) parts.push(VALUE_WORDS[v] ?? v)
  }
  if (Array.isArray(data.flags) && data.flags.length) parts.push(`存疑：${data.flags.join('、')}`)
  return parts.join('；')
}

export async function situationDocx(d: DossierData, policy: Policy, now: Date): Promise<Uint8Array> {
  const s = d.snapshot
  const p = d.patch
  const summary = patchSummary(s, policy, chinaDate(now))
  const photos = d.evidence.filter((e) => e.kind === 'photo')
  const children: Array<Paragraph | Table> = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [new TextRun({ text: `图斑 ${p.number} 情况说明`, font: { ...HEAD_FONT, eastAsia: '方正小标宋简体' }, size: 40, bold: true })],
    }),
    para(`${d.tenant.name}（${d.tenant.code}）卫片执法“一图斑一卷宗”。本说明由卫片执法助手根据系统记录生成，生成时间 ${chinaTime(now)}。`),
    heading('一、图斑基本情况'),
    table(undefined, [
      ['监测编号', p.number, '所属乡镇', d.township ? `${d.township.name}（${d.township.code}）` : '未定'],
      ['监测批次', d.batch?.label ?? '—', '下发日期', p.issued_on],
      ['图斑类型', p.category, '当前状态', summary.state],
      ['监测面积', mu(p.area_mu), '耕地面积', mu(p.farmland_mu)],
      ['永久基本农田', mu(p.basic_farmland_mu), '生态保护红线', mu(p.red_line_mu)],
      ['中心点（CGCS2000）', p.centroid_lon !== null && p.centroid_lat !== null ? `${p.centroid_lon.toFixed(6)}°E，${p.centroid_lat.toFixed(6)}°N` : '—', '标识', summary.flags.join('、') || '—'],
    ], [18, 32, 18, 32]),
    heading('二、核查与合法性判定'),
    para(`乡镇核查上报：${summary.proposal ?? '尚未上报'}`),
    para(`县级判定：${summary.judgment ?? '尚未判定'}`),
    heading('三、整改措施'),
    ...(summary.measures.length ? summary.measures.map(para) : [para('暂无整改记录。')]),
    heading('四、办理期限'),
    summary.deadlines.length
      ? table(['事项', '期限', '情况', '依据'], summary.deadlines.map((x) => [x.label, x.dueText, x.overdue ? '已逾期' : '未到期', x.rule]), [30, 25, 15, 30])
      : para('当前没有未完成的期限。'),
    heading('五、办理记录'),
    table(['序号', '时间', '事项', '办理人', '说明'], d.events.map((e) => [String(e.seq), chinaTime(e.at), eventLabel(e.type), e.who, eventNote(e.data)]), [8, 22, 16, 22, 32]),
    heading('六、现场照片与举证材料'),
    para(`现场照片 ${photos.length} 张（其中存疑 ${photos.filter((e) => e.flags.length).length} 张），位置 ${d.evidence.filter((e) => e.kind === 'location').length} 个，举证文件 ${d.evidence.filter((e) => e.kind === 'document').length} 份，实地核查记录 ${d.evidence.filter((e) => e.kind === 'field_check').length} 条；照片原件及其拍摄信息见“照片”文件夹，相关函件见“材料”文件夹（${d.documents.length} 份）。`),
    heading('七、办理记录完整性校验'),
    d.chain.breaks.length === 0
      ? para(`共 ${d.chain.events} 条办理记录，逐条重算哈希链，全部完好，记录未被改动或删除。`)
      : table(['序号', '问题'], d.chain.breaks.map((b) => [String(b.seq), b.problem]), [20, 80]),
  ]
  if (d.chain.breaks.length) children.splice(children.length - 1, 0, para(`⚠ 哈希链校验发现 ${d.chain.breaks.length} 处问题，办理记录可能被改动或删除：`))
  const document = new Document({
    creator: '卫片执法助手',
    title: `图斑 ${p.number} 情况说明`,
    sections: [{
      properties: { page: { size: { width: Math.round(210 * MM), height: Math.round(297 * MM) }, margin: { top: Math.round(25 * MM), bottom: Math.round(25 * MM), left: Math.round(25 * MM), right: Math.round(20 * MM) } } },
      children,
    }],
  })
  return new Uint8Array(await Packer.toBuffer(document))
}
