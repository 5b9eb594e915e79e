import type { AreaField, AreaUnit, Field } from './fields.js'
import type { FileFormat, ImportErrorCode } from './types.js'

export interface RowProblem {
  row: number
  number?: string
  problem: string // what is wrong, in Chinese
  fix: string // how to fix it, in Chinese
}

export interface RowNote {
  row: number
  number?: string
  note: string
}

export interface AreaMismatch {
  row: number
  number: string
  declaredMu: number
  computedMu: number
}

export type UnitDecision = { unit: AreaUnit; how: 'column-name' | 'option' | 'compared' | 'follows-declared' | 'default' }

export interface ImportReport {
  /** ok → exit 0; rows-rejected → exit 2; unreadable → exit 1 */
  status: 'ok' | 'rows-rejected' | 'unreadable'
  message: string // one line, Chinese
  fileName: string
  sha256: string
  format: FileFormat | null
  encoding: string | null
  crs: { code: string | null; label: string; source: 'option' | 'file' | 'inferred' | 'none' }
  fields: Partial<Record<Field, string>>
  unmappedColumns: string[]
  units: Partial<Record<AreaField, UnitDecision>>
  overlay: 'protection-layers' | 'declared' | 'none'
  batch: { id: number; label: string; issuedOn: string; created: boolean } | null
  /** set when this very file was imported before */
  alreadyImported: { batchId: number; label: string; importedAt: string } | null
  counts: { rows: number; imported: number; skipped: number; rejected: number }
  problems: RowProblem[]
  notes: RowNote[]
  areaMismatches: AreaMismatch[]
  fileNotes: string[]
  error: { code: ImportErrorCode; message: string; fix: string } | null
}
