// 一图斑一卷宗 (001_8c1f6dae78f37652.txt:45 "情况说明、影像、套合等图件、现场照片、违法案件处理材料、
// 举证材料"): one zip per patch, or one zip of a township's or a batch's patches, a folder each.
import { zipSync, type Zippable } from 'fflate'
import type { Policy } from '../../core/index.js'
import { loadDossier, type DossierData } from '../../db/queries/dossier.js'
import type { Queryable } from '../../db/schema.js'
import { tenantPolicy } from '../../db/queries/tenant-policy.js'
import { renderPatchMap, type PatchMapInput } from '../patch-map.js'
import { loadPatchMapInput } from '../patch-map-data.js'
import { isRenderUnavailable } from '../png-unavailable.js'
import { photoFacts, photoSheetXlsx } from './photo-sheet.js'
import { chinaTime, situationDocx } from './situation-docx.js'

export const ZIP_MIME = 'application/zip'

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/heic': 'heic', 'image/webp': 'webp', 'application/pdf': 'pdf' }
const extOf = (mime: string | null) => (mime && EXT[mime]) ?? (mime?.startsWith('image/') ? mime.slice(6) : 'bin')
/** a file name without the characters Windows refuses */
const safe = (name: string) => name.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80)

/** The files of one patch's dossier, by their path inside it. */
export async function dossierFiles(d: DossierData, policy: Policy, now: Date, map?: PatchMapInput): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {}
  files['01_情况说明.docx'] = await situationDocx(d, policy, now)
  if (d.patch.geometry) {
    try {
      // the same picture as the cards: the patch over the layers it touches, its neighbours, the township
      // line and its coordinates (render/patch-map-data.ts)
      files['02_图件/位置及套合图.png'] = renderPatchMap(map ?? d.patch.geometry, map ? undefined : d.township?.boundary ?? null)
    } catch (error) {
      if (!isRenderUnavailable(error)) throw error
    }
  }
  const photos = d.evidence.filter((e) => e.kind === 'photo' && e.bytes)
  const facts = []
  for (const [i, e] of photos.entries()) {
    const name = `${String(i + 1).padStart(2, '0')}_${chinaTime(new Date(e.created_at)).replace(/[-: ]/g, '')}.${extOf(e.mime)}`
    files[`03_现场照片/${name}`] = e.bytes!
    facts.push(await photoFacts(e, name))
  }
  if (facts.length) files['03_现场照片/照片信息表.xlsx'] = await photoSheetXlsx(facts)
  for (const e of d.evidence.filter((x) => x.kind === 'document' && x.bytes)) {
    files[`04_举证材料/举证_${e.id}.${extOf(e.mime)}`] = e.bytes!
  }
  for (const doc of d.documents.filter((x) => x.file)) {
    files[`05_处理材料/${safe(doc.title)}_${doc.id}.docx`] = doc.file!
  }
  return files
}

/** Photos and .docx/.xlsx are compressed already: stored as they are, which is fast and no larger. */
function zip(entries: Record<string, Uint8Array>, now: Date): Uint8Array {
  const z: Zippable = {}
  for (const [path, bytes] of Object.entries(entries)) z[path] = [bytes, { level: path.endsWith('.txt') ? 6 : 0 }]
  return zipSync(z, { mtime: now }) // the injected clock, not the wall's: the same dossier zips the same
}

export interface BuiltFile {
  fileName: string
  bytes: Uint8Array
  mime: string
}

/** One patch's 卷宗 as a zip, or undefined when there is no such patch. */
export async function buildDossier(db: Queryable, patchId: number, now: Date): Promise<BuiltFile | undefined> {
  const d = await loadDossier(db, patchId)
  if (!d) return undefined
  return { fileName: `卷宗_${safe(d.patch.number)}.zip`, bytes: zip(await dossierFiles(d, tenantPolicy(d.tenant.policy_overrides), now, await loadPatchMapInput(db, patchId)), now), mime: ZIP_MIME }
}

/** Many patches' 卷宗 in one zip, a folder each (a township's or a batch's), named `title`. */
export async function buildDossierSet(db: Queryable, patchIds: readonly number[], title: string, now: Date): Promise<BuiltFile> {
  const entries: Record<string, Uint8Array> = {}
  const numbers: string[] = []
  for (const id of patchIds) {
    const d = await loadDossier(db, id)
    if (!d) continue
    numbers.push(d.patch.number)
    for (const [path, bytes] of Object.entries(await dossierFiles(d, tenantPolicy(d.tenant.policy_overrides), now, await loadPatchMapInput(db, id)))) entries[`${safe(d.patch.number)}/${path}`] = bytes
  }
  entries['目录.txt'] = new TextEncoder().encode(`${title}\r\n生成时间：${chinaTime(now)}\r\n共 ${numbers.length} 个图斑：\r\n${numbers.join('\r\n')}\r\n`)
  return { fileName: `卷宗_${safe(title)}.zip`, bytes: zip(entries, now), mime: ZIP_MIME }
}
