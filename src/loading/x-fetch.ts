/**
 * Probabilistic early recomputation, "X-Fetch" (Vattani, Chierichetti, Lowenstein: Optimal
 * Probabilistic Cache Stampede Prevention, VLDB 2015): each read refreshes early when
 *
 *     now − delta · beta · ln(random()) ≥ expiry
 *
 * where delta is how long the value took to load. −ln(random()) is exponentially distributed, so the
 * chance grows smoothly as expiry nears and is larger for values that are slow to recompute: about one
 * reader refreshes ahead of time instead of every reader missing together at expiry.
 */
export function shouldRefreshEarly(now: number, expiry: number, deltaMs: number, beta: number, random: () => number): boolean {
  if (now >= expiry) return true
  if (!(expiry < Infinity) || !(deltaMs > 0) || !(beta > 0)) return false
  return now - deltaMs * beta * Math.log(random()) >= expiry
}

/** The probability shouldRefreshEarly answers true, `remaining` ms before expiry (for tests and docs). */
export function earlyRefreshProbability(remaining: number, deltaMs: number, beta: number): number {
  if (remaining <= 0) return 1
  if (!(deltaMs > 0) || !(beta > 0)) return 0
  return Math.exp(-remaining / (deltaMs * beta))
}
