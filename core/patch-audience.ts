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

/** May the patch be named at all in a chat of this kind (a card, a query, a list line)? */
export function mayShowPatchIn(chatKind: ChatKind | 'unbound', patch: Pick<AudiencePatch, 'military'>): boolean {
  return !(patch.military && chatKind === 'township')
}

/** `查`: officials read their own township's patches; staff and leaders the county's — but a township group only its own. */
export function mayReadPatch(sender: Sender | undefined, chat: ChatScope, patch: AudiencePatch & { number: string }): PatchAccess {
  // nor to a township official anywhere: in a private chat with the bot (WeCom photos) they are still the township
  if (!mayShowPatchIn(chat.kind, patch) || (patch.military && sender?.role === 'official')) {
    return { ok: false, code: 'military_land', reason: `图斑 ${patch.number} 涉及军用土地，按机要件处理，不能在乡镇群查看。` }
  }
  const wrong: PatchAccess = { ok: false, code: 'wrong_township', reason: `图斑 ${patch.number} 不属于本乡镇，不能查看。` }
  if (chat.kind === 'township' && chat.townshipId !== undefined && chat.townshipId !== patch.townshipId) return wrong
  if (!sender) return chat.kind !== 'township' || chat.townshipId === patch.townshipId ? { ok: true } : wrong
  if (sender.role !== 'official') return { ok: true }
  return sender.townshipId !== undefined && sender.townshipId === patch.townshipId ? { ok: true } : wrong
}

/** A township group acts only on its own township's patches, whoever writes in it. */
export function mayActOnPatchIn(chat: ChatScope, patch: { number: string; townshipId: number | null }): PatchAccess {
  if (chat.kind !== 'township' || chat.townshipId === undefined || patch.townshipId === chat.townshipId) return { ok: true }
  const name = chat.townshipName ?? '本乡镇'
  return { ok: false, code: 'wrong_township', reason: `图斑 ${patch.number} 不属于${name}，本群只能办理${name}的图斑。` }
}
