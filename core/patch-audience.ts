// Where what concerns a patch may be said and seen. Military land (军用土地) is reported separately as
// a confidential item by the county office (001_8c1f6dae78f37652.txt:61), so it never reaches a
// township group; and a township group sees and acts on its own township's patches only.
import type { ChatKind, ChatScope, Sender } from './access.js'

export type PatchAudience = { kind: 'office' } | { kind: 'township'; townshipId: number }

export interface AudiencePatch {
  military: boolean
  /** null: no township owns it (yet) */
  townshipId: number | null
}

export type PatchAccess = { ok: true } | { ok: false; code: 'military_land' | 'wrong_township'; reason: string }

/** Who hears about a patch: its township, or the office for military land and unowned patches. */
export function patchAudience(patch: AudiencePatch): PatchAudience {
  if (patch.military || patch.townshipId === null) return { kind: 'office' }
  return { kind: 'township', townshipId: patch.townshipId }
}

/**
 * May the patch be named at all in a chat of this kind (a card, a query, a list line)? policy choice:
 * 军用土地 goes by 机要件 (001_8c1f6dae78f37652.txt:61, :103) and a messenger is no confidential channel,
 * so a military patch's number and place appear in no chat — the office hears counts only.
 */
export function mayShowPatchIn(_chatKind: ChatKind | 'unbound', patch: Pick<AudiencePatch, 'military'>): boolean {
  return !patch.military
}

/** What a chat hears instead of a military patch: that it exists and how it is handled, never where. */
export const MILITARY_NOTE = '该图斑涉及军用土地，由县卫片办以机要件单独办理，编号和位置不在聊天中显示。'

/** The count line the office or the leaders hear for military patches (never their numbers). */
export function militaryCountText(n: number, what = '军用土地图斑'): string {
  return n > 0 ? `另有${what}${n}个，按机要件单独办理，不在聊天中显示编号和位置。` : ''
}

/** `查`: officials read their own township's patches; staff and leaders the county's — but a township group only its own. */
export function mayReadPatch(sender: Sender | undefined, chat: ChatScope, patch: AudiencePatch & { number: string }): PatchAccess {
  // nor to a township official anywhere: in a private chat with the bot (WeCom photos) they are still the township
  if (!mayShowPatchIn(chat.kind, patch) || (patch.military && sender?.role === 'official')) {
    return { ok: false, code: 'military_land', reason: MILITARY_NOTE }
  }
  const wrong: PatchAccess = { ok: false, code: 'wrong_township', reason: `图斑 ${patch.number} 不属于本乡镇，不能查看。` }
  if (chat.kind === 'township' && chat.townshipId !== undefined && chat.townshipId !== patch.townshipId) return wrong
  if (!sender) return chat.kind !== 'township' || chat.townshipId === patch.townshipId ? { ok: true } : wrong
  if (sender.role !== 'official') return { ok: true }
  return sender.townshipId !== undefined && sender.townshipId === patch.townshipId ? { ok: true } : wrong
}

/** A township group acts only on its own township's patches, whoever writes in it; no chat acts on military land. */
export function mayActOnPatchIn(chat: ChatScope, patch: { number: string; townshipId: number | null; military?: boolean }): PatchAccess {
  if (patch.military) return { ok: false, code: 'military_land', reason: MILITARY_NOTE }
  if (chat.kind !== 'township' || chat.townshipId === undefined || patch.townshipId === chat.townshipId) return { ok: true }
  const name = chat.townshipName ?? '本乡镇'
  return { ok: false, code: 'wrong_township', reason: `图斑 ${patch.number} 不属于${name}，本群只能办理${name}的图斑。` }
}
