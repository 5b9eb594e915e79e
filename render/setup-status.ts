import { LAYER_KINDS } from '../core/index.js'
import type { SetupStatus } from '../db/queries/setup-status.js'
import { fontStatus } from './map-font.js'

const ROLE_NAMES = { admin: '系统管理员', staff: '卫片办工作人员', leader: '领导', official: '乡镇人员' } as const
export const PLATFORM_NAMES: Record<string, string> = { feishu: '飞书', wecom: '企业微信', wechaty: '微信（Wechaty）', 'wecom-robot': '企业微信群机器人', console: '控制台' }

// China time, minutes
function at(d: Date | null): string {
  if (!d) return '—'
  const t = new Date(d.getTime() + 8 * 3600_000).toISOString()
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`
}

/**
 * The set-up at a glance, as text for a terminal and a chat: what is there and, first, what is
 * missing with the command that adds it. `configured`: the channels of this process (the CLI's
 * environment); the chat shows what the database has seen.
 */
export function formatSetupStatus(s: SetupStatus, configured?: { platform: string; detail: string }[]): string {
  const lines: string[] = [`${s.tenant.name}（${s.tenant.code}）设置情况`]
  const todo: string[] = []
  const unbound = s.townships.filter((t) => t.groups === 0)
  const noBoundary = s.townships.filter((t) => !t.boundary)
  if (s.townships.length === 0) todo.push(`没有乡镇：运行 npm run cli -- county add ${s.tenant.code}`)
  if (!s.people.admin && !s.people.staff) todo.push(`没有卫片办工作人员：运行 npm run cli -- admin invite --tenant ${s.tenant.code}，再在聊天中发送「认领 认领码」`)
  if (unbound.length) todo.push(`${unbound.length} 个乡镇未绑定群：在该乡镇工作群内发送「绑定 乡镇名称」（${unbound.map((t) => t.name).join('、')}）`)
  if (s.officeGroups === 0) todo.push('卫片办工作群未绑定：在该群发送「绑定 卫片办」')
  if (s.leaderGroups === 0) todo.push('领导群未绑定：在该群发送「绑定 领导」（或登记领导后由其单聊接收）')
  if (noBoundary.length) todo.push(`${noBoundary.length} 个乡镇没有边界：运行 npm run cli -- townships import 乡镇界文件 --tenant ${s.tenant.code}`)
  const missingProtection = LAYER_KINDS.filter((k) => k.use === 'protection' && !s.layers.some((l) => l.kind === k.kind))
  if (missingProtection.length) todo.push(`未导入保护图层：${missingProtection.map((k) => k.name).join('、')}（npm run cli -- layer import 文件 --tenant ${s.tenant.code} --kind 耕地）`)
  const noOfficials = s.townships.filter((t) => t.people === 0)
  if (s.townships.length && noOfficials.length) todo.push(`${noOfficials.length} 个乡镇没有登记乡镇人员：在群内发送「登记 @某人 干事 乡镇名称」`)
  if (!fontStatus().ok) todo.push('地图与图表的中文字体未安装（地图上的中文会显示为方框）：在程序目录运行 npm ci')
  lines.push(todo.length ? '待办：' : '待办：无，设置已齐全。')
  for (const [i, t] of todo.entries()) lines.push(`  ${i + 1}. ${t}`)

  lines.push(`乡镇（${s.townships.length}）：`)
  for (const t of s.townships) {
    lines.push(`  ${t.code} ${t.name}：${t.groups ? `已绑定 ${t.groups} 个群` : '未绑定群'}，${t.boundary ? '有边界' : '无边界'}，乡镇人员 ${t.people} 人`)
  }
  lines.push(`卫片办工作群 ${s.officeGroups} 个，领导群 ${s.leaderGroups} 个`)
  const layers = LAYER_KINDS.map((k) => {
    const l = s.layers.find((x) => x.kind === k.kind)
    return l ? `${k.name} ${l.features} 个面${l.version ? `（第 ${l.version} 版，${at(l.importedAt)} 导入${l.file ? `，${l.file}` : ''}）` : '（演示数据）'}` : `${k.name} 未导入`
  })
  lines.push('图层：', ...layers.map((l) => `  ${l}`))
  const roles = (Object.keys(ROLE_NAMES) as (keyof typeof ROLE_NAMES)[]).map((r) => `${ROLE_NAMES[r]} ${s.people[r] ?? 0}`).join('，')
  lines.push(`人员：${roles}${s.openInvites ? `；未使用的认领码 ${s.openInvites} 个` : ''}`)
  lines.push(`图斑：${s.patches} 个（${s.batches} 个批次）`)
  lines.push('渠道：')
  if (configured) lines.push(`  本机配置：${configured.length ? configured.map((c) => `${PLATFORM_NAMES[c.platform] ?? c.platform}（${c.detail}）`).join('，') : '未配置任何消息渠道（FEISHU_* / WECOM_*）'}`)
  if (!s.platforms.length) lines.push('  尚无绑定的群')
  for (const p of s.platforms) {
    lines.push(`  ${PLATFORM_NAMES[p.platform] ?? p.platform}：${p.chats} 个群，最近收到 ${at(p.lastReceived)}，最近发出 ${at(p.lastSent)}${p.pending ? `，待发 ${p.pending}` : ''}${p.dead ? `，发送失败 ${p.dead}` : ''}`)
  }
  lines.push(s.jobs.length ? `定时任务：${s.jobs.map((j) => `${j.job} ${j.period}${j.finishedAt ? '' : '（未完成）'}`).join('，')}` : '定时任务：尚未运行')
  return lines.join('\n')
}
