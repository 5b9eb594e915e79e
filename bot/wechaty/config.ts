import { AppError } from '../../core/errors.js'

/**
 * Wechaty settings from the environment: which puppet (any npm package that implements one, e.g.
 * `wechaty-puppet-service` for a WorkPro token) and its token. Not the default WeCom route: it rests
 * on an unofficial puppet; the token stays in memory, never logged.
 */
export interface WechatyConfig {
  /** the puppet's npm package name (WECHATY_PUPPET) */
  puppet: string
  /** WECHATY_PUPPET_SERVICE_TOKEN: the puppet service's token */
  token: string | undefined
  /** the bot's name: Wechaty keeps its login session in `<name>.memory-card.json` (WECHATY_NAME) */
  name: string
  /** Wechaty's own log level (WECHATY_LOG); quiet by default: its info lines are noise */
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'verbose' | 'silly'
}

export class WechatyConfigError extends AppError<'wechaty-config'> {
  constructor(message: string) {
    super('wechaty-config', message)
  }
}

const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/
const LEVELS = ['silent', 'error', 'warn', 'info', 'verbose', 'silly'] as const

/** undefined when Wechaty is not configured; throws (in Chinese, for the operator) when it is configured wrongly. */
export function wechatyConfigFromEnv(env: NodeJS.ProcessEnv): WechatyConfig | undefined {
  const puppet = env.WECHATY_PUPPET?.trim()
  const token = env.WECHATY_PUPPET_SERVICE_TOKEN?.trim() || undefined
  if (!puppet) {
    if (token) throw new WechatyConfigError('设置了 WECHATY_PUPPET_SERVICE_TOKEN，但没有设置 WECHATY_PUPPET：请同时设置要使用的 puppet（如 WECHATY_PUPPET=wechaty-puppet-service）。')
    return undefined
  }
  if (!PACKAGE_NAME.test(puppet)) throw new WechatyConfigError(`WECHATY_PUPPET 应为 puppet 的 npm 包名（如 wechaty-puppet-service），而不是「${puppet}」。`)
  if (puppet === 'wechaty-puppet-service' && !token) {
    throw new WechatyConfigError('使用 wechaty-puppet-service 时须设置 WECHATY_PUPPET_SERVICE_TOKEN（由 puppet 服务商提供的 token）。')
  }
  const name = env.WECHATY_NAME?.trim() || 'weipian-bot'
  if (!/^[\w.-]+$/.test(name)) throw new WechatyConfigError(`WECHATY_NAME 只能包含字母、数字、点、下划线和连字符，而不是「${name}」。`)
  const level = (env.WECHATY_LOG?.trim().toLowerCase() || 'warn') as WechatyConfig['logLevel']
  if (!LEVELS.includes(level)) throw new WechatyConfigError(`WECHATY_LOG 应为 ${LEVELS.join('、')} 之一，而不是「${env.WECHATY_LOG}」。`)
  return { puppet, token, name, logLevel: level }
}
