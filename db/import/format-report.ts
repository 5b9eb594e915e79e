import { UNIT_NAMES } from './fields.js'
import { rowWord } from './import-batch.js'
import type { ImportReport } from './report.js'

const HOW = { 'column-name': '列名注明', option: '--area-unit 指定', compared: '与图形面积比较判断', 'follows-declared': '同监测面积', default: '未注明，默认' } as const
const FIELD_NAMES: Record<string, string> = { declaredArea: '监测面积', farmland: '耕地面积', basicFarmland: '永久基本农田面积', redLine: '生态保护红线面积' }

/** The report as a person reads it in a terminal or a chat message. */
export function formatReport(r: ImportReport): string {
  const lines: string[] = []
  if (r.status === 'unreadable' && r.error) {
    lines.push(`✗ 文件“${r.fileName}”无法导入：${r.error.message}`, `  处理办法：${r.error.fix}`)
    return lines.join('\n')
  }
  lines.push(`${r.status === 'ok' ? '✓' : '!'} ${r.fileName}：${r.message}`)
  if (r.batch) lines.push(`  批次：${r.batch.label}（下发日期 ${r.batch.issuedOn}${r.batch.created ? '' : '，沿用已有批次'}）`)
  if (r.format) lines.push(`  格式：${r.format}${r.encoding ? `，编码 ${r.encoding.toUpperCase()}` : ''}；坐标系：${r.crs.label}`)
  const units = Object.entries(r.units).map(([f, u]) => `${FIELD_NAMES[f] ?? f} ${UNIT_NAMES[u.unit]}（${HOW[u.how]}）`)
  if (units.length) lines.push(`  面积单位：${units.join('；')}`)
  if (r.overlay === 'protection-layers') lines.push('  耕地/永久基本农田/红线面积：按本县保护图层叠加计算')
  else if (r.overlay === 'declared') lines.push('  耕地/永久基本农田/红线面积：取文件中的填报值（本县未导入保护图层）')
  for (const n of r.fileNotes) lines.push(`  注：${n}`)
  const word = rowWord(r.format)
  if (r.problems.length) {
    lines.push('', `未导入的图斑（${r.problems.length}）：`)
    for (const p of r.problems) {
      lines.push(`  第 ${p.row} ${word}${p.number ? `（${p.number}）` : ''}：${p.problem}`, `      处理：${p.fix}`)
    }
  }
  if (r.areaMismatches.length) {
    lines.push('', `监测面积与图形面积不符（相差超过 10% 且超过 0.1 亩，已导入，面积以图形计算为准）：`)
    for (const m of r.areaMismatches) lines.push(`  第 ${m.row} ${word}（${m.number}）：填报 ${m.declaredMu} 亩，图形 ${m.computedMu} 亩`)
  }
  if (r.notes.length) {
    // the same note for many rows (e.g. township by boundary) reads as one line with its rows
    const groups = new Map<string, number[]>()
    for (const n of r.notes) groups.set(n.note, [...(groups.get(n.note) ?? []), n.row])
    lines.push('', '说明：')
    for (const [note, rows] of groups) {
      const shown = rows.length > 10 ? `${rows.slice(0, 10).join('、')} 等，共 ${rows.length}` : rows.join('、')
      lines.push(rows.length === 1
        ? `  第 ${rows[0]} ${word}${r.notes.find((n) => n.row === rows[0] && n.note === note)?.number ? `（${r.notes.find((n) => n.row === rows[0] && n.note === note)!.number}）` : ''}：${note}`
        : `  ${note}：第 ${shown} ${word}`)
    }
  }
  return lines.join('\n')
}
