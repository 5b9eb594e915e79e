// `credentials set|list|remove`: a county's own Feishu app or WeCom bot. The secret is read from an
// environment variable the operator names (never a command-line argument: ps and the shell history
// would keep it) and stored AES-256-GCM encrypted with CREDENTIALS_KEY.
import { parseArgs } from 'node:util'
import { tenantByCode } from '../db/county/county.js'
import { credentialsKey, listCredentials, removeCredential, setCredential, type CredentialPlatform } from '../db/credentials.js'
import { EXIT, withDb, type CliIo, type Command } from './cli-io.js'

const USAGE = [
  'credentials set --tenant CODE --platform feishu|wecom --app-id ID --secret-env VAR [--domain URL]',
  'credentials list',
  'credentials remove --tenant CODE --platform feishu|wecom',
]

function wrong(io: CliIo, message: string): number {
  io.err(`✗ ${message}`)
  io.err('用法：')
  for (const u of USAGE) io.err(`  npm run cli -- ${u}`)
  return EXIT.failed
}

export const credentials: Command = {
  usage: USAGE[0]!,
  summary: '设置某县自带的飞书应用或企业微信机器人（密钥加密保存，需 CREDENTIALS_KEY）；未设置的县共用部署的应用',
  async run(args, io) {
    const [verb, ...rest] = args
    const { values } = parseArgs({ args: rest, options: { tenant: { type: 'string' }, platform: { type: 'string' }, 'app-id': { type: 'string' }, 'secret-env': { type: 'string' }, domain: { type: 'string' } } })
    if (verb === 'list') {
      return withDb(io, async (db) => {
        const rows = await listCredentials(db)
        if (rows.length === 0) io.out('没有县自带应用：全部共用部署的飞书应用 / 企业微信机器人。')
        for (const r of rows) io.out(`${r.code} ${r.name}：${r.platform === 'feishu' ? '飞书应用' : '企业微信机器人'} ${r.app_id}${r.domain ? `（${r.domain}）` : ''}`)
        return EXIT.ok
      })
    }
    if (verb !== 'set' && verb !== 'remove') return wrong(io, verb ? `不认识的子命令：credentials ${verb}` : '缺少子命令 set、list 或 remove')
    if (!values.tenant) return wrong(io, '缺少 --tenant（县级代码）')
    const platform = values.platform
    if (platform !== 'feishu' && platform !== 'wecom') return wrong(io, `--platform 应为 feishu 或 wecom，收到 ${platform ?? '（无）'}`)
    if (verb === 'remove') {
      return withDb(io, async (db) => {
        const tenant = await tenantByCode(db, values.tenant)
        io.out((await removeCredential(db, tenant.id, platform as CredentialPlatform)) ? `已删除${tenant.name}自带的应用：该县改用部署共用的应用（重启后生效）。` : `${tenant.name}没有自带的应用。`)
        return EXIT.ok
      })
    }
    const appId = values['app-id']?.trim()
    if (!appId) return wrong(io, `缺少 --app-id（${platform === 'feishu' ? '飞书 App ID，cli_ 开头' : '企业微信机器人的 Bot ID'}）`)
    if (platform === 'feishu' && !/^cli_[0-9a-f]{16}$/.test(appId)) return wrong(io, `飞书 App ID 应为 cli_ 加 16 位十六进制，收到 ${appId}`)
    const variable = values['secret-env']
    if (!variable) return wrong(io, '缺少 --secret-env：请把密钥放在一个环境变量里（如 SECRET=... npm run cli -- credentials set ... --secret-env SECRET），不要写在命令行上')
    const secret = io.env[variable]?.trim()
    if (!secret) return wrong(io, `环境变量 ${variable} 为空：请先设置它（其值为 ${platform === 'feishu' ? 'App Secret' : '机器人 Secret'}）`)
    let key: Buffer | undefined
    try {
      key = credentialsKey(io.env.CREDENTIALS_KEY)
    } catch (e) {
      return wrong(io, (e as Error).message)
    }
    if (!key) return wrong(io, '没有 CREDENTIALS_KEY：密钥须加密保存。生成：openssl rand -hex 32，写入 /etc/weipian.env 并在运行本命令时带上')
    return withDb(io, async (db) => {
      const tenant = await tenantByCode(db, values.tenant)
      await setCredential(db, tenant.id, platform, appId, secret, key, values.domain?.trim() || null, io.now())
      io.out(`已保存${tenant.name}自带的${platform === 'feishu' ? '飞书应用' : '企业微信机器人'} ${appId}（密钥已加密）。重启服务后，该县的消息由这个应用发送，并按该应用单独限速。`)
      return EXIT.ok
    })
  },
}
