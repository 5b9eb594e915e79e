import { readFileSync } from 'node:fs'
import { AppError } from '../../core/errors.js'

/** The group robot's official endpoint; 政务微信 (or a test) sets WECOM_WEBHOOK_URL instead. */
export const OFFICIAL_WEBHOOK_BASE = 'https://qyapi.weixin.qq.com/cgi-bin/webhook'

/** WeCom 智能机器人 settings from the environment. The secret stays in memory: never logged, never stored. */
export interface WecomConfig {
  botId: string
  secret: string
  /** undefined: the SDK's official endpoint; a privately deployed WeCom (政务微信) gives its own */
  wsUrl: string | undefined
  /** PEM of the CA that signed a private deployment's certificate (WECOM_WS_CA_FILE) */
  ca: string | undefined
}

export class WecomConfigError extends AppError<'wecom-config'> {
  constructor(message: string) {
    super('wecom-config', message)
  }
}

/** undefined when WeCom is not configured; throws (in Chinese, for the operator) when it is configured wrongly. */
export function wecomConfigFromEnv(env: NodeJS.ProcessEnv): WecomConfig | undefined {
  const botId = env.WECOM_BOT_ID?.trim()
  const secret = env.WECOM_BOT_SECRET?.trim()
  if (!botId && !secret) return undefined
  if (!botId || !secret) throw new WecomConfigError('企业微信配置不完整：WECOM_BOT_ID 与 WECOM_BOT_SECRET 须同时设置（在企业微信管理后台「智能机器人 → API 模式 → 长连接」获取）。')
  if (!/^[\x21-\x7e]+$/.test(botId)) throw new WecomConfigError('WECOM_BOT_ID 只能包含可见的 ASCII 字符，请从管理后台原样复制。')
  const wsUrl = env.WECOM_WS_URL?.trim() || undefined
  if (wsUrl && !/^wss?:\/\/[^/\s]+/.test(wsUrl)) throw new WecomConfigError(`WECOM_WS_URL 应以 wss:// 或 ws:// 开头，而不是「${wsUrl}」。`)
  const caFile = env.WECOM_WS_CA_FILE?.trim() || undefined
  let ca: string | undefined
  if (caFile) {
    try {
      ca = readFileSync(caFile, 'utf8')
    } catch (error) {
      throw new WecomConfigError(`无法读取 WECOM_WS_CA_FILE「${caFile}」：${(error as Error).message}`)
    }
  }
  return { botId, secret, wsUrl, ca }
}

/** The group robot (消息推送): send-only, always available; only its address can be configured. */
export interface RobotConfig {
  /** `…/cgi-bin/webhook`: the official service, or a private deployment's (政务微信), or a test server */
  baseUrl: string
}

export function robotConfigFromEnv(env: NodeJS.ProcessEnv): RobotConfig {
  const raw = env.WECOM_WEBHOOK_URL?.trim()
  if (!raw) return { baseUrl: OFFICIAL_WEBHOOK_BASE }
  if (!/^https?:\/\/[^/\s]+/.test(raw)) throw new WecomConfigError(`WECOM_WEBHOOK_URL 应以 https:// 开头（如 https://qyapi.weixin.qq.com/cgi-bin/webhook），而不是「${raw}」。`)
  // the robot's own address may be pasted whole: keep what comes before /send
  return { baseUrl: raw.replace(/\?.*$/, '').replace(/\/send\/?$/, '').replace(/\/+$/, '') }
}
