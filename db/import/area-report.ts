// The report of a township-boundary or overlay-layer import: per row what happened, and how to fix
// what was refused — the same shape of report as the patch import.
import type { RowProblem } from './report.js'
import type { FileFormat, ImportErrorCode } from './types.js'

export interface AreaImportReport {
  /** ok → exit 0; rows-rejected → exit 2; unreadable → exit 1 */
  status: 'ok' | 'rows-rejected' | 'unreadable'
  message: string
  fileName: string
  sha256: string
  format: FileFormat | null
  crs: string
  counts: { rows: number; imported: number; rejected: number }
  /** what each accepted row became */
  rows: { row: number; result: string }[]
  problems: RowProblem[]
  fileNotes: string[]
  error: { code: ImportErrorCode; message: string; fix: string } | null
}

export function emptyAreaReport(fileName: string, sha256: string): AreaImportReport {
  return { status: 'ok', message: '', fileName, sha256, format: null, crs: '未知', counts: { rows: 0, imported: 0, rejected: 0 }, rows: [], problems: [], fileNotes: [], error: null }
}

export function formatAreaReport(r: AreaImportReport): string {
  if (r.status === 'unreadable' && r.error) return `✗ 文件“${r.fileName}”无法导入：${r.error.message}\n  处理办法：${r.error.fix}`
  const word = r.format === 'csv' || r.format === 'xlsx' ? '行' : '个要素'
  const lines = [`${r.status === 'ok' ? '✓' : '!'} ${r.fileName}：${r.message}`]
  if (r.format) lines.push(`  格式：${r.format}；坐标系：${r.crs}`)
  for (const n of r.fileNotes) lines.push(`  注：${n}`)
  if (r.rows.length && r.rows.length <= 50) for (const row of r.rows) lines.push(`  第 ${row.row} ${word}：${row.result}`)
  if (r.problems.length) {
    lines.push('', `未导入（${r.problems.length}）：`)
    for (const p of r.problems) lines.push(`  第 ${p.row} ${word}${p.number ? `（${p.number}）` : ''}：${p.problem}`, `      处理：${p.fix}`)
  }
  return lines.join('\n')
}
