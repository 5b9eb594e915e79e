import { readFile } from 'node:fs/promises'
import { AppError } from '../core/errors.js'
import type { Db } from '../db/open.js'

/** Where a command reads and writes: the environment's database and the terminal, or a test's. */
export interface CliIo {
  /** `mustExist`: refuse (DatabaseMissingError) rather than create an empty database */
  openDb(options?: { mustExist?: boolean }): Promise<Db>
  /** after a command: closes the database (a test keeps its own open) */
  release(db: Db): Promise<void>
  now(): Date
  out(line: string): void
  err(line: string): void
  env: NodeJS.ProcessEnv
}

export interface Command {
  usage: string
  summary: string
  /** returns the process exit status */
  run(args: string[], io: CliIo): Promise<number>
}

export const EXIT = { ok: 0, failed: 1, rowsRejected: 2 } as const

/** Opens the database, runs `f`, closes it; bad input (an AppError with a fix) is a message, not a stack trace. */
export async function withDb(io: CliIo, f: (db: Db) => Promise<number>, options?: { mustExist?: boolean }): Promise<number> {
  let db: Db
  try {
    db = await io.openDb(options)
  } catch (e) {
    if (e instanceof AppError && 'fix' in e && typeof e.fix === 'string') {
      io.err(`✗ ${e.message}\n  处理办法：${e.fix}`)
      return EXIT.failed
    }
    throw e
  }
  try {
    return await f(db)
  } catch (e) {
    const fix = e instanceof AppError && 'fix' in e ? e.fix : undefined
    if (e instanceof AppError && typeof fix === 'string') {
      io.err(`✗ ${e.message}\n  处理办法：${fix}`)
      return EXIT.failed
    }
    throw e
  } finally {
    await io.release(db)
  }
}

export async function readInput(io: CliIo, file: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(file))
  } catch (e) {
    io.err(`✗ 无法读取文件 ${file}：${(e as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (e as Error).message}\n  处理办法：检查文件路径`)
    return null
  }
}

