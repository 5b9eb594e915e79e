// wrangler.toml's cron triggers are the schedule table's times in UTC (plus the every-minute drain).
import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { SCHEDULE, utcCrons } from '../../jobs/schedule.js'

const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8')

test('the cron triggers are the China-time table minus 8 hours, and a minute trigger for the outbox', () => {
  const crons = JSON.parse(/^crons = (\[.*\])$/m.exec(toml)![1]!) as string[]
  expect(utcCrons(SCHEDULE)).toEqual(['0 0 * * *', '30 0 * * *', '0 1 * * *', '30 1 * * *', '0 2 * * *'])
  expect(crons).toEqual([...utcCrons(SCHEDULE), '* * * * *'])
  expect(utcCrons([{ ...SCHEDULE[0]!, cron: '15 7 * * *' }])).toEqual(['15 23 * * *']) // 07:15 China is the evening before in UTC
})

test('the worker entry, nodejs_compat, the Hyperdrive binding; no secret in the file', () => {
  expect(toml).toMatch(/^main = "worker\/index.ts"$/m)
  expect(toml).toMatch(/^compatibility_flags = \["nodejs_compat"\]$/m)
  expect(toml).toMatch(/^binding = "HYPERDRIVE"$/m)
  expect(toml).not.toMatch(/^(FEISHU_APP_SECRET|FEISHU_ENCRYPT_KEY|FEISHU_VERIFICATION_TOKEN|API_TOKEN)\s*=/m)
})
