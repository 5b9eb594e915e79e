// Command line: `npm run cli -- <command> …`. Each command is one entry of the table below.
import { readFile } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { demoCommand } from '../db/demo/demo-command.js'
import { formatReport } from '../db/import/format-report.js'
import { importBatch } from '../db/import/import-batch.js'
import { ImportError } from '../db/import/types.js'
import { databaseConfigFromEnv, openDatabase } from '../db/open.js'
import { verifyEventChains } from '../db/queries/verify-events.js'
import { ROBOT_SUMMARY, ROBOT_USAGE, runRobot } from './robot-command.js'

interface Command {
  usage: string
  summary: string
  /** returns the process exit status */
  run(args: string[]): Promise<number>
}

const EXIT = { ok: 0, failed: 1, rowsRejected: 2 } as const

const commands: Record<string, Command> = {
  import: {
    usage: 'import FILE --tenant CODE [--batch LABEL] [--crs EPSG:NNNN] [--issued YYYY-MM-DD]',
    summary: '导入下发的图斑批次（GeoJSON、压缩的 Shapefile、CSV、XLSX）',
    async run(args) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { tenant: { type: 'string' }, batch: { type: 'string' }, crs: { type: 'string' }, issued: { type: 'string' } },
      })
      const file = positionals[0]
      if (!file || !values.tenant) return usage('import')
      if (values.issued && !/^\d{4}-\d{2}-\d{2}$/.test(values.issued)) {
        console.error(`--issued 应为 YYYY-MM-DD，收到 ${values.issued}`)
        return EXIT.failed
      }
      let bytes: Uint8Array
      try {
        bytes = new Uint8Array(await readFile(file))
      } catch (e) {
        console.error(`无法读取文件 ${file}：${(e as Error).message}`)
        return EXIT.failed
      }
      const db = await openDatabase(databaseConfigFromEnv())
      try {
        const report = await importBatch(db, {
          tenantCode: values.tenant, fileName: basename(file), bytes,
          batchLabel: values.batch, crs: values.crs, issuedOn: values.issued, now: new Date(),
        })
        console.log(formatReport(report))
        return report.status === 'ok' ? EXIT.ok : report.status === 'rows-rejected' ? EXIT.rowsRejected : EXIT.failed
      } catch (e) {
        if (e instanceof ImportError) {
          console.error(`✗ ${e.message}\n  处理办法：${e.fix}`)
          return EXIT.failed
        }
        throw e
      } finally {
        await db.destroy()
      }
    },
  },
  demo: demoCommand,
  robot: {
    usage: ROBOT_USAGE,
    summary: ROBOT_SUMMARY,
    async run(args) {
      const db = await openDatabase(databaseConfigFromEnv())
      try {
        return await runRobot(db, args, (line) => console.log(line), (line) => console.error(line))
      } finally {
        await db.destroy()
      }
    },
  },
  verify: {
    usage: 'verify',
    summary: '校验所有图斑办理记录的哈希链，发现被改动或删除的记录',
    async run() {
      const db = await openDatabase(databaseConfigFromEnv())
      try {
        const { patches, events, breaks } = await verifyEventChains(db)
        for (const b of breaks) console.error(`✗ 图斑 ${b.patchNumber} 第${b.seq}条：${b.problem}`)
        console.log(`已校验 ${patches} 个图斑的 ${events} 条记录：${breaks.length === 0 ? '全部完好' : `发现 ${breaks.length} 处问题`}`)
        return breaks.length === 0 ? EXIT.ok : EXIT.failed
      } finally {
        await db.destroy()
      }
    },
  },
}

function usage(name?: string): number {
  const list = name ? [[name, commands[name]] as const] : Object.entries(commands)
  console.error('用法：npm run cli -- <命令> …')
  for (const [, c] of list) console.error(`  ${c.usage}\n      ${c.summary}`)
  return EXIT.failed
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  const command = name ? commands[name] : undefined
  if (!command) return usage()
  try {
    return await command.run(rest)
  } catch (e) {
    // parseArgs: unknown option or missing value
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error((e as Error).message)
      return usage(name)
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
