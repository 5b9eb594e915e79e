// The commands that set a county up from an empty database: county and townships, the first
// administrator's invite, boundaries and layers, and the set-up status.
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { PRESETS, resolvePolicy } from '../core/index.js'
import { json } from '../db/json.js'
import { LAYER_KINDS, layerKindOf } from '../core/index.js'
import { addCounty, addTownship, removeTownship, renameTownship, tenantByCode } from '../db/county/county.js'
import { createInvite } from '../db/county/invites.js'
import { ensureRegion } from '../db/county/levels.js'
import { formatAreaReport, type AreaImportReport } from '../db/import/area-report.js'
import { importLayer } from '../db/import/layer-import.js'
import { formatRecompute, recomputeOverlay } from '../db/import/recompute-overlay.js'
import { importTownshipBoundaries } from '../db/import/township-boundaries.js'
import { setupStatus } from '../db/queries/setup-status.js'
import { formatSetupStatus } from '../render/setup-status.js'
import { EXIT, readInput, withDb, type CliIo, type Command } from './cli-io.js'
import { configFromEnv } from './config.js'

const COUNTY_USAGE = [
  'county add CODE [--name 名称] [--preset 000|001|002|003|004]   按统计用区划代码建立县及其全部乡镇/街道（可重复运行）；--preset 采用某份样本文件的政策（沂源000、资源001、武隆002、荥阳003、淄川004）',
  'county township add CODE NAME --tenant CODE          添加乡镇（新设，或区划代码包之后的变化）',
  'county township rename CODE|NAME [--name N] [--code C] --tenant CODE   更名或改代码（图斑、群、人员随之不变）',
  'county township remove CODE|NAME [--into CODE|NAME] --tenant CODE      删除乡镇；撤并时 --into 把图斑、群、人员转入另一乡镇',
]

function say(io: CliIo, lines: string[]) {
  for (const l of lines) io.out(l)
}

function wrong(io: CliIo, message: string, usage: string[]): number {
  io.err(`✗ ${message}`)
  io.err('用法：')
  for (const u of usage) io.err(`  npm run cli -- ${u}`)
  return EXIT.failed
}

const county: Command = {
  usage: 'county add CODE [--name N] | county township add|rename|remove …',
  summary: '建立县（租户）及其乡镇/街道（国家统计局 2023 年区划代码），维护乡镇名单（保留变更记录）',
  async run(args, io) {
    const [verb, ...rest] = args
    if (verb === 'add') {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { name: { type: 'string' }, preset: { type: 'string' } } })
      if (positionals.length !== 1) return wrong(io, '请给出 6 位县级代码，如 county add 370302', COUNTY_USAGE)
      const preset = values.preset === undefined ? undefined : PRESETS[values.preset as keyof typeof PRESETS]
      if (values.preset !== undefined && !preset) return wrong(io, `不认识的政策预设：${values.preset}（可选 ${Object.keys(PRESETS).join('、')}）`, COUNTY_USAGE)
      return withDb(io, async (db) => {
        const r = await addCounty(db, positionals[0]!, { ...(values.name ? { name: values.name } : {}), now: io.now() })
        // issue 12 point 16: a county takes the profile of the seed document it works under
        if (preset) await db.updateTable('tenants').set({ policy_overrides: json(preset as Record<string, unknown>) }).where('code', '=', r.tenant.code).execute()
        const profile = preset ? resolvePolicy(preset) : undefined
        say(io, [
          r.tenant.created ? `✓ 已建立县：${r.tenant.code} ${r.tenant.name}` : `✓ 县 ${r.tenant.code} ${r.tenant.name} 已存在`,
          `  来源：${r.source}`,
          r.created.length ? `  新建乡镇/街道 ${r.created.length} 个：` : '  没有需要新建的乡镇/街道',
          ...r.created.map((t) => `    ${t.code} ${t.name}`),
          ...(r.existing.length ? [`  已有 ${r.existing.length} 个，未改动`] : []),
          ...(r.extra.length ? [`  不在区划代码中的已有乡镇（手工添加或已撤并）：${r.extra.map((t) => `${t.code} ${t.name}`).join('、')}`] : []),
          ...(profile ? [`  政策：${profile.profile}${profile.gaps.length ? `；该文件未给出的部分沿用资源县2023：${profile.gaps.join('；')}` : ''}`] : []),
          `下一步：npm run cli -- admin invite --tenant ${r.tenant.code}（第一位管理员）；npm run cli -- townships import 乡镇界.zip --tenant ${r.tenant.code}`,
        ])
        return EXIT.ok
      })
    }
    if (verb !== 'township') return wrong(io, verb ? `不认识的子命令：county ${verb}` : '缺少子命令', COUNTY_USAGE)
    const [action, ...more] = rest
    const { values, positionals } = parseArgs({
      args: more, allowPositionals: true,
      options: { tenant: { type: 'string' }, name: { type: 'string' }, code: { type: 'string' }, into: { type: 'string' } },
    })
    if (!values.tenant) return wrong(io, '缺少 --tenant（县级代码）', COUNTY_USAGE)
    return withDb(io, async (db) => {
      const now = io.now()
      if (action === 'add') {
        const [code, name] = positionals
        if (!code || !name) return wrong(io, '请给出乡镇代码和名称，如 county township add 370302200 新设镇 --tenant 370302', COUNTY_USAGE)
        const r = await addTownship(db, values.tenant!, code, name, now)
        io.out(`✓ ${r.tenant.name}已添加乡镇 ${r.township.code} ${r.township.name}`)
        return EXIT.ok
      }
      if (action === 'rename') {
        if (positionals.length !== 1 || (!values.name && !values.code)) return wrong(io, '请给出要改的乡镇和新名称（--name）或新代码（--code）', COUNTY_USAGE)
        const r = await renameTownship(db, values.tenant!, positionals[0]!, { ...(values.name ? { name: values.name } : {}), ...(values.code ? { code: values.code } : {}) }, now)
        io.out(`✓ ${r.before.code} ${r.before.name} → ${r.after.code} ${r.after.name}（变更已记录；图斑、群、人员不变）`)
        return EXIT.ok
      }
      if (action === 'remove') {
        if (positionals.length !== 1) return wrong(io, '请给出要删除的乡镇（代码或名称）', COUNTY_USAGE)
        const r = await removeTownship(db, values.tenant!, positionals[0]!, values.into, now)
        io.out(r.into
          ? `✓ ${r.removed.code} ${r.removed.name} 已并入 ${r.into.code} ${r.into.name}：转入 ${r.moved.patches} 个图斑、${r.moved.chats} 个群、${r.moved.people} 名人员（变更已记录）`
          : `✓ 已删除乡镇 ${r.removed.code} ${r.removed.name}（变更已记录；此后 county add 不会再建立它）`)
        return EXIT.ok
      }
      return wrong(io, action ? `不认识的子命令：county township ${action}` : '缺少 add、rename 或 remove', COUNTY_USAGE)
    })
  },
}

const admin: Command = {
  usage: 'admin invite --tenant CODE | --level city|province --code CODE [--role admin|staff]',
  summary: '生成一次性认领码（24 小时内有效）：在任意群聊或单聊中向机器人发送「认领 认领码」即成为管理员或卫片办工作人员',
  async run(args, io) {
    const [verb, ...rest] = args
    const { values } = parseArgs({ args: rest, options: { tenant: { type: 'string' }, role: { type: 'string' }, level: { type: 'string' }, code: { type: 'string' } } })
    const usage = ['admin invite --tenant CODE [--role admin|staff]', 'admin invite --level city --code 4503   # 市级（省级：--level province --code 45）']
    if (verb !== 'invite') return wrong(io, verb ? `不认识的子命令：admin ${verb}` : '缺少子命令 invite', usage)
    const level = values.level ?? 'county'
    if (level !== 'county' && level !== 'city' && level !== 'province') return wrong(io, `--level 应为 city（市级）或 province（省级），收到 ${level}`, usage)
    if (level === 'county' && !values.tenant) return wrong(io, '缺少 --tenant（县级代码）', usage)
    if (level !== 'county' && !values.code) return wrong(io, `缺少 --code（${level === 'city' ? '市级 4 位代码，如 4503' : '省级 2 位代码，如 45'}）`, usage)
    const role = values.role ?? 'admin'
    if (role !== 'admin' && role !== 'staff') return wrong(io, `--role 应为 admin（系统管理员）或 staff（卫片办工作人员），收到 ${role}`, usage)
    return withDb(io, async (db) => {
      const tenantCode = level === 'county' ? values.tenant! : (await ensureRegion(db, level, values.code!, io.now())).code
      const r = await createInvite(db, tenantCode, role, io.now())
      const until = new Date(r.expiresAt.getTime() + 8 * 3600_000).toISOString()
      say(io, [
        `认领码：${r.code}`,
        `  ${r.tenant.name}的${role === 'admin' ? '系统管理员' : '卫片办工作人员'}，只能使用一次，${until.slice(0, 10)} ${until.slice(11, 16)}（北京时间）前有效。`,
        `  在飞书或企业微信中向机器人发送（群聊或单聊均可）：认领 ${r.code}`,
        '  认领码只在此显示一次，系统只保存其哈希；请当面或私下交给本人。',
      ])
      return EXIT.ok
    })
  },
}

function printArea(io: CliIo, report: AreaImportReport, asJson: boolean | undefined): number {
  io.out(asJson ? JSON.stringify(report, null, 2) : formatAreaReport(report))
  return report.status === 'ok' ? EXIT.ok : report.status === 'rows-rejected' ? EXIT.rowsRejected : EXIT.failed
}

const townships: Command = {
  usage: 'townships import FILE --tenant CODE [--crs EPSG:NNNN] [--json]',
  summary: '导入乡镇界（Shapefile/GeoJSON），按乡镇代码、其次按名称对应；逐行报告',
  async run(args, io) {
    const [verb, ...rest] = args
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { tenant: { type: 'string' }, crs: { type: 'string' }, json: { type: 'boolean' } } })
    const usage = [this.usage]
    if (verb !== 'import') return wrong(io, verb ? `不认识的子命令：townships ${verb}` : '缺少子命令 import', usage)
    const file = positionals[0]
    if (!file || !values.tenant) return wrong(io, '请给出文件和 --tenant', usage)
    const bytes = await readInput(io, file)
    if (!bytes) return EXIT.failed
    return withDb(io, async (db) => printArea(io, await importTownshipBoundaries(db, { tenantCode: values.tenant!, fileName: basename(file), bytes, ...(values.crs ? { crs: values.crs } : {}), now: io.now() }), values.json))
  },
}

const LAYER_USAGE = [
  `layer import FILE --tenant CODE --kind ${LAYER_KINDS.map((k) => k.name).join('|')} [--crs EPSG:NNNN] [--json]`,
  'layer recompute --tenant CODE [--batch LABEL] [--json]',
]

const layer: Command = {
  usage: LAYER_USAGE.join(' | '),
  summary: '导入叠加图层：耕地、永久基本农田、生态保护红线，及部门移交所需的城镇开发边界、河道管理范围、交通沿线、林地/自然保护地；新版本整体替换旧版本。recompute：按当前图层重算未判定图斑的叠加面积',
  async run(args, io) {
    const [verb, ...rest] = args
    const { values, positionals } = parseArgs({
      args: rest, allowPositionals: true,
      options: { tenant: { type: 'string' }, kind: { type: 'string' }, crs: { type: 'string' }, batch: { type: 'string' }, json: { type: 'boolean' } },
    })
    if (verb === 'recompute') {
      if (!values.tenant || positionals.length) return wrong(io, positionals.length ? `recompute 不带文件（收到 ${positionals[0]}）` : '缺少 --tenant（县级代码）', LAYER_USAGE)
      return withDb(io, async (db) => {
        const r = await recomputeOverlay(db, { tenantCode: values.tenant!, ...(values.batch !== undefined ? { batchLabel: values.batch } : {}), now: io.now() })
        io.out(values.json ? JSON.stringify(r, null, 2) : formatRecompute(r))
        return EXIT.ok
      })
    }
    if (verb !== 'import') return wrong(io, verb ? `不认识的子命令：layer ${verb}` : '缺少子命令 import 或 recompute', LAYER_USAGE)
    const file = positionals[0]
    if (!file || !values.tenant || !values.kind) return wrong(io, '请给出文件、--tenant 和 --kind', LAYER_USAGE)
    const kind = layerKindOf(values.kind)
    if (!kind) return wrong(io, `不认识的图层类型「${values.kind}」，可用：${LAYER_KINDS.map((k) => k.name).join('、')}`, LAYER_USAGE)
    const bytes = await readInput(io, file)
    if (!bytes) return EXIT.failed
    return withDb(io, async (db) => printArea(io, await importLayer(db, { tenantCode: values.tenant!, fileName: basename(file), bytes, kind, ...(values.crs ? { crs: values.crs } : {}), now: io.now() }), values.json))
  },
}

const status: Command = {
  usage: 'status --tenant CODE',
  summary: '设置情况：乡镇的群与边界、图层、人员、消息渠道、最近的定时任务，以及还缺什么、用哪条命令补',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { tenant: { type: 'string' } } })
    if (!values.tenant) return wrong(io, '缺少 --tenant（县级代码）', [this.usage])
    let configured: { platform: string; detail: string }[]
    try {
      const c = configFromEnv(io.env)
      configured = [
        ...(c.feishu ? [{ platform: 'feishu', detail: c.feishu.mode === 'ws' ? '长连接' : 'webhook' }] : []),
        ...(c.wecom ? [{ platform: 'wecom', detail: '长连接' }] : []),
        ...(c.console ? [{ platform: 'console', detail: '仅本机' }] : []),
      ]
    } catch (e) {
      configured = [{ platform: '配置错误', detail: (e as Error).message }]
    }
    return withDb(io, async (db) => {
      const tenant = await tenantByCode(db, values.tenant)
      io.out(formatSetupStatus(await setupStatus(db, tenant.id, io.now()), configured))
      return EXIT.ok
    })
  },
}

export const setupCommands: Record<string, Command> = { county, admin, townships, layer, status }
