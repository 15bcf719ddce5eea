/**
 * Time steps that land exactly on an entry's deadline: one millisecond before it, at it, or after it.
 * Random steps alone rarely read the exact deadline, so an off-by-one in the expiry comparison
 * (`<` for `<=`) would pass a model test that only advances time at random.
 */
import type { Prng } from '../../bench/workloads/prng.js'

/**
 * The time to move to, and the key whose deadline it lands near; undefined when no modelled entry has
 * a deadline still ahead. Never moves time backwards.
 */
export function nearDeadline(rng: Prng, model: ReadonlyMap<string, { expiry: number }>, now: number): { key: string; now: number } | undefined {
  const ahead: [string, number][] = []
  for (const [key, m] of model) if (Number.isFinite(m.expiry) && m.expiry - 1 >= now) ahead.push([key, m.expiry])
  if (ahead.length === 0) return undefined
  const [key, expiry] = ahead[rng.nextInt(ahead.length)]!
  return { key, now: expiry + rng.nextInt(3) - 1 }
}
