import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { OutboxCard } from '../../db/payloads.js'
import type { Outgoing } from '../channel.js'
import { renderChart } from '../../render/bar-chart.js'
import type { Basemap } from '../../render/basemap.js'
import { patchMapPngOf, reviewPicturePngOf } from '../../render/patch-map-data.js'
import { isRenderUnavailable } from '../../render/png-unavailable.js'
import type { Materialise } from './sender.js'

/** Turns the references an outbox row holds (a patch's map, a document) into what a channel sends. */
/** A card with its chart as the picture; where no renderer runs, the card alone (its rows say it all). */
function withChart(card: Omit<OutboxCard, 'mapOfPatch' | 'photoSheet' | 'chartOf'>, chart: NonNullable<OutboxCard['chartOf']>) {
  try {
    return { ...card, image: { png: renderChart(chart.chart, chart.data), alt: '图表' } }
  } catch (error) {
    if (!isRenderUnavailable(error)) throw error
    return card
  }
}

export interface MaterialiseOptions {
  /** XYZ tiles under the vector layers (BASEMAP_URL); without, the vector layers alone */
  basemap?: Basemap | null
}

export function createMaterialiser(db: Kysely<Database>, options: MaterialiseOptions = {}): Materialise {
  // a patch's geometry does not change after import: a card retried (a rate limit, a 5xx) or sent
  // to a second group reuses its rendered map instead of rendering it again
  // (a review card's picture is keyed by its photo count too: a new photo makes a new picture)
  const maps = new Map<string, Promise<Uint8Array | undefined>>()
  const mapOf = (patchId: number, photos: number | undefined) => {
    const key = photos === undefined ? String(patchId) : `${patchId}:${photos}`
    let png = maps.get(key)
    if (!png) {
      if (maps.size >= 256) maps.delete(maps.keys().next().value!)
      // no renderer in this runtime (the worker): the card goes without its map
      const render = photos === undefined ? patchMapPng(db, patchId, options.basemap) : reviewPicturePngOf(db, patchId, photos, options.basemap)
      png = render.catch((error: unknown) => {
        if (isRenderUnavailable(error)) return undefined
        throw error
      })
      png.catch(() => maps.delete(key))
      maps.set(key, png)
    }
    return png
  }
  return async (payload): Promise<Outgoing> => {
    switch (payload.kind) {
      case 'text':
        return payload
      case 'card':
      case 'update': {
        const { mapOfPatch, photoSheet, chartOf, ...card } = payload.card
        if (chartOf) return { kind: 'card', card: withChart(card, chartOf) }
        if (mapOfPatch === undefined) return { kind: 'card', card }
        const png = await mapOf(mapOfPatch, photoSheet)
        const alt = photoSheet === undefined ? '图斑位置示意图' : '图斑位置示意图与现场照片'
        return { kind: 'card', card: png ? { ...card, image: { png, alt } } : card }
      }
      case 'file': {
        const doc = await db.selectFrom('documents').select(['title', 'file']).where('id', '=', payload.documentId).executeTakeFirstOrThrow()
        if (!doc.file) throw new Error(`document ${payload.documentId} has no file`)
        return {
          kind: 'file',
          fileName: `${doc.title}.docx`,
          bytes: doc.file,
          mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        }
      }
      case 'image':
        try {
          return { kind: 'image', png: renderChart(payload.imageOf.chart, payload.imageOf.data), alt: '图表' }
        } catch (error) {
          if (!isRenderUnavailable(error)) throw error
          return { kind: 'text', text: '（本部署不生成图表图片，数据见上一条消息。）' }
        }
    }
  }
}

/** A patch's locator map with its layers, neighbours and township line (render/patch-map-data.ts). */
export async function patchMapPng(db: Kysely<Database>, patchId: number, basemap?: Basemap | null): Promise<Uint8Array | undefined> {
  return patchMapPngOf(db, patchId, basemap)
}
