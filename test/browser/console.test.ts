// The patch cycle clicked through the console chat page in a real browser (Debian's chromium, driven by
// playwright-core): a township official answers a patch card with a verdict and a photo, staff confirm,
// the township reports 已拆除复耕 with a photo, staff accept; the patch ends closed with its whole history.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { centroidOf } from '../../core/index.js'
import { storedEventHash } from '../../db/events.js'
import { consoleHarness, FakeClock, OFFICE, OFFICIAL, STAFF, TOWNSHIP_CHAT } from '../support/console-harness.js'
import { CHROMIUM, CHROMIUM_ARGS, haveChromium } from '../support/chromium.js'
import { openPglite, type TestDatabase } from '../support/databases.js'
import { jpegWithExif } from '../support/jpeg-exif.js'

const ARTIFACTS = 'test-artifacts'
const TOWNSHIP = '450329100' // 资源镇
const ci = process.env.CI === 'true'

if (!haveChromium && !ci) {
  console.warn(`\n⚠ ${CHROMIUM} not found: the browser end-to-end test is SKIPPED (apt-get install -y chromium)\n`)
}

describe('the console page in a browser', () => {
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
    const pageErrors: string[] = []

    beforeAll(async () => {
      t = await openPglite()
      h = await consoleHarness(t.db, clock)
      await h.runtime.dispatch()
      await h.runtime.flush()
      server = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: h.runtime.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s))
      })
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      profile = mkdtempSync(join(tmpdir(), 'weipian-chromium-'))
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1180, height: 860 },
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      })
      page = context.pages()[0] ?? (await context.newPage())
      page.setDefaultTimeout(15_000)
      page.on('pageerror', (e) => pageErrors.push(String(e)))
      page.on('console', (m) => {
        if (m.type() === 'error') pageErrors.push(m.text())
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

    const messages = () => page.getByTestId('message')
    const cardTitled = (title: string): Locator =>
      messages().filter({ has: page.getByTestId('card-title').filter({ hasText: title }) }).last()
    const inTranscript = (text: string | RegExp) => page.getByTestId('transcript').getByText(text).last()

    async function openChat(chatId: string, expectedSpeaker: string) {
      await page.locator(`[data-testid="chat"][data-chat-id="${chatId}"]`).click()
      await page.waitForFunction((id) => location.hash === `#${encodeURIComponent(id)}`, chatId)
      expect(await page.getByTestId('person').inputValue()).toBe(expectedSpeaker)
    }

    async function send(text: string) {
      await page.getByTestId('text').fill(text)
      await page.getByTestId('send').click()
      await page.getByTestId('bubble').filter({ hasText: text }).last().waitFor()
    }

    async function sendPhoto(name: string, bytes: Buffer) {
      const before = await page.getByTestId('bubble').filter({ hasText: '［照片］' }).count()
      await page.getByTestId('photo').setInputFiles({ name, mimeType: 'image/jpeg', buffer: bytes })
      await page.waitForFunction(
        (n) => Array.from(document.querySelectorAll('[data-testid="bubble"]')).filter((b) => b.textContent?.includes('［照片］')).length > n,
        before,
      )
    }

    async function stateOf(patchId: number) {
      return (await t.db.selectFrom('patches').select('state').where('id', '=', patchId).executeTakeFirstOrThrow()).state
    }

    async function untilState(patchId: number, state: string) {
      const deadline = Date.now() + 15_000
      while ((await stateOf(patchId)) !== state) {
        if (Date.now() > deadline) throw new Error(`patch ${patchId} is ${await stateOf(patchId)}, expected ${state}`)
        await new Promise((r) => setTimeout(r, 100))
      }
    }

    it('runs the patch cycle: card with map → 违法 + photo → 确认 → 已拆除复耕 + photo → 验收 → closed', async () => {
      // the patch: the first ordinary (not key) card pushed to 资源镇's group
      const cards = (await h.botSaid(TOWNSHIP_CHAT(TOWNSHIP))).filter((e) => e.card && !JSON.stringify(e.card).includes('重点图斑'))
      const number = /JC\d+/.exec(JSON.stringify(cards[0]!.card))![0]
      const patch = await t.db.selectFrom('patches').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
      const [lon, lat] = centroidOf(patch.geometry!)

      await page.goto(`${base}/console#${encodeURIComponent(TOWNSHIP_CHAT(TOWNSHIP))}`)
      await page.locator('body[data-ready="true"]').waitFor()
      expect(await page.getByTestId('chat').count()).toBe(9) // 7 township groups, 卫片办, leader
      expect(await page.getByTestId('person').inputValue()).toBe(OFFICIAL(TOWNSHIP))
      expect(await page.getByTestId('chat-title').textContent()).toBe('资源镇卫片执法工作群')

      // 1. the township official sees the patch card with its map picture
      const card = cardTitled(`新下发图斑 ${number}`)
      await card.scrollIntoViewIfNeeded()
      const map = card.getByTestId('map')
      await map.waitFor()
      await expect.poll(() => map.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 15_000 }).toBeGreaterThan(0)
      expect(await card.getByRole('button', { name: '违法' }).isVisible()).toBe(true)
      await card.screenshot({ path: join(ARTIFACTS, 'console-card.png') })

      // 2. 回复 on the card, the verdict, then a photo taken on the spot
      clock.advanceMinutes(60)
      await card.getByRole('button', { name: '回复', exact: true }).click()
      expect(await page.getByTestId('reply-bar').textContent()).toContain(number)
      await send('已核查 违法 农村乱占耕地建房')
      await inTranscript(/还缺.*照片/).waitFor()
      expect(await page.getByTestId('reply-bar').isHidden()).toBe(true)
      // the sent message quotes the card it answers
      expect(await page.locator('[data-direction="in"] [data-testid="bubble"]').filter({ hasText: '已核查 违法' }).last().textContent()).toContain(`回复 新下发图斑 ${number}`)

      clock.advanceMinutes(2)
      await sendPhoto('现场.jpg', jpegWithExif({ lon, lat, takenAt: '2026:11:03 09:50:00' }))
      await inTranscript(`已关联到图斑 ${number}`).waitFor()
      await inTranscript(/已提交县卫片办审核/).waitFor()
      await untilState(patch.id, 'reported')
      await page.screenshot({ path: join(ARTIFACTS, 'console-township-report.png') })

      // 3. staff in the 卫片办 group confirm with the review card's button
      clock.advanceMinutes(30)
      await openChat(OFFICE, STAFF)
      const review = cardTitled(`待审核：图斑 ${number}`)
      await review.getByRole('button', { name: '确认' }).click()
      await inTranscript(/进入整改/).waitFor()
      await untilState(patch.id, 'rectifying')

      // 4. a week later the township reports 已拆除复耕 and a new photo (different bytes: another time)
      clock.advanceMinutes(60 * 24 * 7)
      await openChat(TOWNSHIP_CHAT(TOWNSHIP), OFFICIAL(TOWNSHIP))
      await inTranscript(/整改/).waitFor()
      await send(`${number} 已拆除复耕`)
      clock.advanceMinutes(1)
      await sendPhoto('复耕后.jpg', jpegWithExif({ lon, lat, takenAt: '2026:11:10 10:00:00' }))
      await untilState(patch.id, 'rectified')

      // 5. staff accept → closed, and the township is told
      clock.advanceMinutes(30)
      await openChat(OFFICE, STAFF)
      await cardTitled(`待验收：图斑 ${number}`).getByRole('button', { name: '验收通过' }).click()
      await untilState(patch.id, 'closed')
      await page.screenshot({ path: join(ARTIFACTS, 'console-office.png') })
      await openChat(TOWNSHIP_CHAT(TOWNSHIP), OFFICIAL(TOWNSHIP))
      await inTranscript(/已办结/).waitFor()
      await page.screenshot({ path: join(ARTIFACTS, 'console-township.png') })

      // the event history is complete and its hash chain holds
      const events = await t.db.selectFrom('patch_events').selectAll().where('patch_id', '=', patch.id).orderBy('seq').execute()
      const types = events.map((e) => e.type)
      for (const type of ['pushed', 'proposal_recorded', 'evidence_added', 'reported', 'judged', 'rectification_started', 'rectified', 'accepted', 'closed']) {
        expect(types).toContain(type)
      }
      expect(types.filter((x) => x === 'evidence_added')).toHaveLength(2)
      let prev = ''
      for (const e of events) {
        expect(e.prev_hash).toBe(prev)
        expect(e.hash).toBe(storedEventHash(e, patch.number))
        prev = e.hash
      }
      // who did it: the township official's steps and staff's decisions came from their chat messages
      const photos = await t.db.selectFrom('evidence').select(['kind', 'distance_m', 'flags']).where('patch_id', '=', patch.id).execute()
      expect(photos.filter((p) => p.kind === 'photo')).toHaveLength(2)
      expect(photos.every((p) => (p.flags as unknown[]).length === 0)).toBe(true)
      expect(pageErrors).toEqual([])
    })

    it('sends a location and fits a phone-width screen', async () => {
      await page.setViewportSize({ width: 390, height: 844 })
      await openChat(TOWNSHIP_CHAT(TOWNSHIP), OFFICIAL(TOWNSHIP))
      await page.getByRole('button', { name: '发送位置' }).click()
      await page.getByTestId('lon').fill('110.63')
      await page.getByTestId('lat').fill('26.04')
      await page.getByTestId('send-location').click()
      await page.getByTestId('bubble').filter({ hasText: '［位置］110.630000, 26.040000' }).waitFor()
      // nothing wider than the screen
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
      await page.screenshot({ path: join(ARTIFACTS, 'console-phone.png') })
      const last = await t.db.selectFrom('inbound_messages').select(['kind', 'payload']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
      expect(last.kind).toBe('location')
      expect((last.payload as { location: unknown }).location).toMatchObject({ lon: 110.63, lat: 26.04, datum: 'gcj02' })
      expect(pageErrors).toEqual([])
    })
  })
})
