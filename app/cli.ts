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
import { listOutbox, requeueDead } from '../delivery/outbox/admin.js'

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
  outbox: {
    usage: 'outbox [--dead] [--retry ID … | --retry-all]',
    summary: '列出未发出的消息（--dead 只列放弃发送的）；--retry 重新发送指定编号，--retry-all 重新发送全部放弃的',
    async run(args) {
      const { values } = parseArgs({ args, options: { dead: { type: 'boolean' }, retry: { type: 'string', multiple: true }, 'retry-all': { type: 'boolean' } } })
      const ids = (values.retry ?? []).flatMap((v) => v.split(',')).map((v) => Number(v.trim()))
      if (ids.some((id) => !Number.isInteger(id) || id <= 0)) {
        console.error(`--retry 应为消息编号（正整数），收到 ${values.retry?.join(',')}`)
        return EXIT.failed
      }
      const db = await openDatabase(databaseConfigFromEnv())
      try {
        if (values['retry-all'] || ids.length) {
          const n = await requeueDead(db, values['retry-all'] ? 'all' : ids, new Date())
          console.log(n ? `已重新排队 ${n} 条消息，运行中的服务会立即发送。` : '没有可重新发送的消息（只有已放弃的消息可以重新发送）。')
          return n || values['retry-all'] ? EXIT.ok : EXIT.failed
        }
        const rows = await listOutbox(db, { dead: values.dead ?? false })
        for (const r of rows) {
          const what = r.patchNumber ? `图斑 ${r.patchNumber} ${r.kind}` : r.kind
          const status = r.status === 'dead' ? '已放弃' : '待发送'
          console.log(`#${r.id} ${status} ${what} → ${r.chatName ?? r.target}（${r.platform}）尝试 ${r.attempts} 次${r.lastError ? `：${r.lastError}` : ''}`)
        }
        console.log(rows.length ? `共 ${rows.length} 条。放弃的消息可用 --retry 编号 或 --retry-all 重新发送。` : values.dead ? '没有放弃发送的消息。' : '没有待发送的消息。')
        return EXIT.ok
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
