// `npm run cli -- demo`: loads the demo county 资源县 into the configured database (once).
import { databaseConfigFromEnv, openDatabase } from '../open.js'
import { loadDemoCounty } from './load-demo-county.js'

export const demoCommand = {
  usage: 'demo',
  summary: '载入演示县“资源县”（450329）：乡镇、保护图层、控制台群聊与人员、一批约 60 个图斑；已存在时不做任何更改',
  async run(args: string[]): Promise<number> {
    if (args.length) {
      console.error(`demo 命令不接受参数：${args.join(' ')}`)
      return 1
    }
    const db = await openDatabase(databaseConfigFromEnv())
    try {
      const r = await loadDemoCounty(db, { now: new Date() })
      console.log(
        r.created
          ? `已载入演示县 资源县（450329）：${r.townships} 个乡镇，${r.protectionAreas} 个保护图斑，${r.patches} 个下发图斑`
          : '资源县（450329）已存在，未做任何更改',
      )
      return 0
    } finally {
      await db.destroy()
    }
  },
}
