// The staff dashboard in a real browser (Debian's chromium, driven by playwright-core): the county map
// paints, the township table shows the 统计 figures, a filter narrows map and list, a patch page opens
// with its timeline, photo facts and map, and the 卷宗 and 填报 exports download and open again.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import ExcelJS from 'exceljs'
import { unzipSync } from 'fflate'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { centroidOf } from '../../core/index.js'
import { consoleHarness, FakeClock, OFFICE, OFFICIAL, STAFF, TOWNSHIP_CHAT } from '../support/console-harness.js'
import { CHROMIUM, CHROMIUM_ARGS, haveChromium } from '../support/chromium.js'
import { openPglite, type TestDatabase } from '../support/databases.js'
import { jpegWithExif } from '../support/jpeg-exif.js'

const ARTIFACTS = join('test-artifacts', 'dashboard')
const TOWNSHIP = '450329100' // 资源镇
const ci = process.env.CI === 'true'

describe('the staff dashboard in a browser', () => {
  it.runIf(!haveChromium && ci)('has chromium under CI=true', () => {
    expect.fail(`${CHROMIUM} is missing under CI=true: .ci/run installs it (apt-get install -y chromium)`)
  })

  describe.runIf(haveChromium)('with chromium', () => {
    const clock = new FakeClock(new Date('2026-11-03T01:00:00Z')) // 09:00 China time, a Tuesday
    let t: TestDatabase
    let h: Awaited<ReturnType<typeof consoleHarness>>
    let server: ServerType
    let base: string
    let profile: string
    let context: BrowserContext
    let page: Page
    let worked: string // the patch taken through report and judgment
    const pageErrors: string[] = []

    beforeAll(async () => {
      t = await openPglite()
      h = await consoleHarness(t.db, clock)
      await h.runtime.dispatch()
      await h.runtime.flush()
      // one patch of 资源镇 reported 违法 with a photo and confirmed, so its page has a timeline and a photo
      const patch = (await t.db.selectFrom('patches').innerJoin('townships', 'townships.id', 'patches.township_id')
        .select(['patches.number', 'patches.geometry', 'patches.flags', 'patches.kind']).where('townships.code', '=', TOWNSHIP).where('patches.military', '=', false)
        .orderBy('patches.number').execute()).find((p) => p.kind === 'land' && !p.flags.includes('key_patch'))!
      worked = patch.number
      const [lon, lat] = centroidOf(patch.geometry!)
      clock.advanceMinutes(60)
      await h.post({ chat: TOWNSHIP_CHAT(TOWNSHIP), sender: OFFICIAL(TOWNSHIP), text: `${worked} 已核查 违法 农村乱占耕地建房` })
      clock.advanceMinutes(2)
      await h.post({ chat: TOWNSHIP_CHAT(TOWNSHIP), sender: OFFICIAL(TOWNSHIP), photo: jpegWithExif({ lon, lat, takenAt: '2026:11:03 10:01:00' }).toString('base64') })
      clock.advanceMinutes(30)
      await h.post({ chat: OFFICE, sender: STAFF, text: `确认 ${worked}` })

      server = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: h.runtime.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s))
      })
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      profile = mkdtempSync(join(tmpdir(), 'weipian-chromium-'))
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, acceptDownloads: true,
        viewport: { width: 1360, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
      })
      page = context.pages()[0] ?? (await context.newPage())
      page.setDefaultTimeout(20_000)
      page.on('pageerror', (e) => pageErrors.push(String(e)))
      page.on('console', (m) => {
        if (m.type() === 'error') pageErrors.push(m.text())
      })
      // nothing may come from outside the server (no CDN, no tiles)
      page.on('request', (r) => {
        if (!r.url().startsWith(base) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) pageErrors.push(`outside request: ${r.url()}`)
      })
      mkdirSync(ARTIFACTS, { recursive: true })
    })

    afterAll(async () => {
      await context?.close()
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
      await h?.runtime.stop()
      await t?.close()
      if (profile) rmSync(profile, { recursive: true, force: true })
    })

    async function save(trigger: () => Promise<void>, name: string): Promise<{ fileName: string; bytes: Buffer }> {
      const [download] = await Promise.all([page.waitForEvent('download'), trigger()])
      const path = join(ARTIFACTS, name)
      await download.saveAs(path)
      return { fileName: download.suggestedFilename(), bytes: readFileSync(path) }
    }

    it('loads the county map, the township table and the charts', async () => {
      await page.goto(`${base}/dashboard`)
      await page.locator('body[data-ready="true"]').waitFor()
      await page.locator('body[data-map-painted]').waitFor()
      const total = await t.db.selectFrom('patches').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      expect(await page.getByTestId('count').textContent()).toBe(`显示 ${Number(total.n)} / ${Number(total.n)} 个图斑`)
      // 7 townships and the county's total
      expect(await page.getByTestId('township-row').count()).toBe(8)
      const zy = page.getByTestId('township-row').filter({ hasText: '资源镇' }).first()
      const zyPatches = await t.db.selectFrom('patches').innerJoin('townships', 'townships.id', 'patches.township_id')
        .select((eb) => eb.fn.countAll<number>().as('n')).where('townships.code', '=', TOWNSHIP).executeTakeFirstOrThrow()
      expect(await zy.locator('td').nth(1).textContent()).toBe(String(Number(zyPatches.n)))
      // the map drew on a WebGL canvas; the charts have a bar per state and per township
      expect(await page.locator('#map canvas').count()).toBe(1)
      expect(await page.locator('#state-chart rect').count()).toBe(8)
      expect(await page.locator('#ratio-chart rect').count()).toBe(7)
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-county.png'), fullPage: true })
    })

    it('filters by township and state: the list and the count follow', async () => {
      await page.getByTestId('filter-township').selectOption('资源镇')
      const rows = page.getByTestId('patch-row')
      const n = await rows.count()
      expect(n).toBeGreaterThan(0)
      for (let i = 0; i < n; i++) expect(await rows.nth(i).locator('td').nth(1).textContent()).toBe('资源镇')
      expect(await page.getByTestId('count').textContent()).toMatch(new RegExp(`^显示 ${n} / \\d+ 个图斑$`))
      await page.getByTestId('filter-state').selectOption('rectifying')
      await expect.poll(() => rows.count()).toBe(1)
      expect(await rows.first().getAttribute('data-number')).toBe(worked)
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-filtered.png') })
      await page.getByTestId('filter-state').selectOption('')
    })

    it('opens a patch: timeline with who and when, the photo with its facts, the map, the deadlines', async () => {
      await page.locator(`[data-testid="patch-row"][data-number="${worked}"] a`).click()
      const panel = page.getByTestId('patch-page')
      await panel.waitFor()
      expect(await page.getByTestId('patch-title').textContent()).toBe(`图斑 ${worked} · 整改中`)
      const timeline = await page.getByTestId('timeline').textContent()
      expect(timeline).toContain('核查上报')
      expect(timeline).toContain('判定 · 卫片办-陈工（县卫片办）')
      const photo = page.getByTestId('photo')
      expect(await photo.count()).toBe(1)
      expect(await photo.textContent()).toContain('拍摄：2026:11:03 10:01:00')
      expect(await photo.textContent()).toMatch(/距图斑0米/)
      const map = page.getByTestId('patch-map')
      await expect.poll(() => map.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 15_000 }).toBeGreaterThan(0)
      expect(await page.getByTestId('deadlines').textContent()).toContain('整改')
      await panel.screenshot({ path: join(ARTIFACTS, 'dashboard-patch.png') })
    })

    it('downloads the patch 卷宗 and the 填报 table, and they open again', async () => {
      const dossier = await save(() => page.getByTestId('patch-dossier').click(), 'dossier.zip')
      expect(dossier.fileName).toBe(`卷宗_${worked}.zip`)
      const files = unzipSync(new Uint8Array(dossier.bytes))
      expect(Object.keys(files)).toContain('01_情况说明.docx')
      expect(Object.keys(files).filter((f) => f.startsWith('03_现场照片/') && f.endsWith('.jpg'))).toHaveLength(1)
      const xml = new TextDecoder().decode(unzipSync(files['01_情况说明.docx']!)['word/document.xml']!)
      expect(xml).toContain(`图斑 ${worked} 情况说明`)
      expect(xml).toContain('全部完好')
      await page.locator('#patch-close').click()

      const table = await save(() => page.getByTestId('export-table').click(), 'table.xlsx')
      expect(table.fileName).toMatch(/^填报_资源县_2026-11-03\.xlsx$/)
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(table.bytes as unknown as ArrayBuffer)
      const sheet = wb.getWorksheet('填报')!
      const total = await t.db.selectFrom('patches').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      expect(sheet.rowCount).toBe(Number(total.n) + 1)
      expect(sheet.getRow(1).getCell(1).value).toBe('JCBH')
      const row = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).value === worked)!
      expect(row.getCell(9).value).toBe('违法') // PDJG
      expect(row.getCell(11).value).toBe('农村乱占耕地建房') // WFLX

      // a township's 卷宗: one folder per patch of 资源镇 (the township filter is still on)
      const township = await save(() => page.getByTestId('export-township').click(), 'township.zip')
      const entries = Object.keys(unzipSync(new Uint8Array(township.bytes)))
      expect(entries).toContain('目录.txt')
      expect(entries).toContain(`${worked}/01_情况说明.docx`)
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-after-exports.png') })
      expect(pageErrors).toEqual([])
    })
  })
})
