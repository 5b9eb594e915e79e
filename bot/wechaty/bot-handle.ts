import type { FileBox as FileBoxClass } from 'file-box'
import type { Wechaty } from 'wechaty'
import { WechatyConfigError, type WechatyConfig } from './config.js'

/**
 * The one Wechaty instance the receiver and the sender share. Built on first use: `wechaty` takes
 * about two seconds to import, which a deployment without it should not pay. `puppet` is a puppet
 * instance (the tests pass wechaty-puppet-mock's) or, by default, the configured package's name,
 * which Wechaty imports itself.
 */
export class BotHandle {
  #bot: Wechaty | undefined
  /** true once the puppet has started: before that, even asking whether it is logged in is an error */
  started = false
  #building: Promise<{ bot: Wechaty; FileBox: typeof FileBoxClass }> | undefined

  constructor(
    readonly config: WechatyConfig,
    readonly puppet: object | undefined,
  ) {}

  /** The bot, once built (undefined before: nothing can be sent then). */
  get bot(): Wechaty | undefined {
    return this.#bot
  }

  get(): Promise<{ bot: Wechaty; FileBox: typeof FileBoxClass }> {
    this.#building ??= (async () => {
      const [{ WechatyBuilder, log }, { FileBox }] = await Promise.all([import('wechaty'), import('file-box')])
      if (!this.puppet) await importable(this.config.puppet)
      log.level(this.config.logLevel)
      const bot = WechatyBuilder.build({
        name: this.config.name,
        // any installed puppet package: Wechaty's own type lists only the official names
        puppet: (this.puppet ?? this.config.puppet) as never,
        ...(this.config.token ? { puppetOptions: { token: this.config.token } } : {}),
      })
      this.#bot = bot
      return { bot, FileBox }
    })()
    return this.#building
  }
}

/** A puppet package that is not installed is a configuration error: the start stops, in Chinese. */
async function importable(name: string) {
  try {
    await import(name)
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new WechatyConfigError(`未安装 Wechaty puppet「${name}」：请先在本程序目录运行 npm install ${name}，或改正 WECHATY_PUPPET。`)
    }
    throw error
  }
}
