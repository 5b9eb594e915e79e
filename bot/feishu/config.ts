import { AppError } from '../../core/errors.js'
/** Feishu settings from the environment. Secrets stay in memory: never logged, never stored. */
interface FeishuApp {
  appId: string
  appSecret: string
  /** Open API base URL without a trailing slash (https://open.feishu.cn, https://open.larksuite.com, a proxy …) */
  domain: string
}

/**
 * How events come in: the SDK's long connection (no public URL needed) or an HTTP webhook, which
 * cannot exist without its secrets — the type says so, so they are checked here and nowhere else.
 */
export type FeishuConfig =
  | (FeishuApp & { mode: 'ws'; encryptKey?: string | undefined; verificationToken?: string | undefined })
  | (FeishuApp & { mode: 'webhook'; encryptKey: string; verificationToken: string })

const DOMAINS: Record<string, string> = {
  feishu: 'https://open.feishu.cn',
  lark: 'https://open.larksuite.com',
}

/** The long connection silently refuses an app id of another shape (SDK 1.74), so say it up front. */
const APP_ID = /^cli_[0-9a-f]{16}$/

export class FeishuConfigError extends AppError<'feishu-config'> {
  constructor(message: string) {
    super('feishu-config', message)
  }
}

/** undefined when Feishu is not configured; throws when it is configured wrongly. */
export function feishuConfigFromEnv(env: NodeJS.ProcessEnv): FeishuConfig | undefined {
  const appId = env.FEISHU_APP_ID?.trim()
  const appSecret = env.FEISHU_APP_SECRET?.trim()
  if (!appId && !appSecret) return undefined
  if (!appId || !appSecret) throw new FeishuConfigError('飞书配置不完整：FEISHU_APP_ID 与 FEISHU_APP_SECRET 须同时设置。')
  const mode = (env.FEISHU_MODE?.trim().toLowerCase() || 'ws') as FeishuConfig['mode']
  if (mode !== 'ws' && mode !== 'webhook') throw new FeishuConfigError(`FEISHU_MODE 只能是 ws 或 webhook，而不是「${env.FEISHU_MODE}」。`)
  if (mode === 'ws' && !APP_ID.test(appId)) {
    throw new FeishuConfigError('FEISHU_APP_ID 应形如 cli_ 加 16 位十六进制字符（长连接不接受其他格式）。')
  }
  const encryptKey = env.FEISHU_ENCRYPT_KEY?.trim() || undefined
  const verificationToken = env.FEISHU_VERIFICATION_TOKEN?.trim() || undefined
  const domain = domainOf(env.FEISHU_DOMAIN)
  if (mode === 'ws') return { appId, appSecret, mode, domain, encryptKey, verificationToken }
  if (!encryptKey || !verificationToken) {
    // without an encrypt key the SDK verifies nothing: anyone could post events as anyone
    throw new FeishuConfigError('Webhook 模式必须设置 FEISHU_ENCRYPT_KEY 与 FEISHU_VERIFICATION_TOKEN（否则无法验证请求来自飞书）。')
  }
  return { appId, appSecret, mode, domain, encryptKey, verificationToken }
}

function domainOf(value: string | undefined): string {
  const v = value?.trim()
  if (!v) return DOMAINS.feishu!
  const named = DOMAINS[v.toLowerCase()]
  if (named) return named
  if (!/^https?:\/\/[^/]+/.test(v)) throw new FeishuConfigError(`FEISHU_DOMAIN 应为 feishu、lark 或以 http(s):// 开头的地址，而不是「${v}」。`)
  return v.replace(/\/+$/, '') // the SDK appends '/open-apis/…': a trailing slash breaks every URL
}
