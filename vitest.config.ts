import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // migrated PGlite and PostgreSQL templates that every test database is copied from
    globalSetup: ['test/support/global-setup.ts'],
    // test files share their worker process (and its loaded modules) instead of one process each:
    // importing the app's dependencies anew per file was about half the suite's CPU time. Each file
    // still opens databases of its own; a file must leave no global state behind (process.env, TZ, spies).
    isolate: false,
    // the default is one worker on two cores; much of a file's time is waiting on PostgreSQL, HTTP and
    // `wrangler dev` (the worker e2e, ≈ 57 s mostly idle): a third worker keeps both cores busy meanwhile
    // (96 s → 76 s for the suite on this 2-core machine)
    maxWorkers: 3,
  },
})
