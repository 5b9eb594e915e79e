// What a job's work sees: the tenant, its policy, the period, the clock, and `send`, which only
// queues outbox rows keyed by job and period (a rerun after a rollback writes the same keys).
import type { Transaction } from 'kysely'
import type { Policy } from '../core/index.js'
import type { Database, Tenant } from '../db/schema.js'
import { enqueue } from '../delivery/outbox/enqueue.js'
import type { OutboxPayload } from '../delivery/outbox/payload.js'
import { jobKey } from '../delivery/keys.js'
import { chatsOf, type ChatRecipient } from '../delivery/recipients.js'

export type JobRecipient = ChatRecipient

export interface JobRun {
  readonly trx: Transaction<Database>
  readonly tenant: Tenant
  readonly policy: Policy
  readonly job: string
  readonly period: string
  /** the China date the period was scheduled for */
  readonly date: string
  /** the China date it actually runs on */
  readonly today: string
  readonly now: Date
  /** runs after its scheduled day (caught up after downtime) */
  readonly late: boolean
  /** the previous scheduled instant of this job (for "since yesterday") */
  readonly since: Date
  send(to: JobRecipient, payload: OutboxPayload, suffix: string, patchId?: number): Promise<number>
}

export type JobWork = (run: JobRun) => Promise<string | undefined>

export function makeSend(
  base: Omit<JobRun, 'send'>,
  afterSend?: (job: string, period: string) => void | Promise<void>,
): JobRun['send'] {
  return async (to, payload, suffix, patchId) => {
    const chats = await chatsOf(base.trx, base.tenant.id, to)
    await enqueue(
      base.trx,
      chats.map((c) => ({
        key: jobKey(base.tenant.id, base.job, base.period, suffix, c.platform, c.chatId),
        tenantId: base.tenant.id,
        platform: c.platform,
        target: c.chatId,
        payload,
        patchId: patchId ?? null,
      })),
      base.now,
    )
    await afterSend?.(base.job, base.period)
    return chats.length
  }
}
