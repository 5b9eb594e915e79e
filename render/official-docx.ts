// A letter or bulletin as a .docx in official-document style (GB/T 9704-2012): A4, 版心 156×225 mm,
// 标题 2号小标宋 bold centred, 主送 flush left, 正文 3号仿宋 with a two-character first-line indent at a
// fixed 22-lines-per-page spacing, 落款 and 成文日期 on the right. Fonts are named, not embedded:
// Word substitutes when a machine lacks them, as it does for every office's own files.
import {
  AlignmentType, BorderStyle, Document, HeightRule, ImageRun, LineRuleType, Packer, Paragraph, Table, TableCell, TableRow, TextRun, VerticalAlign, WidthType,
} from 'docx'

/** A ruled table in the body (GB/T 9704 tables: 四号/小四 仿宋, the header row bold). */
export interface OfficialTable {
  kind: 'table'
  caption?: string
  header: string[]
  rows: string[][]
  /** relative column widths; equal when not given */
  widths?: number[]
}

/** A picture in the body (a chart), centred, `widthMm` wide. */
export interface OfficialImage {
  kind: 'image'
  png: Uint8Array
  width: number
  height: number
  widthMm: number
  caption?: string
}

export type OfficialBlock = string | OfficialTable | OfficialImage

export interface OfficialText {
  title: string
  /** 发文字号, e.g. 资卫办函〔2026〕3号 */
  docNo?: string
  /** 主送机关, without the colon */
  to?: string
  /** the body: paragraphs, with tables and charts between them */
  paragraphs: OfficialBlock[]
  /** 发文机关署名 */
  signature: string
  /** 成文日期 in Chinese numerals (chineseDocDate) */
  dateText: string
}

const MM = 56.7 // twips per millimetre
const TITLE_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '方正小标宋简体' }
const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋_GB2312' }
const BODY_SIZE = 32 // half-points: 三号 = 16 pt
const TITLE_SIZE = 44 // 二号 = 22 pt
const LINE = 579 // twips: 225 mm 版心 / 22 lines ≈ 28.95 pt
const CHAR = 320 // one 三号 character, twips

const body = (text: string, options: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; rightChars?: number } = {}) =>
  new Paragraph({
    alignment: options.align ?? AlignmentType.JUSTIFIED,
    spacing: { line: LINE, lineRule: LineRuleType.EXACT },
    indent: {
      ...(options.indent ? { firstLine: 2 * CHAR } : {}),
      ...(options.rightChars ? { right: options.rightChars * CHAR } : {}),
    },
    children: [new TextRun({ text, font: BODY_FONT, size: BODY_SIZE })],
  })

const blank = () => body('')

export async function officialDocx(doc: OfficialText): Promise<Uint8Array> {
  const children: Array<Paragraph | Table> = []
  if (doc.docNo) children.push(body(doc.docNo, { align: AlignmentType.RIGHT }))
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: LINE, lineRule: LineRuleType.EXACT, before: LINE, after: LINE },
      children: [new TextRun({ text: doc.title, font: TITLE_FONT, size: TITLE_SIZE, bold: true })],
    }),
  )
  if (doc.to) children.push(body(`${doc.to}：`, { align: AlignmentType.LEFT }))
  for (const p of doc.paragraphs) {
    if (typeof p === 'string') children.push(body(p, { indent: true }))
    else if (p.kind === 'table') children.push(...tableOf(p))
    else children.push(...imageOf(p))
  }
  children.push(blank(), blank())
  // 落款 centred over the date; 成文日期 右空四字 (GB/T 9704 7.3.5.1)
  children.push(body(doc.signature, { align: AlignmentType.RIGHT, rightChars: 2 }))
  children.push(body(doc.dateText, { align: AlignmentType.RIGHT, rightChars: 4 }))

  const document = new Document({
    creator: doc.signature,
    title: doc.title,
    sections: [
      {
        properties: {
          page: {
            size: { width: Math.round(210 * MM), height: Math.round(297 * MM) },
            margin: { top: Math.round(37 * MM), bottom: Math.round(35 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM) },
          },
        },
        children,
      },
    ],
  })
  return new Uint8Array(await Packer.toBuffer(document))
}

const TABLE_FONT_SIZE = 24 // 小四 = 12 pt: eight columns fit the 156 mm 版心
const TEXT_WIDTH = Math.round(156 * MM)
const rule = { style: BorderStyle.SINGLE, size: 6, color: '000000' } // ½ pt lines

const caption = (text: string) =>
  new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { line: LINE, lineRule: LineRuleType.EXACT },
    children: [new TextRun({ text, font: BODY_FONT, size: 28, bold: true })],
  })

function cell(text: string, width: number, header: boolean): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlign.CENTER,
    margins: { left: 60, right: 60, top: 40, bottom: 40 },
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { line: 360, lineRule: LineRuleType.AT_LEAST },
        children: [new TextRun({ text, font: BODY_FONT, size: TABLE_FONT_SIZE, bold: header })],
      }),
    ],
  })
}

function tableOf(t: OfficialTable): Array<Paragraph | Table> {
  const weights = t.widths ?? t.header.map(() => 1)
  const sum = weights.reduce((a, b) => a + b, 0)
  const widths = weights.map((w) => Math.floor((w / sum) * TEXT_WIDTH))
  const row = (cells: string[], header: boolean) =>
    new TableRow({
      tableHeader: header, // repeated on each page
      cantSplit: true,
      height: { value: 454, rule: HeightRule.ATLEAST }, // 8 mm
      children: cells.map((c, i) => cell(c, widths[i] ?? widths[0]!, header)),
    })
  const table = new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    alignment: AlignmentType.CENTER,
    borders: { top: rule, bottom: rule, left: rule, right: rule, insideHorizontal: rule, insideVertical: rule },
    rows: [row(t.header, true), ...t.rows.map((r) => row(r, false))],
  })
  return [...(t.caption ? [caption(t.caption)] : []), table, body('')]
}

function imageOf(img: OfficialImage): Paragraph[] {
  const px = (mm: number) => Math.round((mm / 25.4) * 96)
  const width = px(img.widthMm)
  const height = Math.round((width * img.height) / img.width)
  return [
    ...(img.caption ? [caption(img.caption)] : []),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new ImageRun({ type: 'png', data: img.png, transformation: { width, height } })] }),
    body(''),
  ]
}
