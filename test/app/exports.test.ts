// The 卷宗 (001_8c1f6dae78f37652.txt:45 一图斑一卷宗) and the 填报 table (逐一填报) from the command
// line and from the chat, opened again: the zip unzipped, the .docx XML read, the .xlsx read back with
// exceljs. A patch is worked through its cycle on the console first, so every part has something in it.
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main, type CliIo } from '../../app/cli.js'
import { centroidOf } from '../../core/index.js'
import { json } from '../../db/json.js'
import { patchMapPngOf } from '../../render/patch-map-data.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { consoleHarness, FakeClock, OFFICE, OFFICIAL, STAFF, TOWNSHIP_CHAT } from '../support/console-harness.js'
import { jpegWithExif } from '../support/jpeg-exif.js'

const TOWNSHIP = '450329100' // 资源镇
const docxText = (docx: Uint8Array) => new TextDecoder().decode(unzipSync(docx)['word/document.xml']!)

async function readXlsx(bytes: Uint8Array) {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  const sheet = wb.getWorksheet('填报')!
  const headers = (sheet.getRow(1).values as unknown[]).slice(1)
  const rows = sheet.getRows(2, sheet.rowCount - 1)!.map((r) => Object.fromEntries(headers.map((hd, i) => [String(hd), r.getCell(i + 1).value])))
  return { sheet, headers, rows }
}

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`exports: 卷宗 and 填报 (${engine.name})`, () => {
    const clock = new FakeClock(new Date('2026-11-03T01:00:00Z')) // 09:00 China time, a Tuesday
    let t: TestDatabase
    let h: Awaited<ReturnType<typeof consoleHarness>>
    let dir: string
    let number: string
    let areaMu: number
    let photos: Buffer[]
    const out: string[] = []
    const err: string[] = []
    let io: Partial<CliIo>
    const cli = (...argv: string[]) => {
      out.length = 0
      err.length = 0
      return main(argv, io)
    }

    beforeAll(async () => {
      t = await engine.open()
      h = await consoleHarness(t.db, clock)
      await h.runtime.dispatch()
      await h.runtime.flush()
      dir = mkdtempSync(join(tmpdir(), 'weipian-export-'))
      io = { openDb: async () => t.db, release: async () => {}, now: clock.now, out: (l) => out.push(l), err: (l) => err.push(l), env: {} }
      // a small ordinary patch of 资源镇 (no city verification: 001_8c1f6dae78f37652.txt:41's 5/10 亩 lines)
      const patch = (await t.db.selectFrom('patches').innerJoin('townships', 'townships.id', 'patches.township_id')
        .select(['patches.number', 'patches.geometry', 'patches.flags', 'patches.kind', 'patches.area_mu', 'patches.farmland_mu'])
        .where('townships.code', '=', TOWNSHIP).where('patches.military', '=', false).orderBy('patches.number').execute())
        .find((p) => p.kind === 'land' && !p.flags.includes('key_patch') && p.farmland_mu > 0 && p.farmland_mu < 5)!
      number = patch.number
      areaMu = patch.area_mu
      const [lon, lat] = centroidOf(patch.geometry!)
      photos = [jpegWithExif({ lon, lat, takenAt: '2026:11:03 10:01:00' }), jpegWithExif({ lon, lat, takenAt: '2026:11:10 10:00:00' })]
      const chat = TOWNSHIP_CHAT(TOWNSHIP)
      clock.advanceMinutes(60)
      await h.post({ chat, sender: OFFICIAL(TOWNSHIP), text: `${number} 已核查 违法 农村乱占耕地建房` })
      clock.advanceMinutes(2)
      await h.post({ chat, sender: OFFICIAL(TOWNSHIP), photo: photos[0]!.toString('base64') })
      clock.advanceMinutes(30)
      await h.post({ chat: OFFICE, sender: STAFF, text: `确认 ${number} 拟拆除复耕` })
      clock.advanceMinutes(60 * 24 * 7)
      await h.post({ chat, sender: OFFICIAL(TOWNSHIP), text: `${number} 已拆除复耕` })
      clock.advanceMinutes(1)
      await h.post({ chat, sender: OFFICIAL(TOWNSHIP), photo: photos[1]!.toString('base64') })
      clock.advanceMinutes(30)
      await h.post({ chat: OFFICE, sender: STAFF, text: `验收 ${number}` })
      const state = await t.db.selectFrom('patches').select('state').where('number', '=', number).executeTakeFirstOrThrow()
      expect(['accepted', 'closed']).toContain(state.state)
    })
    afterAll(async () => {
      await h?.runtime.stop()
      await t?.close()
      if (dir) rmSync(dir, { recursive: true, force: true })
    })

    it('export dossier <号>: a zip with the 情况说明, the map, every photo as received with its EXIF sheet', async () => {
      const file = join(dir, 'one.zip')
      expect(await cli('export', 'dossier', number.toLowerCase(), '--out', file)).toBe(0)
      expect(out.join('\n')).toContain(`已写入 ${file}`)
      const files = unzipSync(new Uint8Array(readFileSync(file)))
      const names = Object.keys(files)
      expect(names).toContain('01_情况说明.docx')
      expect(names).toContain('02_图件/位置及套合图.png')
      expect(Buffer.from(files['02_图件/位置及套合图.png']!).subarray(1, 4).toString()).toBe('PNG')
      // the cards' picture (layers, neighbours, township line, coordinates), not a bare outline
      const id = (await t.db.selectFrom('patches').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id
      expect(Buffer.from(files['02_图件/位置及套合图.png']!).equals(Buffer.from((await patchMapPngOf(t.db, id))!))).toBe(true)
      // photos as received: the same bytes as sent, in the order they came
      const jpgs = names.filter((n) => n.startsWith('03_现场照片/') && n.endsWith('.jpg')).sort()
      expect(jpgs).toHaveLength(2)
      expect(jpgs.map((n) => createHash('sha256').update(files[n]!).digest('hex'))).toEqual(photos.map((p) => createHash('sha256').update(p).digest('hex')))

      const xml = docxText(files['01_情况说明.docx']!)
      expect(xml).toContain(`图斑 ${number} 情况说明`)
      expect(xml).toContain('资源镇（450329100）')
      expect(xml).toContain('违法（农村乱占耕地建房）')
      expect(xml).toContain('拆除复耕')
      expect(xml).toMatch(/整改面积：已整改（已验收）[\d.]+亩（拆除复耕[\d.]+亩、补办手续0亩），剩余未整改0亩/)
      // the timeline: each step, who took it and when (China time)
      for (const step of ['推送', '核查上报', '判定', '整改上报', '验收']) expect(xml).toContain(`<w:t xml:space="preserve">${step}</w:t>`)
      expect(xml).toContain('卫片办-陈工（县卫片办）')
      expect(xml).toContain('2026-11-03 10:02') // the photo that completed the report, 10:02 China time
      expect(xml).toContain('逐条重算哈希链，全部完好')

      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(files['03_现场照片/照片信息表.xlsx'] as unknown as ArrayBuffer)
      const sheet = wb.getWorksheet('照片信息')!
      expect(sheet.rowCount).toBe(3)
      expect(sheet.getRow(2).getCell(5).value).toBe('2026:11:03 10:01:00') // EXIF 拍摄时间
      expect(Number(sheet.getRow(2).getCell(6).value)).toBeCloseTo(centroidOf((await t.db.selectFrom('patches').select('geometry').where('number', '=', number).executeTakeFirstOrThrow()).geometry!)[0], 5)
      expect(sheet.getRow(2).getCell(2).value).toBe(createHash('sha256').update(photos[0]!).digest('hex'))
    })

    it('says when the step log was changed: the 情况说明 reports the broken hash chain', async () => {
      const patch = await t.db.selectFrom('patches').select('id').where('number', '=', number).executeTakeFirstOrThrow()
      const event = await t.db.selectFrom('patch_events').select(['id', 'data']).where('patch_id', '=', patch.id).where('type', '=', 'judged').executeTakeFirstOrThrow()
      await t.db.updateTable('patch_events').set({ data: json({ ...event.data, edited: true }) }).where('id', '=', event.id).execute()
      try {
        const file = join(dir, 'tampered.zip')
        expect(await cli('export', 'dossier', number, '--tenant', '450329', '--out', file)).toBe(0)
        const xml = docxText(unzipSync(new Uint8Array(readFileSync(file)))['01_情况说明.docx']!)
        expect(xml).toContain('哈希链校验发现 1 处问题')
        expect(xml).toContain('记录内容与哈希不符（记录被改动）')
      } finally {
        await t.db.updateTable('patch_events').set({ data: json(event.data) }).where('id', '=', event.id).execute()
      }
    })

    it('export dossier --township: one zip with a folder per patch of the township, and a list', async () => {
      const file = join(dir, 'township.zip')
      expect(await cli('export', 'dossier', '--tenant', '450329', '--township', '资源镇', '--out', file)).toBe(0)
      const names = Object.keys(unzipSync(new Uint8Array(readFileSync(file))))
      const inTownship = await t.db.selectFrom('patches').innerJoin('townships', 'townships.id', 'patches.township_id').select('patches.number').where('townships.code', '=', TOWNSHIP).execute()
      expect(names.filter((n) => n.endsWith('/01_情况说明.docx')).sort()).toEqual(inTownship.map((p) => `${p.number}/01_情况说明.docx`).sort())
      expect(names).toContain('目录.txt')
      expect(await cli('export', 'dossier', '--tenant', '450329', '--batch', '2026年十一月一批', '--out', join(dir, 'batch.zip'))).toBe(0)
      expect(Object.keys(unzipSync(new Uint8Array(readFileSync(join(dir, 'batch.zip'))))).filter((n) => n.endsWith('/01_情况说明.docx'))).toHaveLength(60)
    })

    it('refuses in Chinese: an unknown number, an unknown township, a table without --out', async () => {
      expect(await cli('export', 'dossier', 'JC2026450329999')).toBe(1)
      expect(err.join('\n')).toContain('✗ 未找到图斑 JC2026450329999')
      expect(err.join('\n')).toContain('处理办法：')
      expect(await cli('export', 'dossier', '--tenant', '450329', '--township', '不存在乡')).toBe(1)
      expect(err.join('\n')).toContain('资源县的「不存在乡」没有图斑')
      expect(await cli('export', 'table', '--tenant', '450329')).toBe(1)
      expect(err.join('\n')).toContain('需要 --tenant 县代码 和 --out')
      expect(await cli('export', 'table', '--tenant', '999999', '--out', join(dir, 'x.xlsx'))).toBe(1)
      expect(err.join('\n')).toContain('没有县代码为 999999 的县')
    })

    it('export table: a row per patch in the default columns, the rectified areas as accepted', async () => {
      const file = join(dir, 'table.xlsx')
      expect(await cli('export', 'table', '--tenant', '450329', '--batch', '2026年十一月一批', '--out', file)).toBe(0)
      const { headers, rows } = await readXlsx(new Uint8Array(readFileSync(file)))
      expect(headers.slice(0, 12)).toEqual(['JCBH', 'XZQDM', 'XZQMC', '监测批次', 'TBLX', 'JCMJ', 'JCGDMJ', 'YJJBNTMJ', 'PDJG', '判定细类', 'WFLX', 'PZWH'])
      expect(rows).toHaveLength(60)
      const row = rows.find((r) => r.JCBH === number)!
      const area = Math.round(areaMu * 100) / 100
      expect(row).toMatchObject({
        XZQDM: TOWNSHIP, XZQMC: '资源镇', PDJG: '违法', 判定细类: '非农违法', WFLX: '农村乱占耕地建房', 是否整改: '是', 整改方式: '拆除复耕',
        JCMJ: area, 拆除面积: area, 补办面积: 0, 已整改面积: area, 剩余未整改面积: 0, 核查日期: '2026-11-03',
      })
      const untouched = rows.find((r) => r.JCBH !== number)!
      expect(untouched).toMatchObject({ PDJG: null, 已整改面积: 0, 备注: '尚未判定' }) // not judged: an empty cell
    })

    it('checks 已整改 = 拆除 + 补办 before export: refuses, or marks the rows with --flag-inconsistent', async () => {
      // a row whose provincial table says 3 亩 rectified of 1 + 1 (DESIGN "Data the system meets")
      const other = await t.db.selectFrom('patches').select(['id', 'number', 'attributes']).where('number', '!=', number).orderBy('number').executeTakeFirstOrThrow()
      await t.db.updateTable('patches').set({ attributes: json({ ...other.attributes, 拆除面积: 1, 补办面积: 1, 已整改面积: 3 }) }).where('id', '=', other.id).execute()
      try {
        const file = join(dir, 'refused.xlsx')
        expect(await cli('export', 'table', '--tenant', '450329', '--out', file)).toBe(1)
        expect(err.join('\n')).toContain(`${other.number}：已整改面积3亩 ≠ 拆除面积1亩 + 补办面积1亩`)
        expect(existsSync(file)).toBe(false)

        expect(await cli('export', 'table', '--tenant', '450329', '--out', file, '--flag-inconsistent')).toBe(0)
        expect(err.join('\n')).toContain('1 行面积不一致')
        const { sheet, rows } = await readXlsx(new Uint8Array(readFileSync(file)))
        const i = rows.findIndex((r) => r.JCBH === other.number)
        expect(String(rows[i]!.备注)).toContain('面积不一致：已整改面积3亩 ≠ 拆除面积1亩 + 补办面积1亩')
        expect((sheet.getRow(i + 2).getCell(1).fill as { fgColor?: { argb?: string } }).fgColor?.argb).toBe('FFFFC7CE')

        // the chat refuses the same way, naming the row
        const asked = await h.post({ chat: OFFICE, sender: STAFF, text: '导出' })
        const said = (await h.botSaid(OFFICE, asked.messageId)).map((e) => e.text ?? '').join('\n')
        expect(said).toContain('有 1 行面积不一致')
        expect(said).toContain(other.number)
        expect((await h.botSaid(OFFICE, asked.messageId)).some((e) => e.kind === 'file')).toBe(false)
      } finally {
        await t.db.updateTable('patches').set({ attributes: json(other.attributes) }).where('id', '=', other.id).execute()
      }
    })

    it('takes the county\'s own column set from its policy (filling.columns)', async () => {
      const tenant = await t.db.selectFrom('tenants').select(['id', 'policy_overrides']).where('code', '=', '450329').executeTakeFirstOrThrow()
      const columns = [{ field: 'number', header: 'TBBH' }, { field: 'judgment', header: '合法性判定结果' }, { field: 'remainingMu', header: 'WZGMJ' }]
      await t.db.updateTable('tenants').set({ policy_overrides: json({ ...tenant.policy_overrides, filling: { columns } }) }).where('id', '=', tenant.id).execute()
      try {
        const file = join(dir, 'county-columns.xlsx')
        expect(await cli('export', 'table', '--tenant', '450329', '--out', file)).toBe(0)
        const { headers, rows } = await readXlsx(new Uint8Array(readFileSync(file)))
        expect(headers).toEqual(['TBBH', '合法性判定结果', 'WZGMJ'])
        expect(rows.find((r) => r.TBBH === number)).toEqual({ TBBH: number, 合法性判定结果: '违法', WZGMJ: 0 })
      } finally {
        await t.db.updateTable('tenants').set({ policy_overrides: json(tenant.policy_overrides) }).where('id', '=', tenant.id).execute()
      }
    })

    it('卷宗 <号> and 导出 in the office chat: files in the chat, the console link downloads them', async () => {
      const asked = await h.post({ chat: OFFICE, sender: STAFF, text: `卷宗 ${number}` })
      const said = await h.botSaid(OFFICE, asked.messageId)
      expect(said[0]!.text).toBe(`正在生成图斑 ${number} 的卷宗（情况说明、图件、现场照片2张、办理记录及哈希校验），稍后以文件发送到本群。`)
      const file = said.find((e) => e.kind === 'file')!
      expect(file.fileUrl).toMatch(/^\/console\/api\/outbox\/\d+\/file$/)
      const res = await h.runtime.app.request(file.fileUrl!)
      expect(res.headers.get('content-type')).toBe('application/zip')
      expect(res.headers.get('content-disposition')).toContain(encodeURIComponent(`卷宗_${number}.zip`))
      const files = unzipSync(new Uint8Array(await res.arrayBuffer()))
      expect(docxText(files['01_情况说明.docx']!)).toContain(`图斑 ${number} 情况说明`)

      const table = await h.post({ chat: OFFICE, sender: STAFF, text: '导出 2026年十一月一批' })
      const tableSaid = await h.botSaid(OFFICE, table.messageId)
      expect(tableSaid[0]!.text).toBe('正在导出批次「2026年十一月一批」图斑的填报表（60行），稍后以文件发送到本群。')
      const xlsx = await h.runtime.app.request(tableSaid.find((e) => e.kind === 'file')!.fileUrl!)
      const { rows } = await readXlsx(new Uint8Array(await xlsx.arrayBuffer()))
      expect(rows).toHaveLength(60)
    })

    it('refuses in Chinese: an unknown number, an unknown batch, a township official, no number', async () => {
      const cases: Array<[chat: string, sender: string, text: string, reply: string | RegExp]> = [
        [OFFICE, STAFF, '卷宗 JC2026450329999', '未找到图斑 JC2026450329999。请核对图斑编号'],
        [OFFICE, STAFF, '卷宗', '请写明图斑编号，如：卷宗 JC2026450329001'],
        [OFFICE, STAFF, '导出 七月一批', '资源县没有名为「七月一批」的批次。现有批次：2026年十一月一批。'],
        [TOWNSHIP_CHAT(TOWNSHIP), OFFICIAL(TOWNSHIP), `卷宗 ${number}`, '「卷宗」「导出」仅供县卫片办工作人员和领导在卫片办群或私聊中使用'],
        [TOWNSHIP_CHAT(TOWNSHIP), OFFICIAL(TOWNSHIP), '导出', '「卷宗」「导出」仅供县卫片办工作人员和领导在卫片办群或私聊中使用'],
        [OFFICE, 'console:stranger', `卷宗 ${number}`, '您尚未登记为本系统用户，不能导出卷宗或填报表'],
      ]
      for (const [chat, sender, text, reply] of cases) {
        const asked = await h.post({ chat, sender, text })
        const said = await h.botSaid(chat, asked.messageId)
        expect(said.map((e) => e.text).join('\n'), text).toMatch(typeof reply === 'string' ? new RegExp(reply.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : reply)
        expect(said.some((e) => e.kind === 'file'), text).toBe(false)
      }
    })
  })
}
