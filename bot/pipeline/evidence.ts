import { createHash } from 'node:crypto'
import { distanceToPolygonM, mayActOnPatchIn, photoVerdict, pointDistanceM, positionRefusal } from '../../core/index.js'
import { chatScopeOf } from './scope-of.js'
import type { Patch } from '../../db/schema.js'
import { json } from '../../db/json.js'
import { loadPatch } from '../../db/queries/patches.js'
import { applyAction } from './apply-action.js'
import { gcj02ToWgs84 } from './datum.js'
import type { Context } from './context.js'
import { readImageHeader, readPhotoMetadata } from './photo-facts.js'
import { resolvePatch } from './resolve-patch.js'

/**
 * A photo or a file: linked to its patch, stored once per patch by sha256, its EXIF time and place
 * read, its distance from the patch measured; a doubtful photo is kept but flagged, never counted.
 * Runs after authorize: the sender is registered.
 */
export async function handleMedia(ctx: Context) {
  // policy choice: a file whose header is a photo format is a photo (phones send the original, with
  // its EXIF time and place, as a file); a photo message is a photo whatever its bytes (core judges them)
  const header = ctx.media ? readImageHeader(ctx.media) : {}
  const isPhoto = ctx.inbound.kind === 'image' || (header.format !== undefined && ctx.policy.evidenceChecks.image.formats.includes(header.format))
  const link = await resolvePatch(ctx, undefined, true, isPhoto ? { wants: 'photo' } : undefined)
  if ('error' in link) {
    if ('ask' in link) return ctx.reply(link.error) // several steps wait: the list
    return ctx.reply(
      `收到${isPhoto ? '照片' : '文件'}，但无法确定属于哪个图斑，未计入举证。请直接回复图斑卡片发送，或先发送「图斑编号 已核查 …」后${ctx.policy.evidence.photoAttachWindowMinutes}分钟内发送。`,
    )
  }
  const patch = await loadPatch(ctx.trx, link.patchId, true)
  if (!patch) return ctx.reply('未找到该图斑。')
  // before anything names it: military land is no chat's (core's mayActOnPatchIn)
  const here = mayActOnPatchIn(chatScopeOf(ctx), { number: patch.row.number, townshipId: patch.row.township_id, military: patch.row.military })
  if (!here.ok) return ctx.reply(here.reason)
  if (!ctx.media) return ctx.reply(`未能读取这${isPhoto ? '张照片' : '个文件'}（下载链接已过期或文件已损坏），消息已保存。请重新发送${isPhoto ? '照片' : '文件'}。`, link.patchId)
  const sha256 = createHash('sha256').update(ctx.media).digest('hex')
  const seen = await ctx.trx
    .selectFrom('evidence')
    .select('id')
    .where('patch_id', '=', link.patchId)
    .where('sha256', '=', sha256)
    .executeTakeFirst()
  if (seen) return ctx.reply(`这张${isPhoto ? '照片' : '文件'}已收到过（图斑 ${patch.row.number}），未重复计入。`, link.patchId)

  const meta = isPhoto ? await readPhotoMetadata(ctx.media) : {}
  const hasGps = meta.lon !== undefined && meta.lat !== undefined
  const usableGps = hasGps && Number.isFinite(meta.lon) && Number.isFinite(meta.lat)
  const distanceM = usableGps ? distanceToPatch([meta.lon!, meta.lat!], patch.row) : undefined
  // core decides: an image of sane size, a position in China, taken after the judgment once in 整改
  const s = patch.snapshot
  const verdict = isPhoto
    ? photoVerdict(
        {
          ...header,
          bytes: ctx.media.byteLength,
          ...(hasGps ? { gps: { lon: meta.lon!, lat: meta.lat! } } : {}),
          ...(meta.takenAt ? { takenAt: meta.takenAt.toISOString() } : {}),
          ...(distanceM !== undefined ? { distanceM } : {}),
        },
        { number: s.number, state: s.state, issuedOn: s.issuedOn, ...(s.judgedOn ? { judgedOn: s.judgedOn } : {}), ...(s.judgedAt ? { judgedAt: s.judgedAt } : {}) },
        ctx.policy,
      )
    : { refused: false as const, flags: [] }
  if (verdict.refused) return ctx.reply(`图斑 ${s.number}：${verdict.reason}`, link.patchId)
  const flags = verdict.flags
  const where = `已关联到图斑 ${patch.row.number}${link.via === 'recent' ? '（您刚上报的图斑）' : ''}`
  const place = !isPhoto
    ? ''
    : hasGps
      ? `拍摄位置距图斑${Math.round(distanceM ?? 0)}米。`
      : '照片没有GPS定位信息：请开启相机定位后拍摄，或在现场发送一次位置。'
  // core counts the new piece from the snapshot it is given: the row is written after it accepts
  await applyAction(
    ctx,
    link.patchId,
    { type: 'addEvidence', kind: isPhoto ? 'photo' : 'document', ...(flags.length ? { flagged: true, flagReasons: flags } : {}) },
    {
      // a doubtful photo gets core's one answer (received, not counted, why): never a receipt before it
      ...(flags.length ? {} : { preface: `${isPhoto ? '照片' : '文件'}${where}。${place}` }),
      persist: async () => {
        await ctx.trx
          .insertInto('evidence')
          .values({
            patch_id: link.patchId,
            kind: isPhoto ? 'photo' : 'document',
            sha256,
            bytes: ctx.media!,
            mime: isPhoto && header.format ? MIME[header.format] ?? `image/${header.format}` : ctx.inbound.media?.mime ?? 'application/octet-stream',
            taken_at: meta.takenAt ?? null,
            lon: meta.lon ?? null,
            lat: meta.lat ?? null,
            distance_m: distanceM ?? null,
            flags: json(flags),
            person_id: ctx.person!.id,
            inbound_id: ctx.inboundId,
          })
          .execute()
      },
    },
  )
}

/** A location share: phones in China send GCJ-02, the patch is CGCS2000 (≈ WGS84): convert first. */
export async function handleLocation(ctx: Context) {
  const loc = ctx.inbound.location
  if (!loc) return ctx.reply('位置信息不完整，请重新发送位置。')
  // core decides: finite and inside China (policy.evidenceChecks.chinaBounds), else refused
  const where = positionRefusal(loc, '位置', ctx.policy)
  if (where) return ctx.reply(where)
  const link = await resolvePatch(ctx, undefined, true)
  if ('error' in link) return ctx.reply('收到位置，但无法确定属于哪个图斑。请回复图斑卡片发送位置。')
  const patch = await loadPatch(ctx.trx, link.patchId, true)
  if (!patch) return ctx.reply('未找到该图斑。')
  const here = mayActOnPatchIn(chatScopeOf(ctx), { number: patch.row.number, townshipId: patch.row.township_id, military: patch.row.military })
  if (!here.ok) return ctx.reply(here.reason)
  const [lon, lat] =
    loc.datum === 'gcj02' ? gcj02ToWgs84(loc.lon, loc.lat) : [loc.lon, loc.lat]
  const distanceM = distanceToPatch([lon, lat], patch.row)
  const far = distanceM !== undefined && distanceM > ctx.policy.evidence.maxPhotoDistanceM
  const flags = far ? [`位置距图斑约${Math.round(distanceM!)}米，超过${ctx.policy.evidence.maxPhotoDistanceM}米`] : []
  const sha256 = createHash('sha256').update(`${lon.toFixed(6)},${lat.toFixed(6)},${ctx.inbound.messageId}`).digest('hex')
  await applyAction(ctx, link.patchId, { type: 'addEvidence', kind: 'location' }, {
    preface: `位置已关联到图斑 ${patch.row.number}：距图斑${Math.round(distanceM ?? 0)}米${far ? '，偏离较远，请到图斑现场后再发送' : ''}。`,
    persist: async () => {
      await ctx.trx
        .insertInto('evidence')
        .values({
          patch_id: link.patchId, kind: 'location', sha256, bytes: null, mime: null, taken_at: ctx.inbound.at,
          lon, lat, distance_m: distanceM ?? null, flags: json(flags), person_id: ctx.person!.id, inbound_id: ctx.inboundId,
        })
        .onConflict((oc) => oc.columns(['patch_id', 'sha256']).doNothing())
        .execute()
    },
  })
}

const MIME: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', heif: 'image/heic' }

/** To the polygon when the patch has one; to its centroid when it came from a table. */
function distanceToPatch(point: [number, number], patch: Patch): number | undefined {
  if (patch.geometry) return distanceToPolygonM(point, patch.geometry)
  if (patch.centroid_lon !== null && patch.centroid_lat !== null) return pointDistanceM(point, [patch.centroid_lon, patch.centroid_lat])
  return undefined
}
