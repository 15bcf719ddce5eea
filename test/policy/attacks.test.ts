/**
 * Admission attacks on the engine: keys crafted (with knowledge of the seed, which a real attacker
 * lacks) to collide in the frequency sketch must neither evict an established hot set nor freeze the
 * cache's contents.
 */
import { describe, it, expect } from 'vitest'
import { Cache } from '../../src/index.js'
import { probeSketch } from './probe.js'
import { Prng } from '../../bench/workloads/prng.js'
import { testSeed } from '../helpers/seed.js'

function access(cache: Cache<string>, key: string): boolean {
  if (cache.get(key) !== undefined) return true
  cache.set(key, 'v')
  return false
}

describe('admission attacks (engine)', () => {
  it('keys that look as hot as the hot set in the sketch do not evict it', () => {
    const seed = testSeed(21)
    const C = 1024
    const cache = new Cache<string>({ maxBytes: 8 << 20, maxEntries: C, codec: 'string', seed, shards: 1 })
    const rng = new Prng(seed)
    const hot = Array.from({ length: 400 }, (_, i) => `hot-${i}`)
    for (let i = 0; i < 50 * hot.length; i++) access(cache, hot[rng.nextInt(hot.length)])
    // Attack keys whose four counters are all counters of hot keys.
    const hotCounters = new Set(hot.flatMap((k) => probeSketch(cache as Cache<unknown>, k).counters))
    const attack: string[] = []
    for (let i = 0; attack.length < 300 && i < 5_000_000; i++) {
      const k = `attack-${i}`
      if (probeSketch(cache as Cache<unknown>, k).counters.every((c) => hotCounters.has(c))) attack.push(k)
    }
    expect(attack.length).toBe(300)
    expect(probeSketch(cache as Cache<unknown>, attack[0]).estimate).toBeGreaterThanOrEqual(8)
    let hits = 0
    const n = 10_000
    for (let i = 0; i < n; i++) {
      if (access(cache, hot[rng.nextInt(hot.length)])) hits++
      access(cache, attack[i % attack.length])
    }
    expect(hits / n, `seed ${seed}`).toBeGreaterThan(0.95)
  })

  it('inflating every resident through sketch collisions does not freeze the cache', () => {
    const seed = testSeed(22)
    const C = 1024
    const cache = new Cache<string>({ maxBytes: 8 << 20, maxEntries: C, codec: 'string', seed, shards: 1 })
    const rng = new Prng(seed)
    const residents = Array.from({ length: C }, (_, i) => `resident-${i}`)
    for (const k of residents) access(cache, k)
    // One attack key per counter of every resident: hammering them makes every resident look hot.
    const wanted = new Set(residents.flatMap((k) => probeSketch(cache as Cache<unknown>, k).counters))
    const attack: string[] = []
    for (let i = 0; wanted.size > 0 && i < 5_000_000; i++) {
      const k = `attack-${i}`
      const hit = probeSketch(cache as Cache<unknown>, k).counters.find((c) => wanted.has(c))
      if (hit !== undefined) {
        wanted.delete(hit)
        attack.push(k)
      }
    }
    expect(wanted.size).toBe(0)
    const fresh = Array.from({ length: 100 }, (_, i) => `fresh-${i}`)
    let hits = 0
    let n = 0
    const total = 200_000
    for (let i = 0; i < total; i++) {
      if (i % 4 !== 0) {
        access(cache, attack[rng.nextInt(attack.length)])
        continue
      }
      const hit = access(cache, fresh[rng.nextInt(fresh.length)])
      if (i >= total / 2) {
        n++
        if (hit) hits++
      }
    }
    expect(hits / n, `seed ${seed}: the new hot set's hit ratio`).toBeGreaterThan(0.9)
  })
})
