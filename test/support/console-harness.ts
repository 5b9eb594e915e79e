import { sql } from 'kysely'
import { loadDemoCounty } from '../../db/demo/load-demo-county.js'
import type { Db } from '../../db/open.js'
import { createRuntime, type Runtime, type RuntimeOptions } from '../../app/runtime.js'
import type { TranscriptEntry } from '../../bot/console/transcript.js'

/** A settable clock: tests move time, nothing sleeps. */
export class FakeClock {
  constructor(private t: Date) {}
  now = () => new Date(this.t)
  set(iso: string) {
    this.t = new Date(iso)
  }
  advanceMinutes(m: number) {
    this.t = new Date(this.t.getTime() + m * 60_000)
  }
}

export const TOWNSHIP_CHAT = (code: string) => `console:township:${code}`
export const OFFICIAL = (code: string) => `console:official:${code}`
export const OFFICE = 'console:office'
export const STAFF = 'console:staff:1'

/** The demo county on a database, the runtime wired to the console, and the JSON API as functions. */
export async function consoleHarness(db: Db, clock: FakeClock, extra: Partial<RuntimeOptions> & { demoIssuedAt?: Date } = {}) {
  const { demoIssuedAt, ...runtimeOptions } = extra
  await loadDemoCounty(db, { now: clock.now(), ...(demoIssuedAt ? { issuedAt: demoIssuedAt } : {}) })
  const runtime: Runtime = await createRuntime({ db, now: clock.now, console: true, ...runtimeOptions })
  const api = {
    runtime,
    async post(body: Record<string, unknown>): Promise<{ messageId: string }> {
      const res = await runtime.app.request('/console/api/messages', {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      })
      if (res.status !== 200) throw new Error(`POST /console/api/messages → ${res.status}: ${await res.text()}`)
      return res.json() as Promise<{ messageId: string }>
    },
    async transcript(chat: string): Promise<TranscriptEntry[]> {
      const res = await runtime.app.request(`/console/api/chats/${encodeURIComponent(chat)}/messages`)
      return res.json() as Promise<TranscriptEntry[]>
    },
    /** The bot's messages in `chat` after the given message id (or all). */
    async botSaid(chat: string, afterMessageId?: string): Promise<TranscriptEntry[]> {
      const all = await api.transcript(chat)
      const from = afterMessageId ? all.findIndex((e) => e.messageId === afterMessageId) + 1 : 0
      return all.slice(from).filter((e) => e.direction === 'out')
    },
    async lastBotText(chat: string): Promise<string> {
      const out = (await api.transcript(chat)).filter((e) => e.direction === 'out')
      const last = out[out.length - 1]
      return last?.text ?? JSON.stringify(last?.card ?? null)
    },
  }
  return api
}

export function cardText(e: TranscriptEntry): string {
  return e.text ?? JSON.stringify(e.card)
}

/** The first civil patch of a township still waiting for its verification (by number); key patches too unless `notKey`. */
export function firstDispatchedPatch(db: Db, townshipCode: string, opts: { notKey?: boolean } = {}): Promise<{ id: number; number: string }> {
  let q = db
    .selectFrom('patches')
    .innerJoin('townships', 'townships.id', 'patches.township_id')
    .select(['patches.id', 'patches.number'])
    .where('townships.code', '=', townshipCode)
    .where('patches.military', '=', false)
    .where('patches.state', '=', 'dispatched')
  if (opts.notKey) q = q.where(sql<boolean>`not (patches.flags @> '["key_patch"]'::jsonb)`)
  return q.orderBy('patches.number').executeTakeFirstOrThrow()
}
