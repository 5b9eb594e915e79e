import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { Outgoing } from '../channel.js'
import { renderChart } from '../../render/bar-chart.js'
import { renderPatchMap } from '../../render/patch-map.js'
import { isRenderUnavailable } from '../../render/png-unavailable.js'
import type { Materialise } from './sender.js'
import type { ExportRef } from '../../db/payloads.js'
import { buildDossier } from '../../render/dossier/dossier-zip.js'
import { fillingTable, fillingWorkbook } from '../../render/filling-table.js'

/** Turns the references an outbox row holds (a patch's map, a document) into what a channel sends. */
export function createMaterialiser(db: Kysely<Database>, now: () => Date = () => new Date()): Materialise {
  // a patch's geometry does not change after import: a card retried (a rate limit, a 5xx) or sent
  // to a second group reuses its rendered map instead of rendering it again
  const maps = new Map<number, Promise<Uint8Array | undefined>>()
  const mapOf = (patchId: number) => {
    let png = maps.get(patchId)
    if (!png) {
      if (maps.size >= 256) maps.delete(maps.keys().next().value!)
      // no renderer in this runtime (the worker): the card goes without its map
      png = patchMapPng(db, patchId).catch((error: unknown) => {
        if (isRenderUnavailable(error)) return undefined
        throw error
      })
      png.catch(() => maps.delete(patchId))
      maps.set(patchId, png)
    }
    return png
  }
  return async (payload): Promise<Outgoing> => {
    switch (payload.kind) {
      case 'text':
        return payload
      case 'card':
      case 'update': {
        const { mapOfPatch, ...card } = payload.card
        if (mapOfPatch === undefined) return { kind: 'card', card }
        const png = await mapOf(mapOfPatch)
        return { kind: 'card', card: png ? { ...card, image: { png, alt: '图斑位置示意图' } } : card }
      }
      case 'file': {
        if ('exportOf' in payload) return exportFile(db, payload.exportOf, now())
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

export async function patchMapPng(db: Kysely<Database>, patchId: number): Promise<Uint8Array | undefined> {
  const patch = await db
    .selectFrom('patches')
    .leftJoin('townships', 'townships.id', 'patches.township_id')
    .select(['patches.geometry', 'townships.boundary'])
    .where('patches.id', '=', patchId)
    .executeTakeFirst()
  if (!patch?.geometry) return undefined
  return renderPatchMap(patch.geometry, patch.boundary)
}

/**
 * A 卷宗 or a 填报 table, built as it goes out. The chat command checked the rows before queueing; a
 * row that disagrees by now is sent marked (red, with the reason) rather than failing the send forever.
 */
export async function exportFile(db: Kysely<Database>, ref: ExportRef, now: Date): Promise<Outgoing> {
  if (ref.what === 'dossier') {
    const built = await buildDossier(db, ref.patchId, now)
    if (!built) return { kind: 'text', text: '该图斑已不存在，卷宗未生成。' }
    return { kind: 'file', ...built }
  }
  const built = await fillingWorkbook(await fillingTable(db, ref.tenantCode, ref.batch), now, { flagInconsistent: true })
  return { kind: 'file', ...built }
}
