// Outbox idempotency keys, all spelled here. Each is derived from what caused the message, so a
// cause handled twice (a replay, a rerun after a rollback) writes the same key and sends nothing twice.

/** The n-th message an inbound message caused. */
export const inboundKey = (inboundId: number, index: number) => `in:${inboundId}:${index}`

/** The one "kept, will retry" notice for an inbound message that failed. */
export const inboundFailureKey = (inboundId: number) => `in:${inboundId}:failed`

/** A patch card's push to one chat; card updates find the card by it. */
export const pushKey = (patchId: number | string, platform: string, chatId: string) => `push:${patchId}:${platform}:${chatId}`

/** A scheduled job's message for one period, one chat. */
export const jobKey = (tenantId: number, job: string, period: string, suffix: string, platform: string, chatId: string) =>
  `job:${tenantId}:${job}:${period}:${suffix}:${platform}:${chatId}`

/**
 * The key a platform sees (Feishu's `uuid`, deduped per app for an hour): the deployment's id, the
 * outbox key and the row's own random nonce (made when the row is written). The deployment id keeps
 * two databases on one app (staging and production, a set-up redone) apart; the nonce keeps apart
 * databases that share it (a copy, a restored backup whose sequences restart). Stored with the row,
 * so the same row sends the same key on every retry, across restarts.
 */
export const platformKey = (deploymentId: string, row: { idempotency_key: string; nonce: string }) =>
  [deploymentId, row.idempotency_key, row.nonce].filter(Boolean).join(':')

/** The office's notice that a row was given up (each time: a row re-queued may die again). */
export const deadNoticeKey = (outboxId: number, diedAt: Date, platform: string, chatId: string) =>
  `dead:${outboxId}:${diedAt.getTime()}:${platform}:${chatId}`

/** The office's notice that patches wait for a township group to be bound: once per set of waiting patches. */
export const unboundNoticeKey = (tenantId: number, waiting: string[], platform: string, chatId: string) =>
  `unbound:${tenantId}:${waiting.join(',')}:${platform}:${chatId}`

/** The office's notice that patches wait for a group bound on a platform this process does not run: once per set. */
export const strandedNoticeKey = (tenantId: number, waiting: string[], platform: string, chatId: string) =>
  `stranded:${tenantId}:${waiting.join(',')}:${platform}:${chatId}`
