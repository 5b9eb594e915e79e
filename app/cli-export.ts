// `export dossier` and `export table`: the 卷宗 (001_8c1f6dae78f37652.txt:45 一图斑一卷宗) and the 填报
// table (逐一填报) written to a file.
import { writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import type { Db } from '../db/open.js'
import { patchIdsOf, patchesNumbered } from '../db/queries/dossier.js'
import { buildDossier, buildDossierSet, type BuiltFile } from '../render/dossier/dossier-zip.js'
import { ExportError, fillingTable, fillingWorkbook, tenantByCode } from '../render/filling-table.js'
import { EXIT, withDb, type CliIo, type Command } from './cli-io.js'

const USAGE = [
  'export dossier <图斑号> [--tenant CODE] [--out FILE.zip]',
  'export dossier --tenant CODE (--township 乡镇名或代码 | --batch LABEL) [--out FILE.zip]',
  'export table --tenant CODE [--batch LABEL] --out FILE.xlsx [--flag-inconsistent]',
].join('\n  ')

/** What to make: one patch, a township's or a batch's patches; or the error to print. */
export async function dossierFor(db: Db, number: string | undefined, o: { tenant?: string; township?: string; batch?: string }, now: Date): Promise<BuiltFile> {
  if (number) {
    const found = await patchesNumbered(db, number, o.tenant)
    if (found.length === 0) throw new ExportError('patch-unknown', `未找到图斑 ${number}${o.tenant ? `（县代码 ${o.tenant}）` : ''}`, '核对图斑编号（如 JC2026450329001）；多个县时加 --tenant 县代码')
    if (found.length > 1) throw new ExportError('patch-unknown', `图斑号 ${number} 在多个县都有（${found.map((f) => f.tenantCode).join('、')}）`, '加 --tenant 县代码 指明是哪个县的')
    return (await buildDossier(db, found[0]!.id, now))!
  }
  if (!o.tenant || (o.township === undefined) === (o.batch === undefined)) {
    throw new ExportError('patch-unknown', '请给出一个图斑号，或者 --tenant 加 --township / --batch 之一', `用法：${USAGE}`)
  }
  const tenant = await tenantByCode(db, o.tenant)
  const ids = await patchIdsOf(db, tenant.id, { ...(o.township !== undefined ? { township: o.township } : {}), ...(o.batch !== undefined ? { batch: o.batch } : {}) })
  if (ids.length === 0) {
    throw o.township !== undefined
      ? new ExportError('township-unknown', `${tenant.name}的「${o.township}」没有图斑`, '核对乡镇名称或9位代码（npm run cli -- status --tenant 县代码 列出乡镇）')
      : new ExportError('batch-unknown', `${tenant.name}没有名为「${o.batch}」的批次，或该批次没有图斑`, '核对批次名称（导入时的 --batch）')
  }
  const title = `${tenant.name}_${o.township ?? o.batch}`
  return buildDossierSet(db, ids.map((r) => r.id), title, now)
}

async function save(io: CliIo, file: BuiltFile, out: string | undefined): Promise<number> {
  const path = out ?? file.fileName
  await writeFile(path, file.bytes)
  io.out(`已写入 ${path}（${(file.bytes.length / 1024).toFixed(0)} KB）`)
  return EXIT.ok
}

export const exportCommand: Command = {
  usage: USAGE,
  summary: '导出一图斑一卷宗（zip：情况说明.docx、图件、现场照片及其拍摄信息、材料；乡镇或批次为一个 zip），或填报表（xlsx，导出前核对 已整改 = 拆除 + 补办）',
  async run(args, io) {
    const [what, ...rest] = args
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        tenant: { type: 'string' }, out: { type: 'string' }, township: { type: 'string' }, batch: { type: 'string' },
        'flag-inconsistent': { type: 'boolean' },
      },
    })
    if (what === 'dossier') {
      return withDb(io, async (db) => save(io, await dossierFor(db, positionals[0], values, io.now()), values.out))
    }
    if (what === 'table') {
      if (!values.tenant || !values.out) {
        io.err(`✗ 导出填报表需要 --tenant 县代码 和 --out 文件名.xlsx\n用法：${USAGE}`)
        return EXIT.failed
      }
      return withDb(io, async (db) => {
        const table = await fillingTable(db, values.tenant!, values.batch)
        const file = await fillingWorkbook(table, io.now(), { flagInconsistent: values['flag-inconsistent'] ?? false })
        if (table.problems.length) io.err(`⚠ ${table.problems.length} 行面积不一致，已标红并在备注中注明`)
        io.out(`${table.tenant.name}${values.batch ? ` 批次「${values.batch}」` : ''}：${table.rows.length} 行`)
        return save(io, file, values.out)
      })
    }
    io.err(`用法：\n  ${USAGE}`)
    return EXIT.failed
  },
}
