import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runRobot } from '../../app/robot-command.js'
import { robotChannel } from '../../bot/wecom/robot-channel.js'
import { chunks } from '../../bot/wecom/robot-sender.js'
import { parseMessage } from '../../core/index.js'
import { ROBOT_PLATFORM, robotChatId } from '../../db/queries/webhook-robots.js'
import { enqueue } from '../../delivery/outbox/enqueue.js'
import { engines, type TestDatabase } from '../support/databases.js'
import { FakeRobotServer } from '../support/robot-server.js'
import type { VirtualTime } from '../support/virtual-time.js'
import { messageBody, wecomHarness } from '../support/wecom-harness.js'

const KEY = '693a91f6-7e1b-4bc4-97a0-0ec2a1fa5aaa' // 资源镇's group robot
const OFFICE_KEY = '1b2c3d4e-0000-4bc4-97a0-0ec2a1fa0001'
const UNKNOWN_KEY = 'deadbeef-0000-4bc4-97a0-0ec2a1fa9999' // never created in WeCom
const STAFF = 'LiWeiPian'
const TOWNSHIP = '450329100'

describe('the grammar of 绑定 … webhook <key>', () => {
  it('reads the key, or the whole webhook address, and refuses a missing key', () => {
    expect(parseMessage(`绑定 资源镇 webhook ${KEY}`)).toEqual({ kind: 'bind', target: '资源镇', robotKey: KEY })
    expect(parseMessage(`绑定 卫片办 群机器人 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`)).toEqual({ kind: 'bind', target: '卫片办', robotKey: KEY })
    expect(parseMessage('绑定 资源镇 webhook')).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('没有读到群机器人的 key') })
    expect(parseMessage('绑定 资源镇')).toEqual({ kind: 'bind', target: '资源镇' })
  })

  it('cuts long text at line ends into pieces WeCom takes', () => {
    const text = Array.from({ length: 300 }, (_, i) => `第${i}行：资源镇图斑`).join('\n')
    const pieces = chunks(text, 2048)
    expect(pieces.length).toBeGreaterThan(1)
    expect(pieces.every((p) => Buffer.byteLength(p) <= 2048)).toBe(true)
    expect(pieces.join('\n')).toBe(text)
  })
})

for (const engine of engines) {
  describe.skipIf(!(await engine.available()))(`the WeCom group robot (消息推送) against a local webhook server (${engine.name})`, () => {
    let t: TestDatabase
    let h: Awaited<ReturnType<typeof wecomHarness>>
    let clock: VirtualTime
    const robots = new FakeRobotServer(() => clock.now()).addRobot(KEY).addRobot(OFFICE_KEY)
    let tenantId: number

    beforeAll(async () => {
      t = await engine.open()
      await robots.start()
      h = await wecomHarness(t.db, { channels: (time) => ((clock = time as VirtualTime), [robotChannel({ config: { baseUrl: robots.baseUrl }, db: t.db, now: time.date })]) })
      const tenant = await t.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()
      tenantId = tenant.id
      await t.db.insertInto('people').values({ tenant_id: tenant.id, platform: 'wecom', platform_user_id: STAFF, name: '李卫片', role: 'staff', township_id: null }).execute()
    })
    afterAll(async () => {
      await h?.close()
      await robots.stop()
      await t?.close()
    })

    const privately = async (text: string) => {
      expect(await h.push('message', messageBody({ from: STAFF, text, at: h.time.date() }))).toBe('accepted')
      await h.settle()
      return JSON.stringify(h.server.sentTo(STAFF).at(-1)?.body ?? {}) // the answer, as a stream or markdown
    }

    it('refuses a key said in a group, and binds it said privately; the answer says the robot cannot hear replies', async () => {
      await h.push('message', messageBody({ chatId: 'wrkGroupOfSomeone01', from: STAFF, text: `@卫片执法助手 绑定 资源镇 webhook ${KEY}`, at: h.time.date() }))
      await h.settle()
      expect(JSON.stringify(h.server.sentTo('wrkGroupOfSomeone01').map((m) => m.body))).toContain('群机器人的 key 请不要发在群里')
      expect(await t.db.selectFrom('webhook_robots').selectAll().execute()).toEqual([])

      const answer = await privately(`绑定 资源镇 webhook https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`)
      expect(answer).toContain('已绑定群机器人（key …5aaa）')
      expect(answer).toContain('群机器人只能发消息，群里的回复机器人收不到')
      const chats = await t.db.selectFrom('chats').select(['platform', 'platform_chat_id', 'kind', 'name']).where('platform', '=', ROBOT_PLATFORM).execute()
      expect(chats).toEqual([{ platform: ROBOT_PLATFORM, platform_chat_id: robotChatId(KEY), kind: 'township', name: '资源镇（群机器人…5aaa）' }])
      expect(chats[0]!.platform_chat_id).not.toContain(KEY.slice(0, 8)) // chat ids are logged; keys must not be
    })

    it('pushes each new patch to the robot as its map picture and a markdown card listing what to send privately', async () => {
      const start = h.time.now()
      await h.runtime.dispatch()
      await h.settle()
      const sent = robots.sentTo(KEY)
      const township = await t.db.selectFrom('townships').select('id').where('code', '=', TOWNSHIP).executeTakeFirstOrThrow()
      const patches = await t.db.selectFrom('patches').select('number').where('township_id', '=', township.id).where('military', '=', false).execute()
      const cards = sent.filter((m) => m.msgtype === 'markdown')
      expect(cards).toHaveLength(patches.length)
      for (const card of cards) {
        const content = (card.body.markdown as { content: string }).content
        const number = /JC\d+/.exec(content)![0]
        expect(content).toContain('群机器人收不到回复，请私聊卫片执法助手发送以下文字办理：')
        expect(content).toContain(`查 ${number}`)
        expect(sent[sent.indexOf(card) - 1]!.msgtype).toBe('image') // md5-checked by the server
      }
      // below 20 a minute, without one 130101: any 20 consecutive messages span more than a minute
      expect(robots.answers.filter((a) => a.errcode === 130101)).toEqual([])
      for (let i = 0; i + 19 < sent.length; i++) expect(sent[i + 19]!.at - sent[i]!.at).toBeGreaterThanOrEqual(60_000)
      if (sent.length > 18) expect(h.time.now() - start).toBeGreaterThanOrEqual(61_000) // virtual minutes, no sleeping
    })

    it('paces a burst of 50 messages to one robot below 20 a minute, and waits out a 130101 without losing any', async () => {
      const chat = robotChatId(KEY)
      h.time.advance(2 * 60_000) // the dispatch's minute is over
      robots.saturate(KEY) // another system filled the robot's minute: the first send gets 130101
      const before = robots.sentTo(KEY).length
      const start = h.time.now()
      await enqueue(t.db, Array.from({ length: 50 }, (_, i) => ({
        key: `burst:${i}`, tenantId, platform: ROBOT_PLATFORM, target: chat, payload: { kind: 'text' as const, text: `第${i + 1}条提醒` },
      })), h.time.date())
      await h.settle(60 * 60_000)
      const sent = robots.sentTo(KEY).slice(before)
      expect(sent.map((m) => (m.body.text as { content: string }).content)).toEqual(Array.from({ length: 50 }, (_, i) => `第${i + 1}条提醒`)) // all, in order, once
      expect(robots.answers.filter((a) => a.errcode === 130101)).toHaveLength(1)
      expect(sent[0]!.at - start).toBeGreaterThanOrEqual(60_000) // held a minute after the 130101
      for (let i = 0; i + 19 < sent.length; i++) expect(sent[i + 19]!.at - sent[i]!.at).toBeGreaterThanOrEqual(60_000)
      expect(h.time.now() - start).toBeLessThan(5 * 60_000) // and not much slower than the limit: 50 at 18/min
      expect(await t.db.selectFrom('outbox').select('id').where('platform', '=', ROBOT_PLATFORM).where('status', '!=', 'sent').execute()).toEqual([])
    })

    it('binds, lists and unbinds robots from the command line; a key WeCom does not know ends its messages as dead', async () => {
      const out: string[] = []
      const err: string[] = []
      const cli = (...args: string[]) => runRobot(t.db, args, (l) => out.push(l), (l) => err.push(l))
      expect(await cli('bind', '卫片办', OFFICE_KEY)).toBe(0)
      expect(out.pop()).toContain('县卫片办的待审核、待验收等消息将通过它推送到该群')
      expect(await cli('bind', '没有这个镇', OFFICE_KEY)).toBe(1)
      expect(err.pop()).toContain('未找到乡镇「没有这个镇」')
      expect(await cli('bind', '资源镇', UNKNOWN_KEY, '--tenant', '450329')).toBe(0)
      out.splice(0)
      expect(await cli('list')).toBe(0)
      expect(out.splice(0)).toEqual(['资源镇（群机器人…5aaa）\tkey …5aaa', '县卫片办工作群（群机器人…0001）\tkey …0001', '资源镇（群机器人…9999）\tkey …9999'])

      await enqueue(t.db, [{ key: 'to-unknown', tenantId, platform: ROBOT_PLATFORM, target: robotChatId(UNKNOWN_KEY), payload: { kind: 'text', text: '测试' } }], h.time.date())
      await h.settle()
      const row = await t.db.selectFrom('outbox').select(['status', 'last_error', 'last_error_code']).where('idempotency_key', '=', 'to-unknown').executeTakeFirstOrThrow()
      expect(row).toMatchObject({ status: 'dead', last_error_code: 'wecom-api', last_error: expect.stringContaining('93000') })
      expect(row.last_error).not.toContain(UNKNOWN_KEY)

      expect(await cli('unbind', UNKNOWN_KEY)).toBe(0)
      expect(await cli('unbind', UNKNOWN_KEY)).toBe(1)
      expect(await t.db.selectFrom('chats').select('name').where('platform', '=', ROBOT_PLATFORM).orderBy('id').execute()).toEqual([{ name: '资源镇（群机器人…5aaa）' }, { name: '县卫片办工作群（群机器人…0001）' }])
    })

    it('sends a .docx through upload_media as a file message', async () => {
      const doc = await t.db.insertInto('documents').values({
        tenant_id: tenantId, kind: 'warning_letter', period: '2026-11', township_id: null, title: '测试函', content: JSON.stringify({}) as never,
        file: Buffer.from('PK fake docx'), state: 'draft', created_at: h.time.date(),
      }).returning('id').executeTakeFirstOrThrow()
      await enqueue(t.db, [{ key: 'docx-1', tenantId, platform: ROBOT_PLATFORM, target: robotChatId(OFFICE_KEY), payload: { kind: 'file', documentId: doc.id } }], h.time.date())
      await h.settle()
      const file = robots.sentTo(OFFICE_KEY).pop()!
      expect(file.msgtype).toBe('file')
      const upload = robots.uploads.get((file.body.file as { media_id: string }).media_id)!
      expect(upload.bytes.toString()).toBe('PK fake docx')
      expect(upload.fileName).toMatch(/\.docx$/)
    })
  })
}
