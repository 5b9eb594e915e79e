import { resolvePolicy, type Policy } from '../../core/index.js'

const resolved = new Map<string, Policy>()

/**
 * A tenant's policy: core's defaults with its overrides, resolved once per distinct override set
 * (the pipeline, the dispatcher and the scheduler all ask for it on hot paths). Throws PolicyError
 * on an invalid profile, as resolvePolicy does.
 */
export function tenantPolicy(overrides: unknown): Policy {
  const key = JSON.stringify(overrides ?? {})
  let policy = resolved.get(key)
  if (!policy) resolved.set(key, (policy = resolvePolicy((overrides ?? {}) as never)))
  return policy
}
