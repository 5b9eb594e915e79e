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
