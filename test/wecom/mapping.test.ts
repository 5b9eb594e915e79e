import { describe, expect, it } from 'vitest'
import { configFromEnv } from '../../app/config.js'
import { wecomConfigFromEnv } from '../../bot/wecom/config.js'
import { inboundFromCardEvent, inboundsFromMessage, parseMediaHandle } from '../../bot/wecom/inbound-map.js'
import { classifySendError } from '../../bot/wecom/send-errors.js'
import { buttonKey, templateCard } from '../../bot/wecom/template-card.js'
import { redact } from '../../bot/wecom/sdk-logger.js'
import { RetryableSendError } from '../../delivery/channel.js'

const now = new Date('2026-11-03T01:00:00Z')
const group = { msgid: 'm1', aibotid: 'b', chatid: 'wrGROUP', chattype: 'group' as const, from: { userid: 'u1' }, create_time: 1_793_000_000 }

describe('WeCom configuration', () => {
  it('is off without WECOM_BOT_ID, switches deployed mode with it, and says in Chinese what is wrong', () => {
    expect(wecomConfigFromEnv({})).toBeUndefined()
    expect(configFromEnv({}).mode).toBe('embedded')
    expect(configFromEnv({ WECOM_BOT_KEY: 'x' }).mode).toBe('embedded') // the group robot alone builds no channel
    const config = configFromEnv({ WECOM_BOT_ID: 'aib1', WECOM_BOT_SECRET: 's' })
    expect(config).toMatchObject({ mode: 'deployed', console: false, demo: false, wecom: { botId: 'aib1', secret: 's', wsUrl: undefined } })
    expect(() => wecomConfigFromEnv({ WECOM_BOT_ID: 'aib1' })).toThrow(/WECOM_BOT_SECRET/)
    expect(() => wecomConfigFromEnv({ WECOM_BOT_ID: 'aib1', WECOM_BOT_SECRET: 's', WECOM_WS_URL: 'https://x' })).toThrow(/wss:\/\//)
    expect(() => wecomConfigFromEnv({ WECOM_BOT_ID: 'aib1', WECOM_BOT_SECRET: 's', WECOM_WS_CA_FILE: '/nonexistent.pem' })).toThrow(/无法读取/)
    expect(wecomConfigFromEnv({ WECOM_BOT_ID: 'aib1', WECOM_BOT_SECRET: 's', WECOM_WS_URL: 'wss://ws.gov.example' })?.wsUrl).toBe('wss://ws.gov.example')
  })
})

describe('WeCom callbacks → inbound', () => {
  it('strips the @ that addresses the bot; the sender is the userid, the chat the chatid', () => {
    expect(inboundsFromMessage({ ...group, msgtype: 'text', text: { content: '@卫片执法助手 绑定 资源镇' } }, now)).toEqual([
      { platform: 'wecom', messageId: 'm1', chatId: 'wrGROUP', senderId: 'u1', kind: 'text', text: '绑定 资源镇', at: new Date(1_793_000_000_000) },
    ])
  })

  it('splits 图文混排 into its text and one image per picture, and keys the one-to-one chat by userid', () => {
    const out = inboundsFromMessage(
      { ...group, chattype: 'single', chatid: undefined, msgtype: 'mixed', mixed: { msg_item: [{ msgtype: 'text', text: { content: 'JC2026450329001 已核查 违法' } }, { msgtype: 'image', image: { url: 'https://x/1', aeskey: 'k1' } }, { msgtype: 'image', image: { url: 'https://x/2', aeskey: 'k2' } }] } },
      now,
    )
    expect(out.map((i) => [i.messageId, i.kind, i.chatId, i.direct])).toEqual([
      ['m1', 'text', 'u1', true],
      ['m1#img1', 'image', 'u1', true],
      ['m1#img2', 'image', 'u1', true],
    ])
    expect(parseMediaHandle(out[2]!.media!.handle)).toEqual({ url: 'https://x/2', aeskey: 'k2' })
  })

  it('adds the patch a quote names; voice and video are kept as unsupported', () => {
    const [quoted] = inboundsFromMessage({ ...group, msgtype: 'text', text: { content: '@卫片执法助手 已拆除复耕' }, quote: { msgtype: 'text', text: { content: '图斑 JC2026450329007 待整改' } } }, now)
    expect(quoted!.text).toBe('已拆除复耕 JC2026450329007')
    expect(inboundsFromMessage({ ...group, msgtype: 'voice', voice: { content: '你好' } }, now)[0]).toMatchObject({ kind: 'unsupported', text: 'audio' })
    expect(inboundsFromMessage({ ...group, msgtype: 'video' }, now)[0]).toMatchObject({ kind: 'unsupported', text: 'video' })
  })

  it('reads a template-card press in the documented and in the SDK-typed shape', () => {
    const key = buttonKey({ label: '违法', action: 'report', value: { judgment: 'illegal', patchId: '7' } })
    for (const event of [
      { eventtype: 'template_card_event', template_card_event: { event_key: key, task_id: 'card_1' } },
      { eventtype: 'template_card_event', event_key: key, task_id: 'card_1' },
    ]) {
      expect(inboundFromCardEvent({ ...group, msgtype: 'event', event }, now)).toMatchObject({
        kind: 'card_action', replyTo: 'card_1', action: { name: 'report', value: { judgment: 'illegal', patchId: '7' } },
      })
    }
    expect(inboundFromCardEvent({ ...group, msgtype: 'event', event: { eventtype: 'template_card_event', event_key: 'not json' } }, now)).toBeUndefined()
  })
})

describe('WeCom sending', () => {
  it('draws a card as a button_interaction template card within WeCom caps', () => {
    const card = templateCard(
      { title: '新下发图斑', fields: Array.from({ length: 8 }, (_, i) => [`项${i}`, `值${i}`] as [string, string]), buttons: [{ label: '确认', action: 'confirm', value: { patchId: '1' }, style: 'primary' }] },
      'card_x',
    )
    expect(card.horizontal_content_list).toHaveLength(6)
    expect(card.sub_title_text).toContain('项7：值7')
    expect(card.button_list).toEqual([{ text: '确认', style: 1, key: '{"action":"confirm","patchId":"1"}' }])
  })

  it('gives the navigation link a row that opens it, still within six rows', () => {
    const url = 'https://uri.amap.com/marker?position=110.605,25.998&name=x'
    const card = templateCard(
      { title: '待审核', fields: Array.from({ length: 7 }, (_, i) => [`项${i}`, `值${i}`] as [string, string]), links: [{ label: '高德地图导航', url }], buttons: [] },
      'card_y',
    )
    expect(card.horizontal_content_list).toHaveLength(6)
    expect(card.horizontal_content_list!.at(-1)).toEqual({ keyname: '导航', value: '高德地图导航', type: 1, url })
    expect(card.sub_title_text).toContain('项5：值5')
  })

  it('maps receipts and transport failures onto the outbox classes', () => {
    expect(classifySendError({ headers: { req_id: 'r' }, errcode: 45009, errmsg: 'freq' }, 'send')).toMatchObject({ retryAfterMs: 60_000 })
    expect(classifySendError({ headers: { req_id: 'r' }, errcode: -1, errmsg: 'busy' }, 'send')).toBeInstanceOf(RetryableSendError)
    expect(classifySendError({ headers: { req_id: 'r' }, errcode: 40058, errmsg: 'bad' }, 'send')).toMatchObject({ code: 'wecom-api', errcode: 40058 })
    expect(classifySendError(new Error('Reply ack timeout (5000ms)'), 'send')).toBeInstanceOf(RetryableSendError)
  })

  it('keeps keys, links and secrets out of SDK log lines', () => {
    expect(redact('Received unknown frame (ignored): {"secret":"s3cr3t","image":{"url":"https://x/y","aeskey":"K"}}')).not.toMatch(/s3cr3t|https:|"K"/)
  })
})
