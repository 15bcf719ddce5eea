/**
 * The per-thread front (src/engine/front.ts): never stale (writes through other attachments, in place
 * and not, deletes, clear, expiry, restore), its hits counted for the policy, values as get returns
 * them, options checked. The model tests (model.test.ts) also run with a front; the cross-thread stress
 * test is test/workers/front.test.ts.
 */
import { it, expect } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Cache } from '../../src/index.js'
import { zipfTrace } from '../../bench/workloads/zipf-trace.js'
import { opMix, scatteredZipfIndices } from '../../bench/harness/data.js'
import { testSeed } from '../helpers/seed.js'
import { forEachEngine, makeCache as makeTimedCache, type Engine } from './engines.js'
import { probeSketch } from '../policy/probe.js'
import { coreOf, engineInternals } from '../../src/engine/access.js'
import { FRONT_RECORD_USES as RECORD_USES, type Front } from '../../src/engine/front.js'
import * as L from '../../src/layout/constants.generated.js'

/**
 * A cache whose front (if any) does not time itself by the wall clock: the front's self-timing steps it
 * aside when the arena looks faster, and on a loaded host a preempted window can look so, which would
 * move the counts these tests pin for other reasons. The self-timing's own tests inject a clock
 * (timedFront).
 */
function makeCache<V>(engine: Engine, options: Parameters<typeof makeTimedCache<V>>[1]): Cache<V> {
  const cache = makeTimedCache<V>(engine, options)
  ;(coreOf(cache) as unknown as { front?: Front }).front?.useTimer(undefined)
  return cache
}

/**
 * A front over 2000 stored keys (all fronted) whose windows are timed by an injected clock: a window whose
 * gets skipped the front takes `clock.arena`, one that consulted it `clock.fronted` (the clock is read
 * once per window, told which kind ended). `gets(count)` returns the front hits among them; `wrong()` the
 * gets so far that returned another value than the key's.
 */
function timedFront(engine: Engine, clock: { arena: number; fronted: number }) {
  const n = 2000
  const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', front: true })
  const front = (coreOf(cache) as unknown as { front: Front }).front
  const keys = Array.from({ length: n }, (_, i) => `key:${i}`)
  for (const k of keys) cache.set(k, `v:${k}`)
  let t = 0
  front.useTimer((skipped) => (t += skipped ? clock.arena : clock.fronted))
  let wrong = 0
  const gets = (count: number): number => {
    const before = cache.stats().frontHits
    for (let i = 0; i < count; i++) {
      const key = keys[(i * 7919) % n]!
      if (cache.get(key) !== `v:${key}`) wrong++
    }
    return cache.stats().frontHits - before
  }
  return { cache, front, clock, gets, wrong: () => wrong }
}

/**
 * A 2.5 MiB front (about 33k entries of these keys) over 200k stored keys `k0`…: uniform gets over them
 * would not pay it full. `next()` draws from an LCG seeded with `seed`.
 */
function frontOverManyKeys(engine: Engine, seed: number) {
  const cache = makeCache<string>(engine, { maxBytes: 32 << 20, codec: 'string', front: { maxBytes: 5 << 19 } })
  const front = (coreOf(cache) as unknown as { front: Front }).front
  const n = 200_000
  const keyOf = (i: number) => `k${i}`
  for (let i = 0; i < n; i++) cache.set(keyOf(i), 'v')
  let s = seed >>> 0
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0)
  return { cache, front, n, keyOf, next }
}

forEachEngine('front', (engine) => {
  it('serves repeated gets from the front and counts them as hits and front hits', () => {
    const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', front: true })
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, `v${i}`)
    for (let r = 0; r < 10; r++) for (let i = 0; i < 100; i++) expect(cache.get(`k${i}`)).toBe(`v${i}`)
    const s = cache.stats()
    expect(s.hits).toBe(1000)
    expect(s.frontHits).toBe(900)
    cache.close()
  })

  it('a write, an in-place rewrite, a delete and a clear through another attachment take effect at once', () => {
    const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', front: true })
    const other = Cache.attach<string>(cache.handle)
    for (const k of ['a', 'b', 'c', 'd']) cache.set(k, `${k}-1`)
    for (let r = 0; r < 3; r++) for (const k of ['a', 'b', 'c', 'd']) cache.get(k)
    other.set('a', 'a-2')              // same size: rewritten in place
    other.set('b', 'a much longer value') // a new entry elsewhere
    other.delete('c')
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.get('d')]).toEqual(['a-2', 'a much longer value', undefined, 'd-1'])
    other.clear()
    expect(cache.get('d')).toBeUndefined()
    other.close()
    cache.close()
  })

  it('an entry with a TTL leaves the front when it expires (injected clock)', () => {
    let now = 1_000_000
    const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', front: true, clock: () => now })
    cache.set('t', 'ttl-value', { ttl: 100 })
    for (let r = 0; r < 5; r++) expect(cache.get('t')).toBe('ttl-value')
    expect(cache.stats().frontHits).toBe(4)
    now += 99
    expect(cache.get('t')).toBe('ttl-value')
    now += 1
    expect(cache.get('t')).toBeUndefined()
    cache.close()
  })

  it('restore() and evictions by other writers take effect at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cortado-front-'))
    try {
      const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', front: true })
      cache.set('x', 'dumped')
      await cache.dump(join(dir, 'd'))
      const other = Cache.attach<string>(cache.handle)
      other.set('x', 'later')
      for (let r = 0; r < 3; r++) expect(cache.get('x')).toBe('later')
      await other.restore(join(dir, 'd'))
      expect(cache.get('x')).toBe('dumped')
      // A tight cache: filling it through the other attachment evicts what the front holds.
      const small = makeCache<string>(engine, { maxBytes: 1 << 20, maxEntries: 50, codec: 'string', front: true })
      const writer = Cache.attach<string>(small.handle)
      for (let i = 0; i < 50; i++) small.set(`s${i}`, `v${i}`)
      for (let r = 0; r < 3; r++) for (let i = 0; i < 50; i++) small.get(`s${i}`)
      for (let i = 50; i < 5000; i++) writer.set(`s${i}`, `v${i}`)
      let served = 0
      for (let i = 0; i < 50; i++) {
        const v = small.get(`s${i}`)
        if (v !== undefined) served++
        expect(v === undefined || v === `v${i}`).toBe(true)
      }
      expect(served).toBeLessThanOrEqual(small.size)
      for (const c of [writer, small, other, cache]) c.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('primitives are returned as they are; objects fresh per get unless shareObjects (then frozen and shared); Buffers never fronted', () => {
    const plain = makeCache<unknown>(engine, { maxBytes: 16 << 20, front: true })
    plain.set('o', { a: [1] })
    plain.set('n', 42)
    plain.set('buf', Buffer.from('bytes'))
    const [o1, o2] = [plain.get('o'), plain.get('o')] as { a: number[] }[]
    expect(o1).toEqual({ a: [1] })
    expect(o1).not.toBe(o2)
    o1!.a.push(2)
    expect(plain.get('o')).toEqual({ a: [1] })
    expect([plain.get('n'), plain.get('n')]).toEqual([42, 42])
    const [b1, b2] = [plain.get('buf'), plain.get('buf')] as Buffer[]
    expect(b1).not.toBe(b2)
    const before = plain.stats().frontHits
    plain.get('o'); plain.get('buf')
    expect(plain.stats().frontHits).toBe(before)

    const shared = makeCache<unknown>(engine, { maxBytes: 16 << 20, front: { shareObjects: true } })
    shared.set('o', { a: [1] })
    const [s1, s2, s3] = [shared.get('o'), shared.get('o'), shared.get('o')] as { a: number[] }[]
    expect(s2).toBe(s3)
    expect(Object.isFrozen(s2) && Object.isFrozen(s2!.a)).toBe(true)
    expect(s1).toEqual({ a: [1] })
    plain.close()
    shared.close()
  })

  it('front hits are recorded for the policy: on Zipf gets the hit ratio is that of the same cache without a front', () => {
    const seed = testSeed(19)
    const trace = zipfTrace({ keys: 20_000, s: 0.9, length: 150_000, seed })
    const ratio = (front: boolean) => {
      const cache = makeCache<string>(engine, { maxBytes: 8 << 20, maxEntries: 1000, codec: 'string', seed, front })
      let hits = 0
      for (const k of trace.keys) {
        const key = `key:${k}`
        if (cache.get(key) !== undefined) hits++
        else cache.set(key, 'v'.repeat(20))
      }
      cache.close()
      return hits / trace.keys.length
    }
    const [without, withFront] = [ratio(false), ratio(true)]
    expect(Math.abs(withFront - without), `seed ${seed}: ${withFront} with a front, ${without} without`).toBeLessThan(0.01)
  })

  it("front hits reach the policy's sketch in batches, as the hits they replace would", () => {
    const estimates = [false, true].map((front) => {
      const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', seed: 7, front })
      cache.set('hot', 'value')
      cache.set('cold', 'value')
      // More gets than pass between two hand-overs (FLUSH_GETS in front.ts), so the hits are recorded before the probe.
      for (let i = 0; i < 2100; i++) cache.get('hot')
      const e = [probeSketch(cache as Cache<unknown>, 'hot').estimate, probeSketch(cache as Cache<unknown>, 'cold').estimate]
      if (front) expect(cache.stats().frontHits).toBe(2099)
      cache.close()
      return e
    })
    expect(estimates[1], 'with a front: hot and cold as without one').toEqual(estimates[0])
    expect(estimates[0]![0]).toBeGreaterThan(estimates[0]![1]! + 5)
  })

  it("a batch of front hits that an ageing of the sketch falls among leaves the sketch as single hits would", () => {
    // The engine records n front hits of an entry in one pass (incrementTimes), or one at a time when
    // the sketch's ageing (a halving of every counter) comes due among them: bring the count towards
    // the ageing within a few additions of it, then read one key often.
    const states = [false, true].map((front) => {
      const cache = makeCache<string>(engine, { maxBytes: 1 << 20, shards: 1, codec: 'string', seed: 11, front })
      // A second attachment without a front brings the count near the ageing the same way in both runs.
      const plain = Cache.attach<string>(cache.handle)
      const { views, geometry } = engineInternals(cache)
      const shard = geometry.shardsOffset
      const additions = () => views.u32[(shard + L.SHARD_SKETCH_ADDITIONS) >>> 2]!
      const resetAt = views.u32[(shard + L.SHARD_SKETCH_RESET_AT) >>> 2]!
      // Counters stop at 15: enough keys that their accesses can reach the ageing (10 × capacity).
      const keys = Array.from({ length: 6000 }, (_, i) => `filler${i}`)
      for (const k of keys) plain.set(k, 'value')
      plain.set('hot', 'value')
      for (let i = 0; additions() < resetAt - 8; i++) {
        expect(i, 'the count towards the ageing grows').toBeLessThan(1_000_000)
        plain.get(keys[i % keys.length]!)
      }
      const before = additions()
      // More gets than pass between two hand-overs (FLUSH_GETS in front.ts).
      for (let i = 0; i < 2100; i++) cache.get('hot')
      if (front) expect(cache.stats().frontHits).toBe(2099)
      // close() hands the front's last hits over.
      cache.close()
      const state = {
        aged: additions() < before,
        additions: additions(),
        estimates: ['hot', ...keys.slice(0, 500)].map((k) => probeSketch(plain as Cache<unknown>, k).estimate),
      }
      plain.close()
      return state
    })
    expect(states[0]!.aged, 'an ageing fell among the hot gets').toBe(true)
    expect(states[1], 'with a front: the same counters and count as without one').toEqual(states[0])
  })

  it('hits of an entry that leaves the front before it has a batch of them are still recorded', () => {
    const estimates = [false, true].map((front) => {
      // A front of two entries: the keys read after 'warm' push it out.
      const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', seed: 7, front: front && { maxBytes: 200 } })
      cache.set('warm', 'value')
      for (let i = 0; i < 9; i++) cache.get('warm') // 1 arena hit, then 8 front hits (fewer than a batch)
      for (let i = 0; i < 40; i++) {
        cache.set(`other${i}`, 'value')
        cache.get(`other${i}`)
      }
      if (front) expect(cache.stats().frontHits).toBe(8)
      // Enough gets for the front to hand its hits over (FLUSH_GETS in front.ts).
      for (let i = 0; i < 2100; i++) cache.get('other39')
      const e = probeSketch(cache as Cache<unknown>, 'warm').estimate
      cache.close()
      return e
    })
    expect(estimates[1], "with a front: 'warm' as frequent as without one").toBe(estimates[0])
    expect(estimates[0]).toBeGreaterThanOrEqual(9)
  })

  it('while the arena evicts, hits of an entry still in the front reach the policy within a hand-over, fewer than a batch too', () => {
    // Hits the policy hears of only once RECORD_USES come, or once the entry leaves the front (a stale
    // copy does only at its next get), are hits it evicts and admits without: the recency issue's phases
    // at 10k entries lost 0.57 points with the front (stop 44). Read 'warm' a few times, then keep the
    // arena evicting for more gets than a hand-over's period: its hits count as without a front.
    const states = [false, true].map((front) => {
      const cache = makeCache<string>(engine, { maxBytes: 16 << 20, maxEntries: 1000, shards: 1, codec: 'string', seed: 7, front })
      let next = 0
      const churn = (gets: number): void => {
        for (let i = 0; i < gets; i++) {
          const key = `k${next++}`
          if (cache.get(key) === undefined) cache.set(key, 'value')
        }
      }
      churn(3000) // full, and evicting for more than a hand-over's gets
      expect(cache.stats().evictions).toBeGreaterThan(0)
      cache.set('warm', 'value')
      for (let i = 0; i < 6; i++) cache.get('warm') // 1 arena hit, then 5 front hits (fewer than a batch)
      if (front) expect(cache.stats().frontHits).toBe(5)
      // More gets than a hand-over's period for 1000 entries (128), of a key held, while another
      // attachment (no front) keeps the arena evicting: slowly, so that 'warm' is still held.
      const plain = Cache.attach<string>(cache.handle)
      cache.set('other', 'value')
      for (let i = 0; i < 600; i++) {
        cache.get('other')
        if (i % 16 === 0) plain.set(`p${i}`, 'value')
      }
      plain.close()
      const state = { estimate: probeSketch(cache as Cache<unknown>, 'warm').estimate, held: cache.has('warm') }
      cache.close()
      return state
    })
    expect(states[0]!.held, "'warm' outlives the churn").toBe(true)
    expect(states[1], "with a front: 'warm' as frequent as without one").toEqual(states[0])
    expect(states[0]!.estimate).toBeGreaterThanOrEqual(6)
  })

  it('when the arena starts evicting, hits of entries fronted before, fewer than a batch, reach the policy within a hand-over', () => {
    // An entry fronted while nothing was evicted batches its hits by RECORD_USES; once the arena
    // evicts, its hits must count as they would without a front (stop 44).
    const states = [false, true].map((front) => {
      const cache = makeCache<string>(engine, { maxBytes: 16 << 20, maxEntries: 1000, shards: 1, codec: 'string', seed: 7, front })
      for (let i = 0; i < 500; i++) cache.set(`k${i}`, 'value')
      cache.set('warm', 'value')
      cache.set('other', 'value')
      for (let i = 0; i < 6; i++) cache.get('warm') // 1 arena hit, then 5 front hits (fewer than a batch)
      if (front) expect(cache.stats().frontHits).toBe(5)
      expect(cache.stats().evictions).toBe(0)
      // Another attachment (no front) fills the cache and keeps it evicting, slowly, for several
      // hand-overs' worth of this thread's gets (128 for 1000 entries).
      const plain = Cache.attach<string>(cache.handle)
      for (let i = 0; i < 12_000; i++) {
        cache.get('other')
        if (i % 16 === 0) plain.set(`p${i}`, 'value')
      }
      plain.close()
      expect(cache.stats().evictions).toBeGreaterThan(50)
      const state = { estimate: probeSketch(cache as Cache<unknown>, 'warm').estimate, held: cache.has('warm') }
      cache.close()
      return state
    })
    expect(states[1], "with a front: 'warm' as frequent as without one").toEqual(states[0])
    expect(states[0]!.estimate).toBeGreaterThanOrEqual(6)
  })

  it("a batch record whose slot a later entry holds at the hand-over carries none of that entry's hits", () => {
    // 'a' reaches a batch of hits, is rewritten (its hits go to the ring as it leaves), and its slot is
    // taken by 'b', which reaches a batch of its own before the hand-over: each key's hits count on it.
    const estimates = [false, true].map((front) => {
      const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', seed: 7, front })
      cache.set('a', 'value')
      for (let i = 0; i <= RECORD_USES; i++) cache.get('a') // 1 arena hit, then a batch of front hits
      cache.set('a', 'value, rewritten') // leaves the front; its slot is free
      cache.set('b', 'value')
      for (let i = 0; i <= RECORD_USES; i++) cache.get('b') // fills the freed slot, then a batch of its own
      if (front) expect(cache.stats().frontHits).toBe(2 * RECORD_USES)
      // Enough gets for the front to hand its hits over (FLUSH_GETS in front.ts).
      cache.set('filler', 'value')
      for (let i = 0; i < 2100; i++) cache.get('filler')
      const e = ['a', 'b'].map((k) => probeSketch(cache as Cache<unknown>, k).estimate)
      cache.close()
      return e
    })
    expect(estimates[1], "with a front: 'a' and 'b' as frequent as without one").toEqual(estimates[0])
  })

  it('hits served from a copy that was rewritten before they were handed over count on the key', () => {
    // The policy moves entries between its queues (a copy at a new offset) and sets rewrite them: the
    // front's unrecorded hits name the old copy. Dropped, they made the front change decisions
    // (write-then-read written once at 1.5 × capacity, 10k entries: 0.45 points); stop 33.
    const estimates = [false, true].map((front) => {
      const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', seed: 7, front })
      const other = Cache.attach<string>(cache.handle)
      cache.set('hot', 'value')
      for (let i = 0; i < 9; i++) cache.get('hot') // 1 arena hit, then 8 front hits (fewer than a batch)
      other.set('hot', 'value, rewritten') // a new copy at a new offset, through another attachment
      // The next get finds the front's copy stale (its segment's version moved) and takes it out: its 8
      // unrecorded hits go to the engine at the next hand-over, naming the old copy.
      expect(cache.get('hot')).toBe('value, rewritten')
      if (front) expect(cache.stats().frontHits).toBe(8)
      // Enough gets for the front to hand its hits over (FLUSH_GETS in front.ts).
      cache.set('filler', 'value')
      for (let i = 0; i < 2100; i++) cache.get('filler')
      const e = probeSketch(cache as Cache<unknown>, 'hot').estimate
      other.close()
      cache.close()
      return e
    })
    expect(estimates[1], "with a front: 'hot' as frequent as without one").toBe(estimates[0])
    expect(estimates[0]).toBeGreaterThanOrEqual(12)
  })

  it("a slot's next entry keeps its unrecorded hits when the last one's batch is handed over", () => {
    // Stop 41: a front slot is reused as soon as its entry leaves, and a batch in the access ring names
    // the slot whose count restarts at the hand-over. A front of one slot: 'a' fills a batch and leaves,
    // 'b' takes the slot with fewer hits than a batch when the hand-over comes, then leaves.
    const estimates = [false, true].map((front) => {
      const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', seed: 7, front: front && { maxBytes: 120 } })
      cache.set('a', 'v')
      cache.set('b', 'v')
      let gets = 0
      for (let i = 0; i < RECORD_USES + 1; i++, gets++) cache.get('a') // 1 arena hit, then a batch of front hits
      cache.set('a', 'w') // leaves the front (its batch is in the ring)
      for (let i = 0; i < 6; i++, gets++) cache.get('b') // 1 arena hit into the same slot, then 5 front hits
      if (front) expect(cache.stats().frontHits).toBe(RECORD_USES + 5)
      // The hand-over (every FLUSH_GETS = 2048 gets in front.ts) while 'b' holds the slot.
      for (; gets < 2048; gets++) cache.get('absent')
      cache.set('b', 'w') // 'b' leaves with its 5 hits
      for (let i = 0; i < 2100; i++) cache.get('absent')
      const e = [probeSketch(cache as Cache<unknown>, 'a').estimate, probeSketch(cache as Cache<unknown>, 'b').estimate]
      cache.close()
      return e
    })
    expect(estimates[1], "with a front: 'a' and 'b' as frequent as without one").toEqual(estimates[0])
    expect(estimates[0]![1]).toBeGreaterThanOrEqual(6)
  })

  it("a hit record names its key by hash: a record whose hash is not the key's at its offset records nothing", () => {
    // Stop 42: the engine finds a record's index slot by the hash it carries and the offset, without
    // reading the key; the offset may be another key's by then (a reused segment). Every record pairing
    // one key's offset with another key's hash, in a small index where many keys share buckets, must be
    // refused; each key's own record counts.
    const cache = makeCache<string>(engine, { maxBytes: 1 << 20, codec: 'string', seed: 3 })
    const core = coreOf(cache) as unknown as {
      v: { u32: Uint32Array }; r32: number; keyAt: number
      ex: { recordAccesses(count: number, input: number): number }
    }
    const n = 300
    const keys = Array.from({ length: n }, (_, i) => `k${i}`)
    for (const k of keys) cache.set(k, 'v')
    const named = keys.map((k) => {
      expect(cache.peek(k)).toBe('v')
      const r = core.v.u32
      return [r[core.r32 + (L.RESULT_ENTRY_OFFSET >>> 2)]!, r[core.r32 + (L.RESULT_HASH >>> 2)]!, r[core.r32 + (L.RESULT_HASH >>> 2) + 1]!]
    })
    const words = L.ACCESS_RECORD_BYTES >>> 2
    const record = (pairs: [number, number][]): number => {
      let recorded = 0
      for (let from = 0; from < pairs.length; from += 256) {
        const batch = pairs.slice(from, from + 256)
        const u32 = core.v.u32
        batch.forEach(([at, of], i) => {
          const w = (core.keyAt >>> 2) + words * i
          u32[w] = named[at]![0]!
          u32[w + 1] = 1
          u32[w + 2] = named[of]![1]!
          u32[w + 3] = named[of]![2]!
        })
        recorded += core.ex.recordAccesses(batch.length, core.keyAt)
      }
      return recorded
    }
    expect(record(keys.map((_, i) => [i, i]))).toBe(n)
    const crossed: [number, number][] = []
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (a !== b) crossed.push([a, b])
    expect(record(crossed)).toBe(0)
    cache.close()
  })

  it('a front that grows its slots keeps what it holds', () => {
    // Slots are allocated as the front fills (1024 at first, doubled): every entry of a pass that made
    // the front grow twice is a front hit on the next pass.
    const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', front: true })
    const keys = Array.from({ length: 2000 }, (_, i) => `key:${i}`)
    for (const k of keys) cache.set(k, `v:${k}`)
    for (const k of keys) expect(cache.get(k)).toBe(`v:${k}`)
    expect(cache.stats().frontHits).toBe(0)
    for (const k of keys) expect(cache.get(k)).toBe(`v:${k}`)
    expect(cache.stats().frontHits).toBe(keys.length)
    cache.close()
  })

  it('a front that serves too few gets steps aside for a while, then comes back', () => {
    const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', front: { maxBytes: 4096 } })
    const keys = Array.from({ length: 5000 }, (_, i) => `key${i}`)
    for (const k of keys) cache.set(k, 'value')
    // Spread gets: the front (about 40 entries) serves almost none of them.
    for (let i = 0; i < 8192; i++) cache.get(keys[(i * 7919) % keys.length]!)
    const before = cache.stats().frontHits
    // Stepped aside (WINDOW and BYPASS in front.ts): a hot key is read from the arena meanwhile.
    for (let i = 0; i < 60_000; i++) expect(cache.get('key1')).toBe('value')
    expect(cache.stats().frontHits - before).toBe(0)
    // Back after the pause: the hot key is served by the front again.
    for (let i = 0; i < 20_000; i++) cache.get('key1')
    expect(cache.stats().frontHits - before).toBeGreaterThan(5000)
    cache.close()
  })

  it('a front that keeps not paying steps aside for longer each time', () => {
    const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', front: { maxBytes: 4096 } })
    const keys = Array.from({ length: 5000 }, (_, i) => `key${i}`)
    for (const k of keys) cache.set(k, 'value')
    cache.set('hot', 'value')
    // One hot get in 16 (under the front's break-even): the hot key is a front hit whenever the front
    // is consulted, so the runs of 4096 gets without a front hit are its step-asides.
    const runs: number[] = []
    let run = 0
    let last = cache.stats().frontHits
    let n = 0
    for (let chunk = 0; chunk < 100; chunk++) {
      for (let i = 0; i < 4096; i++, n++) cache.get(n % 16 === 0 ? 'hot' : keys[(n * 7919) % keys.length]!)
      const now = cache.stats().frontHits
      if (now === last) run++
      else if (run > 0) {
        runs.push(run)
        run = 0
      }
      last = now
    }
    expect(runs.length, `runs of chunks without a front hit: ${runs.join(', ')}`).toBeGreaterThanOrEqual(2)
    expect(runs[1]!, `runs: ${runs.join(', ')}`).toBeGreaterThan(1.5 * runs[0]!)
    cache.close()
  })

  it('gets of far more keys than a filling front could hold stop filling it; a hot set brings it back', () => {
    const seed = testSeed(32)
    const { cache, front, n, keyOf, next } = frontOverManyKeys(engine, seed)
    // The front holds about 2.5 MiB / (2 × 7 + 2 + 64) bytes ≈ 33k of the 200k keys: full, it would
    // serve ~16% of uniform gets, under the bar of a full front (FULL_PAYING in front.ts). Each probing window (4096
    // gets) fills it by up to 4096 entries; judged by what it would serve full, it steps aside for
    // twice as long after each window (65 536, then 131 072 gets: MAX_SHARE_BYPASS), so 400k gets make 4
    // probing windows, and each step-aside drops what its window filled (it served under PAYING): the
    // front never holds more than one window's fills.
    let wrong = 0
    let most = 0
    for (let i = 0; i < 400_000; i++) {
      if (cache.get(keyOf(next() % n)) !== 'v') wrong++
      if (i % 1000 === 0) most = Math.max(most, front.size)
    }
    expect(wrong).toBe(0)
    expect(most, `seed ${seed}`).toBeGreaterThan(0)
    expect(most, `seed ${seed}`).toBeLessThanOrEqual(4096)
    expect(front.size, `seed ${seed}`).toBe(0)
    // A hot set appears: the front is consulted again at its next probing window (at 475 136 gets)
    // and, serving the hot set, stays.
    const before = cache.stats().frontHits
    for (let i = 0; i < 150_000; i++) if (cache.get(keyOf(i % 100)) !== 'v') wrong++
    expect(wrong).toBe(0)
    expect(cache.stats().frontHits - before, `seed ${seed}`).toBeGreaterThan(50_000)
    cache.close()
  })

  it('a probe after a step-aside for its share fills one arena hit in 8 on average, and one that pays fills every arena hit again', () => {
    const seed = testSeed(46)
    const { cache, front, n, keyOf, next } = frontOverManyKeys(engine, seed)
    let wrong = 0
    // Uniform gets over 200k keys, ~33k of which the front holds (see the test above): after the first
    // window (every arena hit fills it while it has room) it steps aside and is emptied; each probing
    // window after that fills one arena hit in FILL_EVERY (8) on average (gaps of 1 to 15), so the
    // front holds about WINDOW / FILL_EVERY = 512 entries between probes (4096 when probes filled every
    // arena hit: their entries, garbage at the next step-aside, made the collector's work while it
    // stood aside).
    let aside = false
    let probes = 0
    let most = 0
    let wasSkipping = false
    for (let i = 0; i < 700_000; i++) {
      if (cache.get(keyOf(next() % n)) !== 'v') wrong++
      const skipping = front.skipping > 0
      if (skipping) aside = true
      else if (aside) {
        if (wasSkipping) probes++
        most = Math.max(most, front.size)
      }
      wasSkipping = skipping
    }
    expect(wrong).toBe(0)
    expect(probes, `seed ${seed}`).toBeGreaterThanOrEqual(4)
    expect(most, `seed ${seed}`).toBeGreaterThan(0)
    expect(most, `seed ${seed}`).toBeLessThanOrEqual(1.25 * 4096 / 8)
    // Then gets over 20k keys, all of which it can hold: the next probe (within MAX_SHARE_BYPASS + a
    // window: 135 168 gets) is projected to pay, and from then on every arena hit enters again (the
    // front has room), so 60k gets later it holds nearly all of them (one in 8 entering: ~45%).
    const hot = (i: number) => keyOf((i * 7) % n)
    let served = -1
    const before = cache.stats().frontHits
    for (let i = 0; i < 135_168 + 60_000; i++) {
      if (cache.get(hot(next() % 20_000)) !== 'v') wrong++
      if (served < 0 && cache.stats().frontHits > before) served = i
    }
    expect(wrong).toBe(0)
    expect(served, `seed ${seed}`).toBeGreaterThanOrEqual(0)
    expect(served, `seed ${seed}`).toBeLessThan(135_168)
    expect(front.size, `seed ${seed}`).toBeGreaterThan(0.9 * 20_000)
    cache.close()
  })

  it('a front that stood aside through a long run of gets it could not hold serves a hot set that follows within a few probing windows', () => {
    const seed = testSeed(35)
    const cache = makeCache<string>(engine, { maxBytes: 32 << 20, codec: 'string', front: { maxBytes: 5 << 19 } })
    const front = (coreOf(cache) as unknown as { front: Front }).front
    front.useTimer(undefined)
    const n = 200_000
    const keyOf = (i: number) => `k${i}`
    for (let i = 0; i < n; i++) cache.set(keyOf(i), 'v')
    // 1.5M uniform gets over 200k keys (a full front would serve ~16%): step-asides doubled after each
    // probing window that did not pay, which up to 256 windows (2^20 gets) outlasted a bench run's
    // next suite. Then 2000 keys the front can hold whole, read uniformly (what the bench's get-zipf
    // after get-hit stands for): within MAX_SHARE_BYPASS (131 072 gets) and a few windows of filling,
    // the front serves them; the old entries (filled by the uniform gets) don't mislead the probe.
    let s = seed >>> 0
    const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0)
    let wrong = 0
    for (let i = 0; i < 1_500_000; i++) if (cache.get(keyOf(next() % n)) !== 'v') wrong++
    const hot = (i: number) => keyOf((i * 97) % n)
    for (let i = 0; i < 160_000; i++) if (cache.get(hot(next() % 2000)) !== 'v') wrong++
    const before = cache.stats().frontHits
    for (let i = 0; i < 100_000; i++) if (cache.get(hot(next() % 2000)) !== 'v') wrong++
    expect(wrong).toBe(0)
    expect(cache.stats().frontHits - before, `seed ${seed}`).toBeGreaterThan(90_000)
    cache.close()
  })

  it('a full front that serves about half of the gets steps aside; one that serves most of them stays', () => {
    const seed = testSeed(33)
    // Room for ~2000 entries of 4000 keys (2 bytes a character, 64 per entry: see FrontOptions.maxBytes).
    const served = (hotShare: number) => {
      const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', front: { maxBytes: 2000 * (2 * 5 + 2 + 64) } })
      const keyOf = (i: number) => `k${1000 + i}`
      for (let i = 0; i < 4000; i++) cache.set(keyOf(i), 'v')
      let s = seed >>> 0
      const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0)
      // hotShare of the gets go to 500 keys, the rest to all 4000.
      const get = () => { const r = next(); if (cache.get(keyOf((r >>> 8) % 10 < hotShare * 10 ? r % 500 : r % 4000)) !== 'v') throw new Error('wrong value') }
      for (let i = 0; i < 40_000; i++) get()
      const before = cache.stats().frontHits
      for (let i = 0; i < 200_000; i++) get()
      const share = (cache.stats().frontHits - before) / 200_000
      cache.close()
      return share
    }
    // Uniform: full, the front would serve ~50% (under FULL_PAYING): it steps aside, twice as long each time.
    expect(served(0), `seed ${seed}`).toBeLessThan(0.1)
    // 90% of the gets on 500 keys: it serves most of them and stays.
    expect(served(0.9), `seed ${seed}`).toBeGreaterThan(0.8)
  })

  it('on a mixed workload (Zipf gets, 10% sets) whose writes keep dropping its copies, the front stands aside; the hit ratio is that of no front', () => {
    const seed = testSeed(47)
    // The bench's mixed suite, smaller: Zipf(0.99) over twice the capacity, one set in 10, from a full cache.
    // Every set kills its key's entry and moves the version of its segment: the front drops the copies
    // of that segment's other entries too (~130 of these), and a cache this size is fronted whole by
    // default, so it never fills: it refilled a copy every ~2 gets, served ~45% of them, and (projected
    // to what it would serve full) never stood aside.
    const n = 20_000
    const trace = zipfTrace({ keys: 2 * n, s: 0.99, length: 300_000, seed })
    const keyOf = (i: number) => `k${String(i).padStart(15, '0')}`
    const valueOf = (i: number, tag: number) => `${i}:${tag}`.padEnd(100, 'v')
    const run = (withFront: boolean) => {
      const cache = makeCache<string>(engine, { maxBytes: Cache.maxBytesFor(n, 124), maxEntries: n, codec: 'string', seed, front: withFront })
      const front = (coreOf(cache) as unknown as { front?: Front }).front
      for (let i = 0; i < n; i++) cache.set(keyOf(i), valueOf(i, 0))
      let s = seed >>> 0
      let hits = 0, gets = 0, aside = 0, late = 0, wrong = 0
      for (let i = 0; i < trace.keys.length; i++) {
        const k = trace.keys[i]!
        s = (Math.imul(s, 1103515245) + 12345) >>> 0
        if ((s >>> 16) % 10 === 0) cache.set(keyOf(k), valueOf(k, i))
        else {
          const v = cache.get(keyOf(k))
          gets++
          if (v !== undefined) hits++
          if (v !== undefined && !v.startsWith(`${k}:`)) wrong++
          if (i >= trace.keys.length / 2) {
            late++
            if (front !== undefined && front.skipping > 0) aside++
          }
        }
      }
      cache.close()
      return { ratio: hits / gets, aside: aside / late, wrong }
    }
    const [without, withFront] = [run(false), run(true)]
    expect(withFront.wrong).toBe(0)
    expect(Math.abs(withFront.ratio - without.ratio), `seed ${seed}: ${withFront.ratio} with a front, ${without.ratio} without`).toBeLessThan(0.002)
    expect(withFront.aside, `seed ${seed}`).toBeGreaterThan(0.8)
  })

  it("on the bench's mixed workload the front's step-asides grow: a window that refills its copies after one does not set them back", () => {
    // The bench's mixed suite at 100k entries (bench/suites/mixed.ts: scattered Zipf(0.99) over 2 × n keys,
    // one set in 10). After each step-aside the front first grows again (refilling the copies writes
    // dropped meanwhile) while serving ~40% of the gets, then drops more than it grows and steps aside.
    // That first window used to set the step-aside back to BYPASS (65 536 gets), so they never grew.
    const n = 100_000
    const idx = scatteredZipfIndices(2 * n, 0.99, 1 << 20, 3)
    const ops = opMix(1 << 20, 0.1, 4)
    const keyOf = (i: number) => `k${String(i).padStart(15, '0')}`
    const valueOf = (i: number, tag: number) => `${i}:${tag}`.padEnd(100, 'v')
    const cache = makeCache<string>(engine, { maxBytes: Cache.maxBytesFor(n, 124), maxEntries: n, codec: 'string', front: true })
    const front = (coreOf(cache) as unknown as { front: Front }).front
    for (let i = 0; i < n; i++) cache.set(keyOf(i), valueOf(i, 0))
    let longest = 0, wrong = 0
    for (let i = 0; i < 600_000; i++) {
      const k = idx[i]!
      if (ops[i] === 1) cache.set(keyOf(k), valueOf(k, i))
      else {
        const v = cache.get(keyOf(k))
        if (v !== undefined && !v.startsWith(`${k}:`)) wrong++
        longest = Math.max(longest, front.skipping)
      }
    }
    cache.close()
    expect(wrong).toBe(0)
    // BYPASS is 65 536 gets (+ up to a hand-over period); MAX_SHARE_BYPASS 131 072.
    expect(longest).toBeGreaterThan(100_000)
  })

  it('a front that stood aside for the copies writes dropped fronts a cache whole again once gets alone follow', () => {
    const seed = testSeed(48)
    const n = 20_000
    const keyOf = (i: number) => `k${String(i).padStart(15, '0')}`
    const valueOf = (i: number) => `${i}`.padEnd(100, 'v')
    const cache = makeCache<string>(engine, { maxBytes: Cache.maxBytesFor(n, 124), maxEntries: n, codec: 'string', seed, front: true })
    const front = (coreOf(cache) as unknown as { front: Front }).front
    for (let i = 0; i < n; i++) cache.set(keyOf(i), valueOf(i))
    let s = seed >>> 0
    const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0)
    // Uniform gets with one set in 10 over the stored keys: writes drop copies faster than the front fills.
    for (let i = 0; i < 100_000; i++) {
      const k = next() % n
      if ((next() >>> 16) % 10 === 0) cache.set(keyOf(k), valueOf(k))
      else cache.get(keyOf(k))
    }
    // Then gets alone: a filling front judged by what it would serve full (#wouldPayFull), as a new one is.
    let wrong = 0
    for (let i = 0; i < 300_000; i++) {
      const k = next() % n
      if (cache.get(keyOf(k)) !== valueOf(k)) wrong++
    }
    expect(wrong).toBe(0)
    expect(front.size, `seed ${seed}`).toBeGreaterThan(0.95 * n)
    const before = cache.stats().frontHits
    for (let i = 0; i < 50_000; i++) cache.get(keyOf(next() % n))
    expect(cache.stats().frontHits - before, `seed ${seed}`).toBeGreaterThan(0.95 * 50_000)
    cache.close()
  })

  it('a full front takes in a key its arena hit twice close together, not one read once', () => {
    // Room for 100 entries: the front takes a slot per 80 bytes of its budget (64 per entry and 16 of
    // value at least), and 'k' + 3 digits with a 1-character value take less (74 bytes: 2 a character).
    const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', front: { maxBytes: 100 * (64 + 16) } })
    const front = (coreOf(cache) as unknown as { front: Front }).front
    const keyOf = (i: number) => `k${100 + i}`
    for (let i = 0; i < 400; i++) cache.set(keyOf(i), 'v')
    // 120 keys: the first 100 fill the front, the next 20 make it evict (full).
    for (let i = 0; i < 120; i++) cache.get(keyOf(i))
    expect(front.size).toBe(100)
    const frontHitsOf = (from: number, count: number): number => {
      const before = cache.stats().frontHits
      for (let i = from; i < from + count; i++) expect(cache.get(keyOf(i))).toBe('v')
      return cache.stats().frontHits - before
    }
    // Keys read once each: none enters, so none is served when read again (one arena hit in 8 entered
    // until stop 46, whatever the key).
    frontHitsOf(200, 20)
    expect(frontHitsOf(200, 20)).toBe(0)
    // Keys read twice in a row enter at the second read and are served from then on.
    for (let i = 300; i < 320; i++) {
      cache.get(keyOf(i))
      cache.get(keyOf(i))
    }
    expect(frontHitsOf(300, 20)).toBe(20)
    cache.close()
  })

  it('the default front holds a small cache whole: uniform gets over all its keys are front hits within a few passes', () => {
    const seed = testSeed(34)
    // 100k entries of 100 bytes: fronted whole by default (defaultFrontBytes in front.ts: ~35 MiB by
    // the front's estimate, under WHOLE_FRONT_BYTES); a 16 MiB front held ~56% and stepped aside.
    const n = 100_000
    const cache = makeCache<string>(engine, { maxBytes: Cache.maxBytesFor(n, 124), maxEntries: n, codec: 'string', front: true })
    const front = (coreOf(cache) as unknown as { front: Front }).front
    // The keys are built per get, for which the arena can be faster than the front: its self-timing
    // (TIMED_EVERY in front.ts) would step it aside: turned off here.
    front.useTimer(undefined)
    const keyOf = (i: number) => `k${String(i).padStart(15, '0')}`
    const valueOf = (i: number) => `${i}`.padEnd(100, 'v')
    for (let i = 0; i < n; i++) cache.set(keyOf(i), valueOf(i))
    let s = seed >>> 0
    let wrong = 0
    for (let i = 0; i < 600_000; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0
      const k = s % n
      if (cache.get(keyOf(k)) !== valueOf(k)) wrong++
    }
    expect(wrong).toBe(0)
    expect(front.size, `seed ${seed}`).toBeGreaterThan(0.95 * n)
    const before = cache.stats().frontHits
    for (let i = 0; i < 100_000; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0
      cache.get(keyOf(s % n))
    }
    expect(cache.stats().frontHits - before, `seed ${seed}`).toBeGreaterThan(95_000)
    cache.close()
  })

  it('a front whose arena hits are all values it cannot hold steps aside for the longest at once; the buffer codec has none', () => {
    const cache = makeCache<unknown>(engine, { maxBytes: 16 << 20, front: true })
    const front = (coreOf(cache) as unknown as { front: Front }).front
    for (let i = 0; i < 100; i++) cache.set(`b${i}`, Buffer.from([i]))
    cache.set('s', 'string')
    // A window (4096 gets) of Buffers only: nothing entered, so it steps aside for MAX_BYPASS gets
    // (2^20), not the 65 536 of a front that is merely empty.
    for (let i = 0; i < 4096; i++) cache.get(`b${i % 100}`)
    let wrong = 0
    for (let i = 0; i < 500_000; i++) if (cache.get('s') !== 'string') wrong++
    expect(wrong).toBe(0)
    expect(cache.stats().frontHits).toBe(0)
    expect(front.size).toBe(0)
    cache.close()
    const buffers = makeCache<Buffer>(engine, { maxBytes: 16 << 20, codec: 'buffer', front: true })
    expect((coreOf(buffers) as unknown as { front: Front | undefined }).front).toBeUndefined()
    buffers.set('b', Buffer.from([1]))
    expect(buffers.get('b')).toEqual(Buffer.from([1]))
    buffers.close()
  })

  it('a lost slot is noticed within FLUSH_GETS gets, its scratch and counters untouched meanwhile; a closed cache serves nothing', () => {
    const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', front: true })
    // A second attachment keeps the arena open while this one gives up its slot (the native engine
    // frees an arena its last attachment leaves).
    const keep = Cache.attach<string>(cache.handle)
    // 512 fronted keys, each brought within two hits of the access ring (RECORD_USES unrecorded hits;
    // the first get of a key is its arena hit, which fills it): during the stall below every key reaches
    // RECORD_USES, so the batch (RING entries) fills and is handed over from inside get, through scratch,
    // twice before the FLUSH_GETS tick.
    const KEYS = 512
    for (let k = 0; k < KEYS; k++) cache.set(`k${k}`, `v${k}`)
    for (let r = 0; r < RECORD_USES - 1; r++) for (let k = 0; k < KEYS; k++) cache.get(`k${k}`)
    const core = coreOf(cache) as unknown as { v: { u8: Uint8Array; u32: Uint32Array; f64: Float64Array }; leaseIdx: number; frontHitsIdx: number; scratch: number; front: Front }
    expect(core.front.size).toBe(KEYS)
    const { u8, u32, f64 } = core.v
    const oldLeaseIdx = core.leaseIdx
    const oldHitsIdx = core.frontHitsIdx
    const oldScratch = core.scratch
    // As if this thread had stalled and another had taken its slot (a new lease id in it), and written
    // its scratch.
    const other = u32[oldLeaseIdx] === 7 ? 8 : 7
    u32[oldLeaseIdx] = other
    u8.fill(0xa5, oldScratch, oldScratch + 4096)
    const counted = f64[oldHitsIdx]
    // Front hits may go on until the next FLUSH_GETS tick (2048 gets); by then it re-attached.
    let gets = 0
    while (core.leaseIdx === oldLeaseIdx && gets < 3 * 2048) expect(cache.get(`k${gets++ % KEYS}`)).toBe(`v${(gets - 1) % KEYS}`)
    expect(gets).toBeGreaterThan(16 * KEYS / 256)
    expect(gets).toBeLessThanOrEqual(2048 + 1)
    // Neither the ring's hand-overs nor the hit counts touched the taken slot.
    expect(u8.subarray(oldScratch, oldScratch + 4096).every((b) => b === 0xa5)).toBe(true)
    expect(u32[oldLeaseIdx]).toBe(other)
    expect(f64[oldHitsIdx]).toBe(counted)
    // Its front hits go to the new slot (stats() adds those its front counted since to the arena first).
    const before = f64[core.frontHitsIdx]!
    for (let r = 0; r < 2; r++) for (let k = 0; k < KEYS; k++) expect(cache.get(`k${k}`)).toBe(`v${k}`)
    cache.stats()
    expect(f64[core.frontHitsIdx]! - before).toBeGreaterThan(0)
    expect(f64[oldHitsIdx]).toBe(counted)
    cache.close()
    expect(() => cache.get('k1')).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }))
    keep.close()
  })

  it('a front slower than the arena for the caller\'s gets steps aside by its own timing, and comes back once faster', () => {
    const { cache, front, clock, gets, wrong } = timedFront(engine, { arena: 1, fronted: 2 })
    // It serves nearly every get (it holds all 2000 keys), but the arena is timed twice as fast:
    // after two timed windows that say so, it steps aside.
    gets(150_000)
    expect(front.slowerThanArena).toBe(true)
    // Aside, it is consulted for two windows at the end of each step-aside (twice as long each time),
    // the second timed against the windows that skipped it, and stays aside.
    expect(gets(400_000)).toBeLessThanOrEqual(6 * 4096)
    expect(front.slowerThanArena).toBe(true)
    // Now the front is the faster: the next window that consults it brings it back.
    clock.arena = 2
    clock.fronted = 1
    gets(1_200_000)
    expect(front.slowerThanArena).toBe(false)
    expect(gets(100_000)).toBeGreaterThan(95_000)
    expect(wrong()).toBe(0)
    cache.close()
  })

  it('a front faster than the arena, or as fast within the margin, keeps serving; timed less often while clearly faster', () => {
    const { cache, front, clock, gets } = timedFront(engine, { arena: 1.2, fronted: 1 })
    // The arena 20% slower: timed every 8, 16, ... 256 paying windows, 2 windows skipping the front each time.
    gets(2_500_000)
    expect(front.slowerThanArena).toBe(false)
    expect(gets(4096 * 258)).toBeGreaterThanOrEqual(4096 * 255)
    // The arena 5% faster, within the margin (TIMED_MARGIN, 10%): it stays, timed as often as before.
    clock.arena = 0.95
    gets(2_000_000)
    expect(front.slowerThanArena).toBe(false)
    expect(gets(4096 * 258)).toBeGreaterThanOrEqual(4096 * 255)
    cache.close()
  })

  it('a front timed as clearly faster times itself again at once when its own time per get rises', () => {
    const { cache, front, clock, gets } = timedFront(engine, { arena: 2, fronted: 1 })
    // Clearly faster: timed every 8, 16, ... 256 windows (the next timing ~1M gets away).
    gets(2_500_000)
    expect(front.slowerThanArena).toBe(false)
    // The caller's gets now cost the front 3 per window and the arena 2 (as keys built per call do):
    // the rise re-times it within a few windows, and two timings step it aside.
    clock.fronted = 3
    gets(200_000)
    expect(front.slowerThanArena).toBe(true)
    cache.close()
  })

  it('a key built per get (a cons string) is served by the front as a stored one; keys of other types are refused', () => {
    const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', front: true })
    const id = (i: number) => i.toString(36).padStart(15, '0')
    for (let i = 0; i < 100; i++) cache.set('k' + id(i), `v${i}`)
    for (let r = 0; r < 10; r++) for (let i = 0; i < 100; i++) expect(cache.get('k' + id(i))).toBe(`v${i}`)
    expect(cache.stats()).toMatchObject({ hits: 1000, frontHits: 900 })
    for (const key of [5, null, undefined, {}, Symbol('k')])
      expect(() => cache.get(key as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY' }))
    cache.close()
  })

  it("keys that name an object's own or inherited properties, or array indexes, are fronted as any key; a key of another type that names a fronted key is refused", () => {
    // The front's index is a prototype-less object: every string is its own property name there, and a
    // number or an object must not be looked up as the string it converts to.
    const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', front: true })
    const keys = ['5', '0', '4294967295', '-0', '1e3', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'length']
    for (const k of keys) cache.set(k, `v${k}`)
    for (let r = 0; r < 3; r++) for (const k of keys) expect(cache.get(k)).toBe(`v${k}`)
    expect(cache.stats().frontHits).toBe(2 * keys.length)
    for (const k of ['isPrototypeOf', '6', '__defineGetter__']) expect(cache.get(k)).toBeUndefined()
    let converted = 0
    const named = { toString: () => { converted++; return '5' } }
    for (const key of [5, named, [5], Symbol('5')])
      expect(() => cache.get(key as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY' }))
    expect(converted).toBe(0)
    // Deletes and rewrites through this thread drop the front's copies of such keys too.
    cache.delete('__proto__')
    cache.set('5', 'five')
    expect(cache.get('__proto__')).toBeUndefined()
    expect(cache.get('5')).toBe('five')
    expect(cache.get('constructor')).toBe('vconstructor')
    cache.clear()
    for (const k of keys) expect(cache.get(k)).toBeUndefined()
    cache.close()
  })

  it('front hits count as hits in stats(), also after the thread that served them detached', () => {
    const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string' })
    cache.set('a', 'value')
    const other = Cache.attach<string>(cache.handle, { front: true })
    for (let i = 0; i < 10; i++) expect(other.get('a')).toBe('value')
    // The attachment that served them counts them at once; another sees a front's hits once it has
    // added them to the arena (every 2048 gets, at its own stats() and on close: Front.countHits).
    expect(other.stats()).toMatchObject({ hits: 10, frontHits: 9, misses: 0 })
    expect(cache.stats()).toMatchObject({ hits: 10, frontHits: 9, misses: 0 })
    expect(other.get('a')).toBe('value')
    expect(cache.stats()).toMatchObject({ hits: 10, frontHits: 9, misses: 0 })
    for (let i = 0; i < 2048; i++) other.get('a')
    const seen = cache.stats().frontHits
    expect(seen).toBeGreaterThan(2058 - 2048)
    expect(seen).toBeLessThan(2058)
    other.close()
    expect(cache.stats()).toMatchObject({ hits: 2059, frontHits: 2058, misses: 0 })
    expect(cache.get('a')).toBe('value')
    expect(cache.stats()).toMatchObject({ hits: 2060, frontHits: 2058, misses: 0 })
    cache.close()
  })

  it('stats() counts every hit exactly, at any get: across hand-overs, step-asides, misses and stale copies', () => {
    // Hits are counted at stats() from the gets that looked the front up less those that missed (stop
    // 43): checked against the gets that returned a value, at stats() calls that fall anywhere in a
    // FLUSH_GETS period, through phases the front can't hold (it steps aside) and can (it serves), with
    // writes and deletes that make copies stale.
    const seed = testSeed(43)
    const cache = makeCache<string>(engine, { maxBytes: 16 << 20, codec: 'string', front: { maxBytes: 64 << 10 } })
    const n = 20_000
    const keys = Array.from({ length: n }, (_, i) => `key${i}`)
    for (const k of keys) cache.set(k, 'value')
    let s = seed >>> 0
    let returned = 0
    let checks = 0
    for (let i = 0; i < 400_000; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0
      // Blocks of 50k gets: spread over every key (the front stands aside), then over 100 (it serves).
      const key = keys[(((i / 50_000) | 0) % 2 === 0 ? s : s % 100) % n]!
      if (s % 89 === 0) cache.set(key, 'value')
      else if (s % 997 === 0) cache.delete(key)
      else if (cache.get(key) !== undefined) returned++
      if (s % 4099 === 0) {
        checks++
        expect(cache.stats().hits, `get ${i}`).toBe(returned)
      }
    }
    expect(checks).toBeGreaterThan(50)
    expect(cache.stats().frontHits).toBeGreaterThan(50_000)
    cache.close()
  })

  it('bad front options are refused with a typed error', () => {
    for (const front of [1, 'yes', { maxBytes: -1 }, { maxBytes: 1.5 }, { shareObjects: 'no' }, { size: 10 }])
      expect(() => makeCache(engine, { maxBytes: 4 << 20, front: front as never }), JSON.stringify(front))
        .toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
    const cache = makeCache(engine, { maxBytes: 4 << 20 })
    expect(() => Cache.attach(cache.handle, { front: { maxbytes: 1 } as never })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
    cache.close()
  })
})
