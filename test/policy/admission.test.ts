/**
 * TinyLFU admission, asked directly on both engines: a cold newcomer must lose to a hot victim, and a
 * newcomer that keeps coming back must win against lukewarm residents. Scan tests alone don't pin
 * this: a scan never reaches the protected segment, so a cache whose contest always admits still
 * passes them. Here the hot set is larger than protected, so part of it sits in probation, where
 * only the contest keeps it.
 */
import { it, expect } from 'vitest'
import type { Cache } from '../../src/index.js'
import { Prng } from '../../bench/workloads/prng.js'
import { testSeed } from '../helpers/seed.js'
import { forEachEngine, makeCache, type Engine } from '../conformance/engines.js'

/** A get, and a set on a miss, as an application does; true on a hit. */
function access(cache: Cache<string>, key: string): boolean {
  if (cache.get(key) !== undefined) return true
  cache.set(key, 'v')
  return false
}

/**
 * A hot set of `hotKeys` read cache-aside (20 reads a key to warm up), then 20,000 hot accesses each followed by the
 * set of a cold key never read: the hot accesses' hit ratio, the mean of five seeds from testSeed(31), one shard of
 * 1000 entries.
 */
function hotBesideColdWrites(engine: Engine, hotKeys: number): { ratio: number; seeds: number[] } {
  const base = testSeed(31)
  const C = 1000
  let sum = 0
  const seeds = [0, 1, 2, 3, 4].map((i) => base + i)
  for (const seed of seeds) {
    const cache = makeCache<string>(engine, { maxBytes: 8 << 20, maxEntries: C, codec: 'string', seed, shards: 1 })
    const rng = new Prng(seed)
    const hot = Array.from({ length: hotKeys }, (_, i) => `hot-${i}`)
    for (let i = 0; i < 20 * hot.length; i++) access(cache, hot[rng.nextInt(hot.length)]!)
    let hits = 0
    const n = 20_000
    for (let i = 0; i < n; i++) {
      if (access(cache, hot[rng.nextInt(hot.length)]!)) hits++
      cache.set(`cold-${i}`, 'v')
    }
    cache.close()
    sum += hits / n
  }
  return { ratio: sum / seeds.length, seeds }
}

forEachEngine('admission', (engine) => {
  // The mean of five seeds: one seed's ratio moves by ±0.03 with the sketch's hashes (stop 41, 40 seeds:
  // 0.89-0.97, mean 0.929, with the four-word sketch; the two-word one gave seed 31 0.941 where the
  // four-word one gave 0.963, and 0.934 vs 0.931 over seeds 31-35), so one seed held to 0.95 failed
  // on hash noise. Admitting every candidate falls far below.
  it('cold newcomers lose to hot victims: a hot set as large as the cache keeps its hits', () => {
    const { ratio, seeds } = hotBesideColdWrites(engine, 950)
    expect(ratio, `hot hit ratio with a cold newcomer after every hot access (seeds ${seeds})`).toBeGreaterThan(0.92)
  })

  // DRY_RUN (stop 56): hot gets on a set small enough that every count is saturated add nothing to the sketch, as a
  // lag phase's opening's gets on its one key do: the rule's jump sheds main, and its verdict (main's hits on many keys)
  // undoes it; an undone jump must not come back 32 inserts later (model, bench/sim/admission-probe.ts with 100 hot
  // keys: 1.0000 without the rule, 0.9991 with it, 0.9828 without the lockout).
  it('a small hot set whose counts are saturated keeps its hits beside writes never read', () => {
    const { ratio, seeds } = hotBesideColdWrites(engine, 100)
    expect(ratio, `hot hit ratio with a cold newcomer after every hot access (seeds ${seeds})`).toBeGreaterThan(0.995)
  })

  it('a newcomer that keeps coming back wins against lukewarm residents', () => {
    const seed = testSeed(32)
    const C = 1000
    const cache = makeCache<string>(engine, { maxBytes: 8 << 20, maxEntries: C, codec: 'string', seed, shards: 1 })
    const residents = Array.from({ length: C }, (_, i) => `resident-${i}`)
    for (let round = 0; round < 3; round++) for (const k of residents) access(cache, k)
    // Between two requests for the newcomer, a capacity of one-off keys passes through the window, more
    // than any window holds, so it can only be hit if it was admitted to main (with 20, its own returns
    // from the ghost grew the window past 20 entries and it was hit there with no contest ever won: stop
    // 48). They are asked for before they are set (cache-aside): one-off keys only written would be
    // write-once traffic, where a newcomer seen at most once wins its ties (ONCE_SHARE): the contest
    // would not be what is tested.
    let hits = 0
    let fresh = 0
    for (let round = 0; round < 200; round++) {
      if (access(cache, 'newcomer') && round >= 100) hits++
      for (let j = 0; j < C; j++) access(cache, `once-${fresh++}`)
    }
    cache.close()
    expect(hits, `hits of the returning newcomer in its last 100 requests (seed ${seed})`).toBeGreaterThan(90)
  })

  // SATURATED_TIE (stop 48): X, written once and read 20 times in the window, reaches the sketch's
  // largest count, as V did before nobody read it any more. TinyLFU gives their tie to the victim, and X,
  // which no get will ever write back, would be gone the moment it left the window.
  it('a key written once and read constantly is not dropped for a resident at the same saturated count nobody reads', () => {
    const base = testSeed(48)
    for (const seed of [base, base + 1, base + 2]) {
      const cache = makeCache<string>(engine, { maxBytes: 1 << 20, maxEntries: 16, codec: 'string', seed, shards: 1 })
      for (let i = 1; i <= 16; i++) cache.set(`c${i}`, 'v') // full before any read: no cold-start window
      cache.set('V', 'v')
      for (let i = 0; i < 20; i++) cache.get('V')
      cache.set('W', 'v') // V leaves the window for probation, beating its tail (a key set once)
      // Read once, c3 ... c16 go to protected at the next victim search, which leaves V probation's tail.
      for (let i = 3; i <= 16; i++) cache.get(`c${i}`)
      cache.set('X', 'x')
      for (let i = 0; i < 20; i++) cache.get('X')
      cache.set('Y', 'v') // X leaves the window and contests V: 15 against 15
      expect(cache.get('X'), `X after it left the window (seed ${seed})`).toBe('x')
      expect(cache.get('V'), `V, the resident nobody reads (seed ${seed})`).toBeUndefined()
      cache.close()
    }
  })
})
