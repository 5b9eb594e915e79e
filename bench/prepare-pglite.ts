// Child process of the import bench: creates and migrates a PGlite data folder, then exits, so
// initdb's memory (≈ 0.5 GB of WASM heap that never shrinks) stays out of the measured process —
// as with a deployment's DATA_DIR, which is created once and only opened after that.
import { openDatabase } from '../db/open.js'

const dir = process.argv[2]
if (!dir) throw new Error('用法：prepare-pglite.ts 目录')
const db = await openDatabase({ kind: 'pglite', dataDir: dir })
await db.destroy()
process.exit(0)
