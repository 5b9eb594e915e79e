// Builders for issued-batch files used by the import tests.
import type { Feature, MultiPolygon, Polygon } from 'geojson'

export type Props = Record<string, string | number | null>

export function featureCollection(features: { geometry: Polygon | MultiPolygon | null; properties: Props }[]): Uint8Array<ArrayBuffer> {
  const fc = { type: 'FeatureCollection', features: features.map((f): Feature => ({ type: 'Feature', properties: f.properties, geometry: f.geometry as Polygon })) }
  return new TextEncoder().encode(JSON.stringify(fc))
}

export function csv(rows: (string | number)[][]): string {
  return rows.map((r) => r.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',')).join('\r\n') + '\r\n'
}
