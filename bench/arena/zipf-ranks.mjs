/**
 * The count scripts' key sequences (front-instructions, front-miss-instructions, front-evict-instructions,
 * front-converge): one LCG, so that a sequence is the same on every run and build, and Zipf ranks drawn from it.
 */

/** The scripts' LCG: each call returns its next 32-bit state. */
export function lcg(seed = 12345) {
  let s = seed
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0)
}

/**
 * `count` ranks of `n` (0 the most popular), rank r drawn with weight 1/(r+1)^exponent by the inverse of
 * the cumulative distribution, one draw of `next` each. Callers scatter ranks over their keys as they need.
 */
export function zipfRanks(n, exponent, count, next) {
  const cdf = new Float64Array(n)
  let sum = 0
  for (let r = 0; r < n; r++) cdf[r] = sum += 1 / Math.pow(r + 1, exponent)
  const ranks = new Uint32Array(count)
  for (let i = 0; i < count; i++) {
    const u = (next() / 4294967296) * sum
    let lo = 0, hi = n - 1
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (cdf[mid] < u) lo = mid + 1; else hi = mid }
    ranks[i] = lo
  }
  return ranks
}

/**
 * `count` Zipf(exponent) draws of the keys 0..n-1, the ranks scattered over the keys by a random
 * permutation (drawn from `next` first, then the ranks), so that hot keys are not neighbours.
 */
export function scatteredZipfKeys(n, exponent, count, next) {
  const perm = Uint32Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) { const j = next() % (i + 1); const t = perm[i]; perm[i] = perm[j]; perm[j] = t }
  return zipfRanks(n, exponent, count, next).map((r) => perm[r])
}
