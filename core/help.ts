// 帮助: what each person may send, by their role (the leader is not shown the township's replies,
// a township not the office's review commands). Who may send what is core/authorize.ts; this only
// lists it, in the words the grammar (core/parse.ts) reads.
import type { ChatKind } from './access.js'
import { FIELD_CHECK_HELP } from './lifecycle/evidence-rules.js'
import type { Role } from './lifecycle/types.js'
import { FIELD_CHECK_FORMAT, REGISTER_HELP } from './parse.js'
import { RECORDS_HELP } from './records-parse.js'

const EVERYONE = '查 图斑号｜统计 乡镇｜逾期｜帮助'

const TOWNSHIP =
  '回复图斑消息：已核查 违法 农村乱占耕地建房 占耕地1.2亩（附现场照片）｜合法 批准文号（附现场照片）｜设施农业用地（附现场照片）｜实地未变化（附现场照片）' +
  '｜已拆除复耕（附判定后拍摄的现场照片；部分整改加写：拆除面积2亩 拆除耕地面积1.5亩）｜已补办手续 批准文号（部分的加写：补办面积3亩 补办耕地面积2亩）。' +
  '现场照片请用相机拍摄、开启定位，直接发送照片或原图文件。' +
  '重点图斑的实地核查由县卫片办组织并登记，乡镇回复「已到现场」不算实地核查记录。'

const OFFICE =
  '卫片办：待审核｜确认 图斑号（集体会审定整改方式：确认 图斑号 拟拆除复耕 / 拟补办）｜退回 图斑号 理由｜验收 图斑号｜驳回 图斑号 理由' +
  `｜${FIELD_CHECK_FORMAT}｜市级核验 图斑号 通过/不通过 文号｜立案 图斑号 案件编号｜案件 图斑号 调查/告知/处罚 文号/催告/移交｜重拟通报｜设置情况。`

// issue 12 point 13: only the person the county named approves (设置审批人)
const LEADER = '领导：同意通报｜退回通报 理由（或点通报卡片上的按钮；由县里指定的审批人办理，发送「审批人」查看）；每个工作日上午收到每日简报。'

/** The 帮助 reply for a sender of `role` (undefined: not registered) in a chat of `chat`. */
export function helpFor(role: Role | undefined, chat: ChatKind | 'unbound'): string {
  switch (role) {
    case 'official':
      return `可以发送：${EVERYONE}。\n${TOWNSHIP}`
    case 'staff':
    case 'admin':
      return `可以发送：${EVERYONE}。\n${OFFICE}\n${FIELD_CHECK_HELP}\n${REGISTER_HELP}\n${RECORDS_HELP}`
    case 'leader':
      return `可以发送：${EVERYONE}。\n${LEADER}`
    default:
      // not registered: in a township group they will be a township official once registered
      return chat === 'township'
        ? `可以发送：${EVERYONE}。\n${TOWNSHIP}\n您尚未登记，办理图斑前请联系县卫片办为您登记。`
        : `可以发送：${EVERYONE}。您尚未登记为本系统用户，请联系县卫片办登记。`
  }
}
