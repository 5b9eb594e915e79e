// `卷宗 <号>` and `导出` on Feishu: the real Lark SDK uploads the file (im.file.create) to the local
// Open API server and sends it to the office group as a file message; the bytes that arrive open again.
import ExcelJS from 'exceljs'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPglite, type TestDatabase } from '../support/databases.js'
import { messageEvent, type MessageSpec } from '../support/feishu-events.js'
import { feishuHarness } from '../support/feishu-harness.js'
import { addCyclePeople } from '../support/cycle-people.js'

const TOWNSHIP = '450329100'
const TOWNSHIP_GROUP = 'oc_3f2a9c1d7e5b4a60b1c2d3e4f5a6b7c8'
const OFFICE_GROUP = 'oc_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b'
const OFFICIAL = 'ou_official_ziyuan'
const STAFF = 'ou_staff_weipianban'

describe('exports on Feishu (the Lark SDK against the local Open API)', () => {
  let t: TestDatabase
  let h: Awaited<ReturnType<typeof feishuHarness>>
  let number: string

  beforeAll(async () => {
    t = await openPglite()
    h = await feishuHarness(t.db, { way: 'webhook' })
    await addCyclePeople(t.db, 'feishu', TOWNSHIP, { official: OFFICIAL, staff: STAFF })
    await say({ chatId: OFFICE_GROUP, senderId: STAFF, text: '绑定 卫片办' })
    await say({ chatId: TOWNSHIP_GROUP, senderId: STAFF, text: '绑定 资源镇' })
    number = (await t.db.selectFrom('patches').select('number').where('military', '=', false).orderBy('number').executeTakeFirstOrThrow()).number
  })
  afterAll(async () => {
    await h?.close()
    await t?.close()
  })

  async function say(spec: Omit<MessageSpec, 'at'>) {
    const messageId = h.api.userMessage(spec.chatId, spec.messageId)
    await h.deliver(messageEvent({ ...spec, messageId, at: h.time.date() }))
    await h.settle()
    return messageId
  }
  const filesSentTo = (chat: string) => h.api.sentTo(chat).filter((m) => m.msgType === 'file').map((m) => h.api.files.get(String(m.content.file_key))!)

  it('卷宗 <号>: the zip is uploaded and sent to the office group as a file', async () => {
    await say({ chatId: OFFICE_GROUP, senderId: STAFF, text: `卷宗 ${number}` })
    const [file] = filesSentTo(OFFICE_GROUP)
    expect(file).toMatchObject({ name: `卷宗_${number}.zip`, type: 'stream' })
    const entries = unzipSync(new Uint8Array(file!.bytes))
    const xml = new TextDecoder().decode(unzipSync(entries['01_情况说明.docx']!)['word/document.xml']!)
    expect(xml).toContain(`图斑 ${number} 情况说明`)
    expect(h.api.sentTo(OFFICE_GROUP).some((m) => m.msgType === 'text' && String(m.content.text).includes(`正在生成图斑 ${number} 的卷宗`))).toBe(true)
  })

  it('导出: the 填报 table as .xlsx (file_type xls), read back with exceljs', async () => {
    await say({ chatId: OFFICE_GROUP, senderId: STAFF, text: '导出' })
    const xlsx = filesSentTo(OFFICE_GROUP).find((f) => f.name.endsWith('.xlsx'))!
    expect(xlsx.type).toBe('xls')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer)
    expect(wb.getWorksheet('填报')!.rowCount).toBe(61)
  })

  it('refuses a township official in the township group, and sends no file', async () => {
    const before = h.api.files.size
    await say({ chatId: TOWNSHIP_GROUP, senderId: OFFICIAL, text: `卷宗 ${number}` })
    const last = h.api.sentTo(TOWNSHIP_GROUP).pop()!
    expect(String(last.content.text)).toContain('「卷宗」「导出」仅供县卫片办工作人员和领导')
    expect(h.api.files.size).toBe(before)
  })
})
