import type { JsonText } from './schema.js'

/**
 * JSON for jsonb parameters. Always stringify: node-postgres turns a JS array into a Postgres
 * array literal, not JSON, and PGlite and pg must see the same thing.
 */
export function json<T>(value: T): JsonText<T> {
  return JSON.stringify(value)
}
