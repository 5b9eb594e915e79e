// A letter or bulletin as a .docx in official-document style (GB/T 9704-2012): A4, 版心 156×225 mm,
// 标题 2号小标宋 bold centred, 主送 flush left, 正文 3号仿宋 with a two-character first-line indent at a
// fixed 22-lines-per-page spacing, 落款 and 成文日期 on the right. Fonts are named, not embedded:
// Word substitutes when a machine lacks them, as it does for every office's own files.
import { AlignmentType, Document, LineRuleType, Packer, Paragraph, TextRun } from 'docx'

export interface OfficialText {
  title: string
  /** 发文字号, e.g. 资卫办函〔2026〕3号 */
  docNo?: string
  /** 主送机关, without the colon */
  to?: string
  paragraphs: string[]
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
  const children: Paragraph[] = []
  if (doc.docNo) children.push(body(doc.docNo, { align: AlignmentType.RIGHT }))
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: LINE, lineRule: LineRuleType.EXACT, before: LINE, after: LINE },
      children: [new TextRun({ text: doc.title, font: TITLE_FONT, size: TITLE_SIZE, bold: true })],
    }),
  )
  if (doc.to) children.push(body(`${doc.to}：`, { align: AlignmentType.LEFT }))
  for (const p of doc.paragraphs) children.push(body(p, { indent: true }))
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
