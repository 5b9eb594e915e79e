import { describe, expect, it } from 'vitest'
import { configFromEnv } from '../../app/config.js'
import { wechatyConfigFromEnv } from '../../bot/wechaty/config.js'
import { inboundFromMessage, type MessageFacts } from '../../bot/wechaty/inbound-map.js'
import { cardAsText, typedOptions } from '../../render/card-text.js'
import { parseMessage } from '../../core/index.js'
import type { Card } from '../../render/card.js'

const now = new Date('2026-11-03T01:00:00Z')
const facts = (over: Partial<MessageFacts>): MessageFacts => ({
  id: 'm1', kind: 'text', self: false, roomId: 'r1@chatroom', talkerId: 'c1', talkerName: '唐乡镇', text: '查 JC2026450329001',
  mentionsSelf: true, mentions: [], fileName: undefined, location: undefined, at: now, ...over,
})

describe('Wechaty messages → Inbound', () => {
  it('takes room text only when it @-mentions the bot; pictures in a bound room; everything in a one-to-one chat', () => {
    expect(inboundFromMessage(facts({}), false, now)).toMatchObject({ platform: 'wechaty', messageId: 'm1', chatId: 'r1@chatroom', senderId: 'c1', kind: 'text', text: '查 JC2026450329001' })
    expect(inboundFromMessage(facts({ mentionsSelf: false }), true, now)).toBeUndefined()
    expect(inboundFromMessage(facts({ kind: 'image', mentionsSelf: false, text: '' }), false, now)).toBeUndefined()
    expect(inboundFromMessage(facts({ kind: 'image', mentionsSelf: false, text: '' }), true, now)).toMatchObject({ kind: 'image', media: { handle: 'm1' } })
    expect(inboundFromMessage(facts({ roomId: undefined, mentionsSelf: false }), false, now)).toMatchObject({ chatId: 'c1', direct: true, kind: 'text' })
    expect(inboundFromMessage(facts({ self: true }), true, now)).toBeUndefined()
  })

  it('keeps @-mentions of others (登记 @某人), shares of a location in GCJ-02, and what it cannot read as unsupported', () => {
    expect(inboundFromMessage(facts({ text: '登记 干事 资源镇', mentions: [{ id: 'c9', name: '张三' }] }), true, now)).toMatchObject({ mentions: [{ id: 'c9', name: '张三' }] })
    expect(inboundFromMessage(facts({ roomId: undefined, kind: 'location', text: '', location: { lat: 24.1, lon: 110.2 } }), false, now)).toMatchObject({ kind: 'location', location: { lat: 24.1, lon: 110.2, datum: 'gcj02' } })
    expect(inboundFromMessage(facts({ roomId: undefined, kind: 'audio', text: '' }), false, now)).toMatchObject({ kind: 'unsupported', text: 'audio' })
    expect(inboundFromMessage(facts({ roomId: undefined, kind: 'emoticon', text: '' }), false, now)).toMatchObject({ kind: 'unsupported', text: 'sticker' })
  })
})

describe('Wechaty configuration', () => {
  it('is off without WECHATY_PUPPET; on with it, which switches to deployed mode', () => {
    expect(wechatyConfigFromEnv({})).toBeUndefined()
    const config = configFromEnv({ WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_PUPPET_SERVICE_TOKEN: 'puppet_workpro_x' })
    expect(config.mode).toBe('deployed')
    expect(config.wechaty).toEqual({ puppet: 'wechaty-puppet-service', token: 'puppet_workpro_x', name: 'weipian-bot', logLevel: 'warn' })
  })

  it('refuses in Chinese what cannot work', () => {
    expect(() => wechatyConfigFromEnv({ WECHATY_PUPPET_SERVICE_TOKEN: 'x' })).toThrow(/没有设置 WECHATY_PUPPET/)
    expect(() => wechatyConfigFromEnv({ WECHATY_PUPPET: 'wechaty-puppet-service' })).toThrow(/须设置 WECHATY_PUPPET_SERVICE_TOKEN/)
    expect(() => wechatyConfigFromEnv({ WECHATY_PUPPET: '../evil puppet' })).toThrow(/npm 包名/)
    expect(() => wechatyConfigFromEnv({ WECHATY_PUPPET: 'wechaty-puppet-mock', WECHATY_LOG: 'loud' })).toThrow(/WECHATY_LOG/)
    expect(() => configFromEnv({ WECHATY_PUPPET: 'wechaty-puppet-service' })).toThrow(/wechaty-puppet-service/)
  })
})

describe('a card as text, for messengers without buttons', () => {
  const card: Card = {
    title: '新下发图斑 JC2026450329001',
    fields: [['图斑编号', 'JC2026450329001'], ['乡镇', '资源镇']] as Array<[string, string]>,
    text: '请实地核查后回复。',
    buttons: [
      { label: '违法', action: 'report', value: { patchId: '1', judgment: 'illegal' } },
      { label: '合法', action: 'report', value: { patchId: '1', judgment: 'legal' } },
      { label: '查看详情', action: 'query', value: { patchId: '1' } },
    ],
  }

  it('lists each button as the command to type, with the patch number', () => {
    expect(cardAsText(card, { commandPrefix: '@助手 ' })).toBe(
      ['【新下发图斑 JC2026450329001】', '图斑编号：JC2026450329001', '乡镇：资源镇', '请实地核查后回复。', '请发送文字办理：',
        '· 违法：@助手 JC2026450329001 已核查 违法 违法类型（如 农村乱占耕地建房）', '· 合法：@助手 JC2026450329001 合法 批准文号', '· 查看详情：@助手 查 JC2026450329001'].join('\n'),
    )
  })

  it('gives commands that core reads as what the button would do', () => {
    const review: Card = { title: '待审核：图斑 JC2026450329001', fields: [], buttons: [
      { label: '确认', action: 'confirm', value: { patchId: '1' } }, { label: '退回', action: 'sendBack', value: { patchId: '1' } }] }
    const [confirm, sendBack] = typedOptions(review).map((o) => parseMessage(o.command!))
    expect(confirm).toMatchObject({ kind: 'confirm', patchNo: 'JC2026450329001' })
    expect(sendBack).toMatchObject({ kind: 'sendBack', patchNo: 'JC2026450329001' })
    expect(parseMessage(typedOptions(card)[0]!.command!.replace('违法类型（如 农村乱占耕地建房）', '农村乱占耕地建房'))).toMatchObject({ kind: 'report', patchNo: 'JC2026450329001' })
    expect(typedOptions({ title: '待审核：警示提醒函（资源镇）', fields: [], buttons: [{ label: '批准', action: 'approveDocument', value: { documentId: '3' } }] })[0]!.command).toBeUndefined()
  })
})
