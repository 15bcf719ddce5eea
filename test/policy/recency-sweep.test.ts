/**
 * Issue 18's class beyond the suite's families (stop 49, sweep18): rows of bench/arena/recency-sweep.ts
 * that no other test pins and that the default policy passes, nearest the bound first, held at ≥ LRU − 1
 * over the whole run on each engine (one shard, 4000 entries), so a change can't lose them silently.
 * Reads of keys never written (404s, fresh or a pool read again and again), reads Zipf over recency rank
 * or exponential in it, reads that start a while after the write, bursts written and then read in full,
 * phases in other orders and lengths, and a hot set moving among 50 keys per entry. The rows the policy
 * still loses (docs/policy-recency.md "Stop 49, sweep18") are not here: the sweep prints them.
 */
import { expect, it } from 'vitest'
import { sweepRows } from '../../bench/arena/recency-sweep.js'
import { LruPolicy } from '../../bench/sim/policies/lru.js'
import { RealCachePolicy } from '../../bench/sim/policies/cortado.js'
import { simulate } from '../../bench/sim/simulate.js'
import { Cache } from '../../src/index.js'
import { testSeed } from '../helpers/seed.js'
import { forEachEngine } from '../conformance/engines.js'

const CAPACITY = 4000

/** Each row with the real cache − LRU when it was pinned (seed 1; wasm = native), in points. */
const PINNED = [
  'burst 0.9C ×1 back', // −0.91 vs LRU
  'burst 0.9C ×2 back', // −0.84
  'delay 0.2C+0.5C back', // −0.83
  'moving s0.99 50/entry every 4C by 25C', // −0.68
  'phases once→zipf→once 3C each', // −0.64
  'phases zipf→lag→zipf→lag 5C each', // −0.56
  '404 0.5 pool back', // −0.54
  'mix w0.05 uniform 0.5C once', // −0.39
  '404 0.5 fresh once', // −0.11
  'delay 0.5C+0.5C back', // +0.66
  'phases zipf→scan→once 10C each', // +0.88
  'mix w0.05 uniform 1.2C back', // +1.14
]

/**
 * Rows the policy has come closer on but not within the 1-point bound, each held at its own bound (points
 * under LRU) so the gain can't be lost silently: [name, bound], the real cache − LRU in the comment.
 * Reads that start 0.8 × capacity writes after the write, written back (stop 50, RETURN_TEST; wasm =
 * native): what is left is the time the test takes to see its sampled write-backs leave the window
 * (docs/policy-recency.md "Stop 50, delayback").
 */
const IMPROVED: [string, number][] = [
  ['delay 0.8C+0.5C back', 4], // main −21.26, with RETURN_TEST −2.70 (CORTADO_SEED 2 / 3: −2.23 / −2.06)
]

forEachEngine('recency sweep rows beyond the suite', (engine) => {
  for (const [name, bound] of IMPROVED) {
    it(`${name}: within ${bound} points of LRU over the whole run`, () => {
      const seed = testSeed(1)
      const row = sweepRows().find((r) => r.name === name)
      expect(row, name).toBeDefined()
      const trace = row!.make(CAPACITY, 1)
      const want = simulate(trace, 'lru', CAPACITY, new LruPolicy(CAPACITY, trace)).hitRatio * 100
      const cache = new RealCachePolicy(Cache as never, CAPACITY, trace, seed, { engine, shards: 1 })
      const got = simulate(trace, 'cortado', CAPACITY, cache).hitRatio * 100
      cache.close()
      console.log(`[sweep ${name}, ${engine}] seed ${seed}: ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%, ${(got - want).toFixed(2)})`)
      expect(got, `LRU ${want.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(want - bound)
    })
  }

  for (const name of PINNED) {
    it(`${name}: within 1 point of LRU over the whole run`, () => {
      const seed = testSeed(1)
      const row = sweepRows().find((r) => r.name === name)
      expect(row, name).toBeDefined()
      const trace = row!.make(CAPACITY, 1)
      const want = simulate(trace, 'lru', CAPACITY, new LruPolicy(CAPACITY, trace)).hitRatio * 100
      const cache = new RealCachePolicy(Cache as never, CAPACITY, trace, seed, { engine, shards: 1 })
      const got = simulate(trace, 'cortado', CAPACITY, cache).hitRatio * 100
      cache.close()
      console.log(`[sweep ${name}, ${engine}] seed ${seed}: ${got.toFixed(2)}% (LRU ${want.toFixed(2)}%, ${(got - want).toFixed(2)})`)
      expect(got, `LRU ${want.toFixed(2)}% (seed ${seed})`).toBeGreaterThanOrEqual(want - 1)
    })
  }
})
