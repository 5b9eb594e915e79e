// What a Worker cannot do is refused at configuration, with the reason.
import { expect, test } from 'vitest'
import { workerConfig, type WorkerEnv } from '../../worker/config.js'

const base: WorkerEnv = {
  HYPERDRIVE: { connectionString: 'postgres://u:p@h:5432/d' },
  FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718', FEISHU_APP_SECRET: 's', FEISHU_ENCRYPT_KEY: 'e', FEISHU_VERIFICATION_TOKEN: 't',
}

test('the webhook is the default way in; the long connection, PGlite and the console are refused', () => {
  expect(workerConfig(base).feishu?.mode).toBe('webhook')
  expect(() => workerConfig({ ...base, FEISHU_MODE: 'ws' })).toThrow(/长连接/)
  expect(() => workerConfig({ ...base, HYPERDRIVE: undefined as never })).toThrow(/Hyperdrive/)
  expect(() => workerConfig({ ...base, DATABASE_URL: 'postgres://x' })).toThrow(/Hyperdrive/)
  expect(() => workerConfig({ ...base, CONSOLE_ENABLED: 'true' })).toThrow(/控制台/)
  expect(() => workerConfig({ ...base, FEISHU_ENCRYPT_KEY: undefined })).toThrow(/FEISHU_ENCRYPT_KEY/)
  expect(workerConfig({ ...base, WORKER_SEND_BUDGET: '900' }).sendBudget).toBe(900)
})
