// One platform, several apps: a county may bring its own Feishu app or WeCom bot (tenant_credentials)
// or share the deployment's. Each app is a channel of its own — its own client, token, long
// connection and pacer, so the rate limits are per app and each app is paced separately — and this
// joins them into the one channel the outbox and the pipeline know for the platform.
import type { Channel, Outgoing, Sender, SendOptions } from './channel.js'

export interface TenantApp {
  tenantIds: readonly number[]
  channel: Channel
}

export function tenantRoutedChannel(platform: string, shared: Channel | undefined, apps: readonly TenantApp[]): Channel {
  const byTenant = new Map<number, Sender>()
  for (const app of apps) for (const id of app.tenantIds) byTenant.set(id, app.channel.sender)
  const all = [...(shared ? [shared.sender] : []), ...apps.map((a) => a.channel.sender)]
  const senderFor = (tenantId: number | null | undefined): Sender => {
    const own = tenantId === null || tenantId === undefined ? undefined : byTenant.get(tenantId)
    const chosen = own ?? shared?.sender
    if (!chosen) throw new Error(`${platform}: no app for tenant ${tenantId ?? '(none)'}`)
    return chosen
  }
  const sender: Sender = {
    platform,
    send: (chatId: string, message: Outgoing, options: SendOptions) => senderFor(options.tenantId).send(chatId, message, options),
    update: async (chatId, messageId, message, options) => {
      const s = senderFor(options?.tenantId)
      if (s.update) await s.update(chatId, messageId, message, options)
    },
    // the media of a message is the receiving app's to fetch; the message does not say which, so
    // each app is asked in turn (another app's download fails at once)
    async fetchMedia(media, messageId) {
      let last: unknown
      for (const s of all) {
        try {
          return await s.fetchMedia(media, messageId)
        } catch (error) {
          last = error
        }
      }
      throw last
    },
    ready: () => all.every((s) => s.ready?.() ?? true),
  }
  return {
    platform,
    sender,
    receivers: [...(shared?.receivers ?? []), ...apps.flatMap((a) => a.channel.receivers)],
    ...(shared?.routes ? { routes: shared.routes } : {}),
  }
}
