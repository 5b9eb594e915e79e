import { AppError } from '../../core/errors.js'
import type { MultiPolygon, Polygon } from 'geojson'

/** One feature or table row as read from the file, coordinates still in the file's CRS. */
export interface RawRow {
  row: number // 1-based, as a person counts rows/features in the file
  properties: Record<string, unknown>
  geometry: Polygon | MultiPolygon | null
  centroid?: [number, number]
  /** a reader-level problem with this row (e.g. a point instead of a polygon) */
  problem?: { problem: string; fix: string }
}

export type FileFormat = 'geojson' | 'shapefile' | 'csv' | 'xlsx'

export interface ReadResult {
  format: FileFormat
  rows: RawRow[]
  /** CRS the file declares (a .prj, a GeoJSON crs member); null when it says nothing */
  crs: { code: string; label: string } | null
  encoding?: string
  notes: string[]
}

export type ImportErrorCode =
  | 'file-unreadable'
  | 'file-format-unknown'
  | 'zip-broken'
  | 'shapefile-incomplete'
  | 'shapefile-broken'
  | 'table-broken'
  | 'geojson-broken'
  | 'tenant-unknown'
  | 'crs-unknown'
  | 'area-unit-unknown'
  | 'layer-kind-unknown'
  | 'batch-unknown'
  | 'layer-missing'

/** A whole-file failure with a stable code and a Chinese message and fix; keeps the original cause. */
export class ImportError extends AppError<ImportErrorCode> {
  readonly fix: string
  constructor(code: ImportErrorCode, message: string, fix: string, options?: { cause?: unknown }) {
    super(code, message, options)
    this.fix = fix
  }
}
