// The first day of a real county, from an empty database, through the documented commands and the
// chat only — no SQL, no ids read from tables: county add 370302 (淄川区) → townships import →
// layer imports → admin invite → 认领 in a Feishu group → 绑定 each township group → 登记 officials
// → patch import → the cards reach the bound groups. On PostgreSQL and on PGlite.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Polygon } from 'geojson'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main, type CliIo } from '../../app/cli.js'
import { featureCollection } from '../support/batch-files.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { messageEvent, type MessageSpec } from '../support/feishu-events.js'
import { feishuHarness } from '../support/feishu-harness.js'
import type { FakeMessage } from '../support/feishu-open-api.js'
import { PRJ, writeShapefile, zipFiles } from '../support/shapefile-writer.js'

const ZICHUAN = [
  ['370302001', '般阳路街道'], ['370302002', '松龄路街道'], ['370302004', '钟楼街道'], ['370302005', '将军路街道'],
  ['370302102', '昆仑镇'], ['370302104', '岭子镇'], ['370302111', '西河镇'], ['370302112', '龙泉镇'], ['370302113', '寨里镇'],
  ['370302114', '罗村镇'], ['370302115', '洪山镇'], ['370302116', '双杨镇'], ['370302117', '太河镇'],
] as const

// synthetic 乡镇界: a 4 × 4 grid of 0.05° cells from (117.90, 36.50) — no public boundaries are used
const cell = (i: number, inset = 0, size = 0.05): Polygon => {
  const x = 117.9 + (i % 4) * 0.05 + inset
  const y = 36.5 + Math.floor(i / 4) * 0.05 + inset
  return { type: 'Polygon', coordinates: [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]] }
}
const patchIn = (i: number, k = 0) => cell(i, 0.01 + k * 0.004, 0.002)

const ADMIN = 'ou_first_admin'
const OFFICIAL = 'ou_kunlun_official'
const OFFICE = 'oc_zichuan_office'
const group = (code: string) => `oc_zichuan_${code}`
const textOf = (m: FakeMessage) => (m.msgType === 'text' ? String(m.content.text) : JSON.stringify(m.content))

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`the first day of 淄川区 (${engine.name})`, () => {
    let t: TestDatabase
    let h: Awaited<ReturnType<typeof feishuHarness>>
    let dir: string
    const out: string[] = []
    const err: string[] = []

    beforeAll(async () => {
      t = await engine.open()
      h = await feishuHarness(t.db, { way: 'webhook', demo: false })
      dir = await mkdtemp(join(tmpdir(), 'weipian-county-'))
    })
    afterAll(async () => {
      await h?.close()
      await t?.close()
      if (dir) await rm(dir, { recursive: true, force: true })
    })

    const io: Partial<CliIo> = {
      openDb: async () => t.db,
      release: async () => {},
      now: () => h.time.date(),
      out: (line) => void out.push(line),
      err: (line) => void err.push(line),
      env: {}, // embedded: no messenger configured in the CLI's environment
    }
    /** runs one CLI command; returns its exit status and what it printed */
    async function cli(...argv: string[]) {
      out.length = 0
      err.length = 0
      const code = await main(argv, io)
      const text = [...out, ...err].join('\n')
      expect(text).not.toMatch(/\n\s+at |Error:/) // a message, never a stack trace
      return { code, text }
    }
    async function file(name: string, bytes: Uint8Array | string) {
      const path = join(dir, name)
      await writeFile(path, bytes)
      return path
    }
    async function say(spec: Omit<MessageSpec, 'at'>): Promise<string> {
      const messageId = h.api.userMessage(spec.chatId)
      await h.deliver(messageEvent({ ...spec, messageId, at: h.time.date() }))
      await h.settle()
      return textOf(h.api.sentTo(spec.chatId).pop()!)
    }

    it('county add 370302 creates 淄川区 with its 13 townships, once', async () => {
      const first = await cli('county', 'add', '370302')
      expect(first.code).toBe(0)
      expect(first.text).toContain('已建立县：370302 淄川区')
      expect(first.text).toContain('新建乡镇/街道 13 个')
      for (const [code, name] of ZICHUAN) expect(first.text).toContain(`${code} ${name}`)
      const again = await cli('county', 'add', '370302')
      expect(again).toMatchObject({ code: 0 })
      expect(again.text).toContain('没有需要新建的乡镇/街道')
      // bad input: a message and a fix
      expect(await cli('county', 'add', '3703')).toMatchObject({ code: 1, text: expect.stringContaining('6 位数字') })
      expect(await cli('county', 'add', '999999')).toMatchObject({ code: 1, text: expect.stringContaining('没有代码 999999') })
      expect(await cli('county', 'township', 'add', '450329999', '某镇', '--tenant', '370302')).toMatchObject({ code: 1, text: expect.stringContaining('不属于本县') })
    })

    it('townships import gives every township its boundary, matched by code, else by name; a bad row is reported', async () => {
      const shp = writeShapefile({
        encode: (s) => new TextEncoder().encode(s),
        fields: [{ name: 'XZQDM', type: 'C', length: 12 }, { name: 'XZQMC', type: 'C', length: 30 }],
        // 太河镇 by name only, with an older code
        records: ZICHUAN.map(([code, name], i) => ({ geometry: cell(i), values: { XZQDM: name === '太河镇' ? '370302199' : code, XZQMC: name } })),
      })
      const zip = zipFiles({ '乡镇界.shp': shp.shp, '乡镇界.shx': shp.shx, '乡镇界.dbf': shp.dbf, '乡镇界.prj': PRJ.cgcs2000, '乡镇界.cpg': 'UTF-8' })
      const r = await cli('townships', 'import', await file('乡镇界.zip', zip), '--tenant', '370302')
      expect(r.code).toBe(0)
      expect(r.text).toContain('更新了 13 个乡镇的边界')
      expect(r.text).toContain('370302117 太河镇（按名称（文件代码 370302199 与系统的 370302117 不同））')
      const bad = featureCollection([{ geometry: cell(0), properties: { XZQDM: '370302888', XZQMC: '桃花源镇' } }])
      const b = await cli('townships', 'import', await file('bad.geojson', bad), '--tenant', '370302', '--json')
      expect(b.code).toBe(2)
      const report = JSON.parse(b.text)
      expect(report.problems[0]).toMatchObject({ row: 1, problem: expect.stringContaining('找不到乡镇'), fix: expect.stringContaining('county township add') })
      expect(await cli('townships', 'import', join(dir, 'missing.zip'), '--tenant', '370302')).toMatchObject({ code: 1, text: expect.stringContaining('文件不存在') })
    })

    it('layer imports: 耕地 and 永久基本农田; the same file again changes nothing; a new file is a new version', async () => {
      const farmland = featureCollection([0, 4, 5].map((i) => ({ geometry: cell(i, 0.005, 0.04), properties: { DLMC: '水田' } })))
      const f = await cli('layer', 'import', await file('耕地.geojson', farmland), '--tenant', '370302', '--kind', '耕地')
      expect(f).toMatchObject({ code: 0, text: expect.stringContaining('耕地第 1 版：3 个面') })
      expect((await cli('layer', 'import', join(dir, '耕地.geojson'), '--tenant', '370302', '--kind', '耕地')).text).toContain('未做任何更改')
      const basic1 = featureCollection([{ geometry: cell(4, 0.005, 0.01), properties: {} }])
      expect((await cli('layer', 'import', await file('基本农田1.geojson', basic1), '--tenant', '370302', '--kind', '永久基本农田')).code).toBe(0)
      const basic2 = featureCollection([{ geometry: cell(4, 0.005, 0.02), properties: {} }])
      const v2 = await cli('layer', 'import', await file('基本农田2.geojson', basic2), '--tenant', '370302', '--kind', 'basic_farmland')
      expect(v2.text).toContain('永久基本农田第 2 版：1 个面')
      expect(v2.text).toContain('替换第 1 版')
      expect(await cli('layer', 'import', join(dir, '耕地.geojson'), '--tenant', '370302', '--kind', '水田')).toMatchObject({ code: 1, text: expect.stringContaining('不认识的图层类型') })
    })

    let code = ''
    it('admin invite prints a one-time code; an unregistered person who sends 绑定 is told how to claim', async () => {
      expect(await cli('admin', 'invite', '--tenant', '370302', '--role', 'boss')).toMatchObject({ code: 1, text: expect.stringContaining('--role 应为 admin') })
      const r = await cli('admin', 'invite', '--tenant', '370302')
      expect(r.code).toBe(0)
      code = /认领码：(\S+)/.exec(r.text)![1]!
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/)
      const refused = await say({ chatId: OFFICE, senderId: ADMIN, text: '绑定 卫片办' })
      expect(refused).toContain('admin invite --tenant')
      expect(refused).toContain('认领')
    })

    it('认领 in a Feishu group makes the sender the administrator and shows the next steps; the code works once', async () => {
      expect(await say({ chatId: OFFICE, senderId: ADMIN, text: '认领 ABCD-EFGH' })).toContain('认领码不正确')
      const claimed = await say({ chatId: OFFICE, senderId: ADMIN, text: `认领 ${code.toLowerCase()}` })
      expect(claimed).toContain('已认领：您现为淄川区的系统管理员')
      expect(claimed).toContain('绑定 般阳路街道')
      expect(claimed).toContain('登记 @张三 干事')
      expect(await say({ chatId: OFFICE, senderId: 'ou_someone_else', text: `认领 ${code}` })).toContain('已被使用')
    })

    it('绑定 the office and each of the 13 township groups; 登记 an official; 设置情况 shows what is left', async () => {
      expect(await say({ chatId: OFFICE, senderId: ADMIN, text: '绑定 卫片办' })).toContain('已绑定')
      for (const [c, name] of ZICHUAN) expect(await say({ chatId: group(c), senderId: ADMIN, text: `绑定 ${name}` })).toContain(`已绑定：本群为${name}的乡镇群`)
      const reg = await say({ chatId: group('370302102'), senderId: ADMIN, text: '登记 @_user_1 干事', mentions: [{ key: '@_user_1', name: '孙干事', openId: OFFICIAL }] })
      expect(reg).toContain('已登记：孙干事 为昆仑镇乡镇人员')
      const status = await say({ chatId: OFFICE, senderId: ADMIN, text: '设置情况' })
      expect(status).toContain('淄川区（370302）设置情况')
      expect(status).toContain('370302102 昆仑镇：已绑定 1 个群，有边界，乡镇人员 1 人')
      expect(status).toContain('生态保护红线 未导入')
      expect(status).not.toContain('个乡镇未绑定群')
      expect(await say({ chatId: group('370302102'), senderId: OFFICIAL, text: '设置情况' })).toContain('只有县卫片办工作人员')
      const cliStatus = await cli('status', '--tenant', '370302')
      expect(cliStatus.text).toContain('耕地 3 个面（第 1 版')
      expect(cliStatus.text).toContain('飞书：14 个群')
    })

    it('the patch import reaches the bound groups as cards; bad rows are refused with a fix', async () => {
      const batch = featureCollection([
        { geometry: patchIn(4), properties: { JCBH: '370302SJBG26210001', XZQDM: '370302102', JCMJ: 4.5 } },
        { geometry: patchIn(4, 1), properties: { JCBH: '370302SJBG26210002', XZQDM: '370302102', JCMJ: 4.5 } },
        { geometry: patchIn(8), properties: { JCBH: '370302SJBG26210003', XZQMC: '寨里镇', JCMJ: 4.5 } },
        { geometry: patchIn(20), properties: { JCBH: '370302SJBG26210004', XZQDM: '370302102', JCMJ: 4.5 } }, // outside the county
        { geometry: patchIn(5), properties: { JCBH: 'TZY0001', XZQDM: '370302104', JCMJ: 4.5 } }, // the chat could not read it
      ])
      const r = await cli('import', await file('七月一批.geojson', batch), '--tenant', '370302', '--batch', '七月一批', '--json')
      expect(r.code).toBe(2)
      const report = JSON.parse(r.text)
      expect(report.counts).toMatchObject({ rows: 5, imported: 3, rejected: 2 })
      expect(report.problems.map((p: { row: number }) => p.row)).toEqual([4, 5])
      expect(report.problems[0].problem).toContain('不在本县任何乡镇的边界内')
      expect(report.problems[1].problem).toContain('在聊天中无法识别')
      await h.runtime.dispatch()
      await h.settle()
      const cards = (chat: string) => h.api.sentTo(chat).filter((m) => m.msgType === 'interactive').map((m) => JSON.stringify(m.content))
      expect(cards(group('370302102'))).toHaveLength(2)
      expect(cards(group('370302102')).join()).toContain('370302SJBG26210001')
      expect(cards(group('370302113'))).toHaveLength(1)
      expect(cards(group('370302001'))).toHaveLength(0)
      // and the official can query it in the chat
      expect(await say({ chatId: group('370302102'), senderId: OFFICIAL, text: '查 370302SJBG26210001' })).not.toContain('尚未登记')
    })
  }, 180_000)
}
