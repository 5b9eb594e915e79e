// The sender and the chat of a message as the rules see them; bot/pipeline maps its rows to these.
import type { Role } from './lifecycle/types.js'

export type ChatKind = 'township' | 'office' | 'leader' | 'direct'

/** A registered sender: the role and township of their people row, never what a message claims. */
export interface Sender {
  role: Role
  townshipId?: number
  /** the people row's id: a named approver is a person, not a role (004_cc43135be01a58c0.txt:47) */
  personId?: number
}

/** `unbound`: a chat the system does not know yet (where 绑定 is sent). */
export interface ChatScope {
  kind: ChatKind | 'unbound'
  /** the township a township group is bound to */
  townshipId?: number
  townshipName?: string
  /** a chat of a city or province tenant: it reads its counties and acts on none of their patches */
  level?: 'city' | 'province'
}
