/**
 * The policy tools' A/B (bench/arena/*-policy.ts, recency-mix.ts): the same seeded run on a fresh
 * cache with the default policy, then with 'clock', each cache closed after its run.
 */
export type PolicyName = 'adaptive' | 'clock'

export function perPolicy<C extends { close?(): void }, R>(make: (policy: PolicyName) => C, run: (cache: C) => R): [adaptive: R, clock: R] {
  const once = (policy: PolicyName): R => {
    const cache = make(policy)
    try {
      return run(cache)
    } finally {
      cache.close?.()
    }
  }
  return [once('adaptive'), once('clock')]
}
