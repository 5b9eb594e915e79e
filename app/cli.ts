// Command line: `npm run cli -- <command> …`. Each command is one entry of the table below.
import { basename, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { loadDemoCounty } from '../db/demo/load-demo-county.js'
import { formatReport } from '../db/import/format-report.js'
import { importBatch } from '../db/import/import-batch.js'
import { overlayInParallel } from '../db/import/parallel-overlay.js'
import { isAreaUnit } from '../db/import/fields.js'
import { ImportError } from '../db/import/types.js'
import { databaseConfigFromEnv, openDatabase, requireExisting } from '../db/open.js'
import { verifyEventChains } from '../db/queries/verify-events.js'
import { EXIT, readInput, withDb, type CliIo, type Command } from './cli-io.js'
import { setupCommands } from './cli-setup.js'
import { exportCommand } from './cli-export.js'
import { ROBOT_SUMMARY, ROBOT_USAGE, runRobot } from './robot-command.js'
import { APPROVER_SUMMARY, APPROVER_USAGE, runApprover } from './approver-command.js'
import { configFromEnv } from './config.js'
import { listOutbox, requeueDead } from '../delivery/outbox/admin.js'
import { credentials } from './cli-credentials.js'

const commands: Record<string, Command> = {
  credentials,
  import: {
    usage: 'import FILE --tenant CODE [--batch LABEL] [--crs EPSG:NNNN] [--issued YYYY-MM-DD] [--area-unit mu|m2|ha] [--json]',
    summary: '导入下发的图斑批次（GeoJSON、压缩的 Shapefile、CSV、XLSX）；--json 输出逐行报告的 JSON',
    async run(args, io) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
          tenant: { type: 'string' }, batch: { type: 'string' }, crs: { type: 'string' }, issued: { type: 'string' },
          'area-unit': { type: 'string' }, json: { type: 'boolean' },
        },
      })
      const file = positionals[0]
      if (!file || !values.tenant) return usage(io, 'import')
      if (values.issued && !/^\d{4}-\d{2}-\d{2}$/.test(values.issued)) {
        io.err(`--issued 应为 YYYY-MM-DD，收到 ${values.issued}`)
        return EXIT.failed
      }
      const unit = values['area-unit']
      if (unit !== undefined && !isAreaUnit(unit)) {
        io.err(`--area-unit 应为 mu（亩）、m2（平方米）或 ha（公顷），收到 ${unit}`)
        return EXIT.failed
      }
      const bytes = await readInput(io, file)
      if (!bytes) return EXIT.failed
      return withDb(io, async (db) => {
        try {
          const report = await importBatch(db, {
            tenantCode: values.tenant!, fileName: basename(file), bytes,
            batchLabel: values.batch, crs: values.crs, issuedOn: values.issued, now: io.now(), overlayAll: overlayInParallel,
            ...(unit ? { areaUnit: unit } : {}),
          })
          io.out(values.json ? JSON.stringify(report, null, 2) : formatReport(report))
          return report.status === 'ok' ? EXIT.ok : report.status === 'rows-rejected' ? EXIT.rowsRejected : EXIT.failed
        } catch (e) {
          if (e instanceof ImportError) {
            if (values.json) io.out(JSON.stringify({ status: 'unreadable', error: { code: e.code, message: e.message, fix: e.fix } }, null, 2))
            else io.err(`✗ ${e.message}\n  处理办法：${e.fix}`)
            return EXIT.failed
          }
          throw e
        }
      })
    },
  },
  ...setupCommands,
  export: exportCommand,
  demo: {
    usage: 'demo [--force]',
    summary: '载入演示县“资源县”（450329）：乡镇、保护图层、控制台群聊与人员、一批约 60 个图斑；已存在时不做任何更改。部署模式下须加 --force',
    async run(args, io) {
      const { values } = parseArgs({ args, options: { force: { type: 'boolean' } } })
      let mode: string
      try {
        mode = configFromEnv(io.env).mode
      } catch {
        mode = 'deployed' // a messenger configured, even wrongly, is a deployment
      }
      if (mode === 'deployed' && !values.force) {
        io.err([
          '✗ 当前是部署模式（设置了 DATABASE_URL 或飞书/企业微信），演示县的 60 个图斑会混入正式数据库。',
          '  处理办法：正式县请用 county add / townships import / import 等命令建立；确需在此载入演示数据，加 --force（演示群聊只建在控制台，不会推送到飞书或企业微信）。',
        ].join('\n'))
        return EXIT.failed
      }
      return withDb(io, async (db) => {
        const r = await loadDemoCounty(db, { now: io.now() })
        io.out(r.created
          ? `已载入演示县 资源县（450329）：${r.townships} 个乡镇，${r.protectionAreas} 个保护图斑，${r.patches} 个下发图斑`
          : '资源县（450329）已存在，未做任何更改')
        return EXIT.ok
      })
    },
  },
  outbox: {
    usage: 'outbox [--dead] [--retry ID … | --retry-all]',
    summary: '列出未发出的消息（--dead 只列放弃发送的）；--retry 重新发送指定编号，--retry-all 重新发送全部放弃的',
    async run(args, io) {
      const { values } = parseArgs({ args, options: { dead: { type: 'boolean' }, retry: { type: 'string', multiple: true }, 'retry-all': { type: 'boolean' } } })
      const ids = (values.retry ?? []).flatMap((v) => v.split(',')).map((v) => Number(v.trim()))
      if (ids.some((id) => !Number.isInteger(id) || id <= 0)) {
        io.err(`--retry 应为消息编号（正整数），收到 ${values.retry?.join(',')}`)
        return EXIT.failed
      }
      return withDb(io, async (db) => {
        if (values['retry-all'] || ids.length) {
          const n = await requeueDead(db, values['retry-all'] ? 'all' : ids, io.now())
          io.out(n ? `已重新排队 ${n} 条消息，运行中的服务会立即发送。` : '没有可重新发送的消息（只有已放弃的消息可以重新发送）。')
          return n || values['retry-all'] ? EXIT.ok : EXIT.failed
        }
        const rows = await listOutbox(db, { dead: values.dead ?? false })
        for (const r of rows) {
          const what = r.patchNumber ? `图斑 ${r.patchNumber} ${r.kind}` : r.kind
          const status = r.status === 'dead' ? '已放弃' : '待发送'
          io.out(`#${r.id} ${status} ${what} → ${r.chatName ?? r.target}（${r.platform}）尝试 ${r.attempts} 次${r.lastError ? `：${r.lastError}` : ''}`)
        }
        io.out(rows.length ? `共 ${rows.length} 条。放弃的消息可用 --retry 编号 或 --retry-all 重新发送。` : values.dead ? '没有放弃发送的消息。' : '没有待发送的消息。')
        return EXIT.ok
      })
    },
  },
  robot: {
    usage: ROBOT_USAGE,
    summary: ROBOT_SUMMARY,
    run: (args, io) => withDb(io, (db) => runRobot(db, args, io.out, io.err)),
  },
  approver: {
    usage: APPROVER_USAGE,
    summary: APPROVER_SUMMARY,
    run: (args, io) => withDb(io, (db) => runApprover(db, args, io.out, io.err, io.now())),
  },
  verify: {
    usage: 'verify',
    summary: '校验办理记录：每个图斑的哈希链、图斑状态与记录一致、各县的记录链头（条数与链头，设置 EVENT_CHAIN_SECRET 时用密钥签名），发现被改动、删除或整体重算的记录',
    async run(_args, io) {
      return withDb(io, async (db) => {
        const { tenants, patches, events, breaks, mode } = await verifyEventChains(db)
        if (tenants === 0 || events === 0) {
          io.err('✗ 数据库中没有任何办理记录（空数据库），无从校验。\n  处理办法：确认 DATABASE_URL 或 DATA_DIR 指向正式数据库')
          return EXIT.failed
        }
        io.out(mode === 'hmac-sha256'
          ? '链头：HMAC-SHA256（EVENT_CHAIN_SECRET），没有密钥的人无法整体重算记录'
          : '链头：sha256（未设置 EVENT_CHAIN_SECRET）：能改动数据库的人可以整体重算记录而不被发现；设置密钥可防止')
        for (const b of breaks) io.err(b.patchNumber ? `✗ 图斑 ${b.patchNumber} 第${b.seq}条：${b.problem}` : `✗ ${b.problem}`)
        io.out(`已校验 ${patches} 个图斑的 ${events} 条记录：${breaks.length === 0 ? '全部完好' : `发现 ${breaks.length} 处问题`}`)
        return breaks.length === 0 ? EXIT.ok : EXIT.failed
      }, { mustExist: true })
    },
  },
}

export function usage(io: CliIo, name?: string): number {
  const list = name && commands[name] ? [[name, commands[name]] as const] : Object.entries(commands)
  io.err('用法：npm run cli -- <命令> …')
  for (const [, c] of list) io.err(`  ${c.usage}\n      ${c.summary}`)
  return EXIT.failed
}

function defaultIo(env: NodeJS.ProcessEnv): CliIo {
  return {
    openDb: async (options) => {
      const config = databaseConfigFromEnv(env)
      if (options?.mustExist) await requireExisting(config)
      return openDatabase(config)
    },
    release: (db) => db.destroy(),
    now: () => new Date(),
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    env,
  }
}

export type { CliIo }

export async function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const full: CliIo = { ...defaultIo(io.env ?? process.env), ...io }
  const [name, ...rest] = argv
  const command = name ? commands[name] : undefined
  if (!command) return usage(full)
  try {
    return await command.run(rest, full)
  } catch (e) {
    // parseArgs: unknown option or missing value
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      full.err(`✗ ${(e as Error).message}`)
      return usage(full, name)
    }
    throw e
  }
}

// run only as a script, not when imported by a test
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code },
    (e) => {
      console.error(e)
      process.exitCode = EXIT.failed
    },
  )
}
