/**
 * Where the engine's sketch keeps a key's counters (stop 41): two in one of a 64-byte block's first
 * four words, two in one of its last four, one in each 32-bit half of its word; the counts they hold,
 * exactly, and their saturation at 15 without a carry into the neighbouring counter.
 */
import { describe, expect, it } from 'vitest'
import type { Cache } from '../../src/index.js'
import * as L from '../../src/layout/constants.generated.js'
import { forEachEngine, makeCache, nativeBuilt, type Engine } from '../conformance/engines.js'
import { testSeed } from '../helpers/seed.js'
import { probeSketch, type SketchPlace } from './probe.js'

/** Counter ids `shard:block:position`, position = word in the block × 16 + nibble in the word. */
function position(id: string): { word: number; nibble: number } {
  const p = Number(id.split(':')[2])
  return { word: p >> 4, nibble: p & 15 }
}

function sharesCounter(a: SketchPlace, b: SketchPlace): boolean {
  return a.counters.some((c) => b.counters.includes(c))
}

function cacheOn(engine: Engine, seed: number, entries: number): Cache<string> {
  return makeCache<string>(engine, { maxBytes: 16 << 20, maxEntries: entries, codec: 'string', seed, shards: 1 })
}

forEachEngine('sketch layout', (engine) => {
  it('puts counters 0 and 1 in one of a block\'s first four words, 2 and 3 in one of its last four, one per half', () => {
    const cache = cacheOn(engine, testSeed(41), 2000)
    const words = [new Set<number>(), new Set<number>()]
    const nibbles = [new Set<number>(), new Set<number>()]
    for (let k = 0; k < 400; k++) {
      const [c0, c1, c2, c3] = probeSketch(cache as Cache<unknown>, `key-${k}`).counters.map(position)
      expect(c0!.word, `key-${k}`).toBe(c1!.word)
      expect(c2!.word, `key-${k}`).toBe(c3!.word)
      expect(c0!.word).toBeLessThan(L.SKETCH_PAIR_WORDS)
      expect(c2!.word).toBeGreaterThanOrEqual(L.SKETCH_PAIR_WORDS)
      expect(c2!.word).toBeLessThan(2 * L.SKETCH_PAIR_WORDS)
      expect(c0!.nibble).toBeLessThan(L.SKETCH_HALF_COUNTERS)
      expect(c1!.nibble).toBeGreaterThanOrEqual(L.SKETCH_HALF_COUNTERS)
      expect(c2!.nibble).toBeLessThan(L.SKETCH_HALF_COUNTERS)
      expect(c3!.nibble).toBeGreaterThanOrEqual(L.SKETCH_HALF_COUNTERS)
      words[0]!.add(c0!.word)
      words[1]!.add(c2!.word)
      nibbles[0]!.add(c0!.nibble)
      nibbles[1]!.add(c3!.nibble)
    }
    // Every word of each half and every nibble of each half is used by some key.
    expect([words[0]!.size, words[1]!.size, nibbles[0]!.size, nibbles[1]!.size]).toEqual([L.SKETCH_PAIR_WORDS, L.SKETCH_PAIR_WORDS, L.SKETCH_HALF_COUNTERS, L.SKETCH_HALF_COUNTERS])
    cache.close()
  })

  it('holds exact counts (1..15) of keys that share no counter, counted by sets and by hits', () => {
    const cache = cacheOn(engine, testSeed(42), 4000)
    const places = new Map<string, SketchPlace>()
    for (let k = 0; k < 60; k++) places.set(`key-${k}`, probeSketch(cache as Cache<unknown>, `key-${k}`))
    const alone = [...places.keys()].filter((k) => [...places].every(([o, p]) => o === k || !sharesCounter(places.get(k)!, p)))
    expect(alone.length).toBeGreaterThan(40)
    alone.forEach((k, i) => {
      const n = 1 + (i % 15)
      cache.set(k, 'v')
      for (let j = 1; j < n; j++) {
        if (j % 2 === 0) cache.set(k, 'v')
        else expect(cache.get(k)).toBe('v')
      }
    })
    alone.forEach((k, i) => expect(probeSketch(cache as Cache<unknown>, k).estimate, `${k} [${engine}]`).toBe(1 + (i % 15)))
    cache.close()
  })

  it('saturates at 15 without carrying into the next counter of its word', () => {
    const cache = cacheOn(engine, testSeed(43), 1000)
    const hot = probeSketch(cache as Cache<unknown>, 'hot')
    const hotPos = hot.counters.map(position)
    // Keys whose counters sit in one of hot's words, on the nibble just above one of hot's counters:
    // a carry out of hot's saturated counter would land in theirs.
    const above = hot.counters.map((c, i) => `${c.split(':').slice(0, 2).join(':')}:${hotPos[i]!.word * 16 + hotPos[i]!.nibble + 1}`)
    const partners: string[] = []
    for (let k = 0; k < 40000 && partners.length < 4; k++) {
      const p = probeSketch(cache as Cache<unknown>, `n-${k}`)
      if (p.counters.some((c) => above.includes(c)) && !sharesCounter(p, hot)) partners.push(`n-${k}`)
    }
    expect(partners.length).toBeGreaterThan(0)
    for (const p of partners) for (let j = 0; j < 3; j++) cache.set(p, 'v')
    const before = partners.map((p) => probeSketch(cache as Cache<unknown>, p).estimate)
    expect(before.every((e) => e >= 3)).toBe(true)
    for (let j = 0; j < 20; j++) cache.set('hot', 'v')
    for (let j = 0; j < 20; j++) expect(cache.get('hot')).toBe('v')
    expect(probeSketch(cache as Cache<unknown>, 'hot').estimate).toBe(15)
    expect(partners.map((p) => probeSketch(cache as Cache<unknown>, p).estimate)).toEqual(before)
    cache.close()
  })
})

describe('sketch layout, both engines', () => {
  it.skipIf(!nativeBuilt)('the wasm and native engines put every key\'s counters in the same places', () => {
    const seed = testSeed(44)
    const a = cacheOn('wasm', seed, 3000)
    const b = cacheOn('native', seed, 3000)
    for (let k = 0; k < 300; k++) {
      for (let j = 0; j <= k % 5; j++) {
        a.set(`key-${k}`, 'v')
        b.set(`key-${k}`, 'v')
      }
    }
    for (let k = 0; k < 300; k++) {
      const pa = probeSketch(a as Cache<unknown>, `key-${k}`)
      const pb = probeSketch(b as Cache<unknown>, `key-${k}`)
      expect(pb, `key-${k}`).toEqual(pa)
    }
    a.close()
    b.close()
  })
})
