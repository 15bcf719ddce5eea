/**
 * Stale-while-revalidate on an injected clock, and X-Fetch early refresh: its probability rises
 * towards expiry as exp(−remaining / (delta·beta)) (measured with a seeded generator).
 */
import { describe, it, expect, afterEach } from 'vitest'
import { Cache } from '../../src/index.js'
import { shouldRefreshEarly, earlyRefreshProbability } from '../../src/loading/index.js'
import { testSeed } from '../helpers/seed.js'
import { generator as prng } from '../bloom/fixtures/random.js'

const caches: Cache<unknown>[] = []
afterEach(() => {
  for (const c of caches.splice(0)) c.close()
})

function clocked<V>() {
  const clock = { now: 10_000 }
  const cache = new Cache<V>({ maxBytes: 4 << 20, clock: () => clock.now })
  caches.push(cache as Cache<unknown>)
  return { cache, clock }
}

const settle = () => new Promise((r) => setTimeout(r, 5))

describe('stale-while-revalidate', () => {
  it('follows the timeline: fresh, stale served at once with one refresh, then hard expiry waits', async () => {
    const { cache, clock } = clocked<string>()
    const o = { ttl: 1000, softTtl: 500 }
    let version = 0
    const loads: number[] = []
    const loader = async () => {
      loads.push(clock.now)
      return `v${++version}`
    }
    const t0 = clock.now
    expect(await cache.getOrLoad('k', loader, o)).toBe('v1')
    clock.now = t0 + 499
    expect(await cache.getOrLoad('k', loader, o)).toBe('v1')
    expect(loads).toEqual([t0])

    // Soft TTL passed: ten readers get v1 at once; one refresh runs in the background.
    clock.now = t0 + 500
    const stale = await Promise.all(Array.from({ length: 10 }, () => cache.getOrLoad('k', loader, o)))
    expect(stale.every((v) => v === 'v1')).toBe(true)
    await settle()
    expect(loads).toEqual([t0, t0 + 500])
    expect(cache.stats().staleHits).toBe(10)
    expect(cache.stats().refreshes).toBe(1)

    // The refreshed value is fresh again from the refresh's time.
    clock.now = t0 + 999
    expect(await cache.getOrLoad('k', loader, o)).toBe('v2')
    expect(loads.length).toBe(2)

    // Past the hard TTL of v2 (stored at t0+500): callers wait for a load.
    clock.now = t0 + 1500
    expect(await cache.getOrLoad('k', loader, o)).toBe('v3')
    expect(loads).toEqual([t0, t0 + 500, t0 + 1500])
    expect(cache.stats().refreshes).toBe(1)
    expect(cache.stats().staleHits).toBe(10)
  })

  it('a failed refresh keeps the stale value, is counted and reported', async () => {
    const { cache, clock } = clocked<string>()
    const reported: string[] = []
    const o = { ttl: 1000, softTtl: 100, onRefreshError: (e: Error, key: string) => reported.push(`${key}: ${e.message}`) }
    await cache.getOrLoad('k', async () => 'v1', o)
    clock.now += 200
    expect(await cache.getOrLoad('k', async () => { throw new Error('db down') }, o)).toBe('v1')
    await settle()
    expect(reported).toEqual(['k: loader for key "k" failed: db down'])
    expect(cache.stats().loadFailures).toBe(1)
    expect(cache.get('k')).toBe('v1')
    // Still stale: the next read tries again.
    expect(await cache.getOrLoad('k', async () => 'v2', o)).toBe('v1')
    await settle()
    expect(await cache.getOrLoad('k', async () => 'v3', o)).toBe('v2')
  })

  it('a refresh that resolves undefined removes the stale value', async () => {
    const { cache, clock } = clocked<string>()
    const o = { ttl: 1000, softTtl: 100 }
    await cache.getOrLoad('k', async () => 'v1', o)
    clock.now += 200
    expect(await cache.getOrLoad('k', async () => undefined, o)).toBe('v1')
    await settle()
    expect(cache.has('k')).toBe(false)
  })

  it('plain reads see through the metadata; entries stored by set() are simply fresh', async () => {
    const { cache, clock } = clocked<{ a: number }>()
    await cache.getOrLoad('k', async () => ({ a: 1 }), { ttl: 1000, softTtl: 10 })
    expect(cache.get('k')).toEqual({ a: 1 })
    expect([...cache.entries()]).toEqual([['k', { a: 1 }]])
    cache.set('plain', { a: 2 })
    clock.now += 10_000
    let calls = 0
    expect(await cache.getOrLoad('plain', async () => { calls++; return { a: 3 } }, { softTtl: 1, ttl: 5 })).toEqual({ a: 2 })
    expect(calls).toBe(0)
  })
})

describe('X-Fetch early refresh', () => {
  it('refresh probability rises towards expiry as exp(-remaining / (delta·beta))', () => {
    const seed = testSeed(0x5eed)
    const random = prng(seed)
    const delta = 100
    const expiry = 1_000_000
    const samples = 4000
    const observed: number[] = []
    for (const remaining of [500, 300, 200, 100, 50, 20, 5]) {
      let yes = 0
      for (let i = 0; i < samples; i++) if (shouldRefreshEarly(expiry - remaining, expiry, delta, 1, random)) yes++
      const p = yes / samples
      observed.push(p)
      // Binomial standard deviation is at most 0.008 here: 0.03 is ~4 sigma.
      expect(Math.abs(p - earlyRefreshProbability(remaining, delta, 1)), `at ${remaining} ms before expiry`).toBeLessThan(0.03)
    }
    for (let i = 1; i < observed.length; i++) expect(observed[i]).toBeGreaterThanOrEqual(observed[i - 1])
    expect(observed[0]).toBeLessThan(0.02)
    expect(observed[observed.length - 1]).toBeGreaterThan(0.9)
  })

  it('a larger beta refreshes earlier; without a measured load time nothing refreshes early', () => {
    const random = prng(testSeed(7))
    const count = (beta: number, delta: number) => {
      let yes = 0
      for (let i = 0; i < 2000; i++) if (shouldRefreshEarly(900, 1000, delta, beta, random)) yes++
      return yes
    }
    expect(count(4, 50)).toBeGreaterThan(count(1, 50))
    expect(count(1, 0)).toBe(0)
    expect(shouldRefreshEarly(1000, 1000, 0, 1, random)).toBe(true)
  })

  it('getOrLoad uses the stored load time: with enough beta a fresh read starts one background refresh', async () => {
    const { cache, clock } = clocked<string>()
    let version = 0
    const loader = async () => {
      await new Promise((r) => setTimeout(r, 5))
      return `v${++version}`
    }
    const half = () => 0.5
    // Far from expiry: a tiny beta never refreshes.
    await cache.getOrLoad('k', loader, { ttl: 60_000, earlyRefresh: { beta: 1e-9 }, random: half })
    clock.now += 30_000
    expect(await cache.getOrLoad('k', loader, { ttl: 60_000, earlyRefresh: { beta: 1e-9 }, random: half })).toBe('v1')
    await settle()
    expect(cache.stats().refreshes).toBe(0)
    // A huge beta makes the measured delta (≥ 5 ms) reach past the remaining 30 s: one refresh.
    const eager = { ttl: 60_000, earlyRefresh: { beta: 1e9 }, random: half }
    const reads = await Promise.all(Array.from({ length: 20 }, () => cache.getOrLoad('k', loader, eager)))
    expect(reads.every((v) => v === 'v1')).toBe(true)
    await new Promise((r) => setTimeout(r, 30))
    expect(cache.stats().refreshes).toBe(1)
    expect(cache.get('k')).toBe('v2')
    // Without the option the same read never refreshes early.
    await cache.getOrLoad('k', loader, { ttl: 60_000, random: half })
    await settle()
    expect(cache.stats().refreshes).toBe(1)
  })
})
