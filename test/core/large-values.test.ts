/**
 * Large values (40 KiB, 256 KiB, 1 MiB) in caches of 64 and 256 MiB, with default options (values
 * larger than a segment go into chained segments) and with maxEntrySize (segments as large as the
 * largest entry): stored, read back byte for byte, evicted under churn and reclaimed without leaking a
 * byte (bytesUsed is exactly the live entries' total, and zero once they are deleted), on both engines;
 * and a cold 1 MiB entry does not displace hot small entries until the admission sketch has seen it
 * often enough.
 */
import { it, expect } from 'vitest'
import { Cache } from '../../src/index.js'
import { forEachEngine } from '../conformance/engines.js'
import { Prng } from '../../bench/workloads/prng.js'
import { testSeed } from '../helpers/seed.js'

const KiB = 1024
const MiB = 1024 * KiB
const SIZES = [40 * KiB, 256 * KiB, 1 * MiB]
/** 1 MiB of value plus header and key. */
const MAX_ENTRY = MiB + 4 * KiB

/** The value written the `version`-th time for key `i`: recognisable at both ends and in between. */
function valueOf(i: number, version: number, size: number): Buffer {
  const b = Buffer.alloc(size, (i * 31 + version) % 251)
  b.writeUInt32LE(i, 0)
  b.writeUInt32LE(version, size - 4)
  b.writeUInt32LE(i ^ version, size >> 1)
  return b
}

/** Default options, and segments sized for the largest entry. */
/** How many of the small keys s:0 … s:n-1 are in the cache (has(): no access recorded). */
function countPresent(cache: Cache<string>, n: number): number {
  let present = 0
  for (let i = 0; i < n; i++) if (cache.has(`s:${i}`)) present++
  return present
}

const CONFIGS = [
  { label: 'default options', options: {} },
  { label: 'maxEntrySize', options: { maxEntrySize: MAX_ENTRY } },
]

forEachEngine('large values', (engine) => {
  for (const { label, options } of CONFIGS) for (const maxBytes of [64 * MiB, 256 * MiB]) {
    it(`${maxBytes / MiB} MiB cache, ${label}: 40 KiB, 256 KiB and 1 MiB values are stored, read back, evicted and reclaimed without leaking bytes`, () => {
      const rng = new Prng(testSeed(22))
      const cache = new Cache<Buffer>({ engine, maxBytes, codec: 'buffer', ...options, seed: 7 })
      expect(cache.geometry.maxEntryBytes).toBeGreaterThanOrEqual(MAX_ENTRY)
      // By default the segments stay small (16 shards of 32 KiB or 128 KiB segments): the larger values
      // (all three at 64 MiB, 256 KiB and 1 MiB at 256 MiB) span chains of segments.
      if (label === 'default options') {
        expect(cache.geometry.shardCount).toBe(16)
        expect(cache.geometry.segBytes).toBeLessThan(maxBytes === 64 * MiB ? 40 * KiB : 256 * KiB)
      }
      // Every size is stored and read back whole in an empty cache.
      SIZES.forEach((size, k) => {
        expect(cache.set(`first:${k}`, valueOf(k, 0, size))).toBe(true)
        expect(cache.get(`first:${k}`)!.equals(valueOf(k, 0, size))).toBe(true)
      })
      // Churn: 1.25 times the capacity in large values over a key space larger than the cache holds.
      const model = new Map<string, { i: number; version: number; size: number }>()
      const keys = Math.ceil((2 * cache.stats().bytesTotal) / (400 * KiB))
      let written = 0
      let version = 0
      while (written < 1.25 * cache.stats().bytesTotal) {
        const i = rng.nextInt(keys)
        const size = SIZES[rng.nextInt(SIZES.length)]
        const key = `v:${i}`
        version++
        if (cache.set(key, valueOf(i, version, size))) model.set(key, { i, version, size })
        else model.delete(key)
        written += size
        if (rng.nextFloat() < 0.2) {
          const probe = `v:${rng.nextInt(keys)}`
          const got = cache.get(probe)
          const want = model.get(probe)
          if (got !== undefined) expect(want !== undefined && got.equals(valueOf(want.i, want.version, want.size)), `seed ${testSeed(22)}`).toBe(true)
        }
      }
      const s = cache.stats()
      expect(s.evictions).toBeGreaterThan(0)
      expect(s.oversized).toBe(0)
      expect(cache.verify()).toEqual([])
      // Whatever is still cached is exactly what was last written, and bytesUsed is its total.
      let live = 0
      for (const [key, value] of cache.entries()) {
        live += 8 + Buffer.byteLength(key) + value.length
        const want = model.get(key)
        if (key.startsWith('v:')) expect(want !== undefined && value.equals(valueOf(want.i, want.version, want.size))).toBe(true)
      }
      expect(cache.stats().bytesUsed).toBe(live)
      for (const key of [...cache.keys()]) cache.delete(key)
      expect(cache.stats().bytesUsed).toBe(0)
      expect(cache.size).toBe(0)
      expect(cache.verify()).toEqual([])
      // Every segment came back: the largest size fits again, as many times as in a fresh cache.
      let refilled = 0
      for (let k = 0; k < 1000 && cache.set(`refill:${k}`, valueOf(k, 1, MiB)); k++) refilled++
      expect(refilled * MiB).toBeGreaterThan(0.7 * cache.stats().bytesTotal)
      cache.close()
    }, 120_000)
  }

  for (const { label, options } of CONFIGS) it(`${label}: a cold 1 MiB entry does not evict hot small entries; one read often enough is admitted`, () => {
    const cache = new Cache<string>({ engine, maxBytes: 64 * MiB, codec: 'string', ...options, seed: 3 })
    const small = 's'.repeat(1000)
    // A hot set of small entries that nearly fills the cache: 97% of the keys that fit before the first
    // eviction. (Not more: a loop over slightly more keys than fit makes the policy age its sketch early,
    // down to nothing, so no key would count as hot; and not much less, or the cold sets find free room.)
    let fit = 0
    while (cache.stats().evictions === 0) cache.set(`s:${fit++}`, small)
    const n = Math.floor(0.97 * fit)
    // Every small key is read (and, on a miss, written) three times: all of them are hot.
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < n; i++) if (cache.get(`s:${i}`) === undefined) cache.set(`s:${i}`, small)
    const hotBefore = countPresent(cache, n)
    const before = cache.stats()
    const big = 'B'.repeat(MiB)
    let coldStored = 0
    for (let j = 0; j < 10; j++) if (cache.set(`cold:${j}`, big)) coldStored++
    const after = cache.stats()
    expect(coldStored).toBe(0)
    // Not one hot entry is evicted for the cold values. (The fill's last 3%, never read, seen once as
    // the cold values are, may go: a tie with a one-hit wonder goes to a LARGE newcomer,
    // LARGE_TIE_FREQUENCY; those are the only evictions.)
    expect(countPresent(cache, n)).toBe(hotBefore)
    expect(after.evictions - before.evictions).toBeLessThanOrEqual(fit - n)
    console.log(`[large/${engine}, ${label}] cold values: ${after.evictions - before.evictions} of the ${fit - n} never-read entries evicted, ${hotBefore} of ${n} hot entries kept`)
    // A large value that keeps being asked for wins its place once the sketch counts it above them.
    let tries = 0
    while (cache.get('hot') === undefined && tries < 50) {
      tries++
      cache.set('hot', big)
    }
    expect(cache.get('hot')).toBe(big)
    console.log(`[large/${engine}, ${label}] a 1 MiB value needed ${tries} sets (each after a missed read) to displace hot 1 KB entries`)
    expect(cache.verify()).toEqual([])
    cache.close()
  }, 120_000)
})
