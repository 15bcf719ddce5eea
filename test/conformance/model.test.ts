/**
 * Random operations against each engine and a plain Map model: the cache must agree on every
 * observable result, except that under capacity pressure an entry may be evicted (then the model
 * forgets it too). With a roomy cache not even that is allowed.
 */
import { it, expect } from 'vitest'
import { MAX_KEY_BYTES } from '../../src/index.js'
import { Prng } from '../../bench/workloads/prng.js'
import { testSeed } from '../helpers/seed.js'
import { forEachEngine, makeCache, type Engine } from './engines.js'

interface Modelled { value: unknown; expiry: number }

function makeKeys(rng: Prng, n: number): string[] {
  const keys: string[] = ['', 'k'.repeat(MAX_KEY_BYTES), 'é'.repeat(MAX_KEY_BYTES / 2)]
  const alphabets = ['abcdefghijklmnopqrstuvwxyz0123456789:', 'ключзначение', '鍵値キャッシュ', '😀🚀☕']
  while (keys.length < n) {
    const alphabet = [...alphabets[rng.nextInt(alphabets.length)]]
    const len = 1 + rng.nextInt(rng.nextFloat() < 0.9 ? 24 : 300)
    let k = ''
    for (let i = 0; i < len; i++) k += alphabet[rng.nextInt(alphabet.length)]
    keys.push(k)
  }
  return [...new Set(keys)]
}

function makeValue(rng: Prng): unknown {
  switch (rng.nextInt(7)) {
    case 0: return 'v'.repeat(rng.nextInt(200))
    case 1: return 'значение☕'.repeat(1 + rng.nextInt(20))
    case 2: return rng.nextInt(1e9) - 5e8 + rng.nextFloat()
    case 3: return { id: rng.nextInt(1000), tags: ['a', 'b'] }
    case 4: return Buffer.from(Array.from({ length: rng.nextInt(64) }, () => rng.nextInt(256)))
    case 5: return rng.nextFloat() < 0.5 ? null : true
    default: return 'x'.repeat(1000 + rng.nextInt(20_000))
  }
}

function run(engine: Engine, seed: number, ops: number, roomy: boolean): void {
  const rng = new Prng(seed)
  let now = 1_700_000_000_000
  const cache = roomy
    ? makeCache<unknown>(engine, { maxBytes: 32 << 20, clock: () => now, seed })
    : makeCache<unknown>(engine, { maxBytes: 1 << 20, maxEntries: 300, clock: () => now, seed })
  const model = new Map<string, Modelled>()
  const keys = makeKeys(rng, 1000)
  const live = (k: string) => {
    const m = model.get(k)
    if (m && m.expiry <= now) {
      model.delete(k)
      return undefined
    }
    return m
  }
  const check = (k: string, got: unknown, what: string) => {
    const m = live(k)
    if (m === undefined) expect(got, `${what} should miss`).toBeUndefined()
    else if (got === undefined) {
      expect(roomy, `${what} missed in a roomy cache`).toBe(false)
      model.delete(k)
    } else expect(got, what).toEqual(m.value)
  }
  try {
    for (let op = 0; op < ops; op++) {
      const r = rng.nextFloat()
      const key = keys[rng.nextInt(keys.length)]
      if (r < 0.4) {
        const value = makeValue(rng)
        const ttl = rng.nextFloat() < 0.3 ? 1 + rng.nextInt(5000) : 0
        const stored = cache.set(key, value, { ttl })
        if (roomy) expect(stored).toBe(true)
        if (stored) model.set(key, { value, expiry: ttl > 0 ? now + ttl : Infinity })
        else model.delete(key)
      } else if (r < 0.7) check(key, cache.get(key), 'get')
      else if (r < 0.75) check(key, cache.peek(key), 'peek')
      else if (r < 0.85) {
        const deleted = cache.delete(key)
        if (live(key) === undefined) expect(deleted).toBe(false)
        else if (roomy) expect(deleted).toBe(true)
        model.delete(key)
      } else if (r < 0.9) {
        const batch = Array.from({ length: 1 + rng.nextInt(40) }, () => keys[rng.nextInt(keys.length)])
        const got = cache.getMany(batch)
        batch.forEach((k, i) => check(k, got[i], 'getMany'))
      } else if (r < 0.94) {
        const batch = Array.from({ length: 1 + rng.nextInt(40) }, () => [keys[rng.nextInt(keys.length)], makeValue(rng)] as const)
        const stored = cache.setMany(batch)
        batch.forEach(([k, v], i) => {
          if (roomy) expect(stored[i]).toBe(true)
          if (stored[i]) model.set(k, { value: v, expiry: Infinity })
          else model.delete(k)
        })
      } else now += rng.nextInt(rng.nextFloat() < 0.9 ? 50 : 3000)
      if (op % 5000 === 0) expect(cache.verify()).toEqual([])
    }
    expect(cache.verify()).toEqual([])
    for (const [k] of model) check(k, cache.peek(k), 'final peek')
    if (roomy) expect(cache.stats().evictions).toBe(0)
    else expect(cache.size).toBeLessThanOrEqual(300)
  } finally {
    cache.close()
  }
}

forEachEngine('model-based random operations', (engine) => {
  it('a roomy cache agrees with the model exactly', () => run(engine, testSeed(1001), 15_000, true))
  it('a tight cache agrees with the model except for evictions', () => run(engine, testSeed(2002), 15_000, false))
})
