/**
 * Model-based test: random operations against the real cache and a plain Map model. The cache must
 * agree with the model on every observable result, except that under capacity pressure an entry may
 * be evicted (then the model forgets it too). With a roomy cache not even that is allowed.
 */
import { describe, it, expect } from 'vitest'
import { Cache, MAX_KEY_BYTES } from '../../src/index.js'
import { Prng } from '../../bench/workloads/prng.js'
import { testSeed } from '../helpers/seed.js'
import { nearDeadline } from '../helpers/deadlines.js'

interface Modelled { value: unknown; expiry: number }

function makeKeys(rng: Prng, n: number): string[] {
  const keys: string[] = ['', 'k'.repeat(MAX_KEY_BYTES), 'é'.repeat(MAX_KEY_BYTES / 2)]
  const alphabets = ['abcdefghijklmnopqrstuvwxyz0123456789:', 'ключзначение', '鍵値キャッシュ', '😀🚀☕', 'éàü']
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
  // Now and then a value of 300–600 KiB: stored in chained segments by the roomy cache, refused by the
  // tight one (its largest entry is ~236 KiB), so an overwrite is refused and the old value must go.
  if (rng.nextInt(64) === 0) return 'L'.repeat(300_000 + rng.nextInt(300_000))
  switch (rng.nextInt(9)) {
    case 0: return ''
    case 1: return 'v'.repeat(rng.nextInt(200))
    case 2: return 'значение☕'.repeat(1 + rng.nextInt(20))
    case 3: return rng.nextInt(1e9) - 5e8 + rng.nextFloat()
    case 4: return { id: rng.nextInt(1000), tags: ['a', 'b'], nested: { ok: rng.nextFloat() < 0.5 } }
    case 5: return Buffer.from(Array.from({ length: rng.nextInt(64) }, () => rng.nextInt(256)))
    case 6: return new Uint8Array(rng.nextInt(4))
    case 7: return rng.nextFloat() < 0.5 ? null : true
    default: return 'x'.repeat(1000 + rng.nextInt(7000))
  }
}

function run(seed: number, opts: { ops: number; roomy: boolean; policy: 'adaptive' | 'clock' }): void {
  const rng = new Prng(seed)
  let now = 1_700_000_000_000
  const cache = opts.roomy
    ? new Cache<unknown>({ maxBytes: 64 << 20, clock: () => now, policy: opts.policy, seed })
    : new Cache<unknown>({ maxBytes: 1 << 20, maxEntries: 400, clock: () => now, policy: opts.policy, seed })
  const model = new Map<string, Modelled>()
  const keys = makeKeys(rng, 1500)
  const live = (k: string): Modelled | undefined => {
    const m = model.get(k)
    if (m && m.expiry <= now) {
      model.delete(k)
      return undefined
    }
    return m
  }
  const check = (k: string, got: unknown, what: string) => {
    const m = live(k)
    if (m === undefined) {
      expect(got, `${what} ${JSON.stringify(k)} should miss`).toBeUndefined()
    } else if (got === undefined) {
      expect(opts.roomy, `${what} ${JSON.stringify(k)} missed in a roomy cache`).toBe(false)
      model.delete(k)
    } else {
      expect(got, `${what} ${JSON.stringify(k)}`).toEqual(m.value)
    }
  }
  try {
    for (let op = 0; op < opts.ops; op++) {
      const r = rng.nextFloat()
      const key = keys[rng.nextInt(keys.length)]
      if (r < 0.4) {
        const value = makeValue(rng)
        const ttl = rng.nextFloat() < 0.3 ? 1 + rng.nextInt(5000) : 0
        const stored = cache.set(key, value, { ttl })
        if (opts.roomy) expect(stored, `set ${JSON.stringify(key)} in a roomy cache`).toBe(true)
        if (stored) model.set(key, { value, expiry: ttl > 0 ? now + ttl : Infinity })
        else model.delete(key)
      } else if (r < 0.7) {
        check(key, cache.get(key), 'get')
      } else if (r < 0.74) {
        check(key, cache.peek(key), 'peek')
      } else if (r < 0.77) {
        const has = cache.has(key)
        if (live(key) === undefined) expect(has).toBe(false)
        else if (!has) { expect(opts.roomy).toBe(false); model.delete(key) }
      } else if (r < 0.8) {
        const remaining = cache.getRemainingTTL(key)
        const m = live(key)
        if (m === undefined) expect(remaining).toBe(0)
        else if (remaining === 0) { expect(opts.roomy).toBe(false); model.delete(key) }
        else expect(remaining).toBe(m.expiry === Infinity ? Infinity : m.expiry - now)
      } else if (r < 0.88) {
        const deleted = cache.delete(key)
        if (live(key) === undefined) expect(deleted).toBe(false)
        else if (opts.roomy) expect(deleted).toBe(true)
        model.delete(key)
      } else if (r < 0.91) {
        const batch = Array.from({ length: 1 + rng.nextInt(40) }, () => keys[rng.nextInt(keys.length)])
        const got = cache.getMany(batch)
        batch.forEach((k, i) => check(k, got[i], 'getMany'))
      } else if (r < 0.94) {
        const batch = Array.from({ length: 1 + rng.nextInt(40) }, () => [keys[rng.nextInt(keys.length)], makeValue(rng)] as const)
        const ttl = rng.nextFloat() < 0.3 ? 1 + rng.nextInt(5000) : 0
        const stored = cache.setMany(batch, { ttl })
        batch.forEach(([k, v], i) => {
          if (opts.roomy) expect(stored[i]).toBe(true)
          if (stored[i]) model.set(k, { value: v, expiry: ttl > 0 ? now + ttl : Infinity })
          else model.delete(k)
        })
      } else if (r < 0.97) {
        now += rng.nextInt(rng.nextFloat() < 0.9 ? 50 : 3000)
      } else if (r < 0.999) {
        // Land 1 ms before, at, or after a live entry's deadline and read it there.
        const at = nearDeadline(rng, model, now)
        if (at !== undefined) {
          now = at.now
          check(at.key, rng.nextFloat() < 0.5 ? cache.get(at.key) : cache.peek(at.key), 'read at a deadline')
        }
      } else {
        cache.clear()
        model.clear()
        expect(cache.size).toBe(0)
      }
      if (op % 4000 === 0) {
        expect(cache.verify()).toEqual([])
        const s = cache.stats()
        expect(s.bytesUsed).toBeLessThanOrEqual(s.bytesTotal)
        if (!opts.roomy) expect(cache.size).toBeLessThanOrEqual(400)
        else expect(s.evictions).toBe(0)
      }
    }
    expect(cache.verify()).toEqual([])
    // Everything the model still holds (and has not expired) is in the cache, with the same value.
    for (const [k] of model) check(k, cache.peek(k), 'final peek')
    if (opts.roomy) expect(cache.stats().evictions).toBe(0)
  } finally {
    cache.close()
  }
}

// 80k operations each: about 20 s on a quiet host, several times that on a loaded one.
describe('model-based random operations', () => {
  it('a roomy cache agrees with the model exactly (adaptive policy)', () => {
    run(testSeed(1001), { ops: 80_000, roomy: true, policy: 'adaptive' })
  }, 240_000)
  it('a tight cache agrees with the model except for evictions (adaptive policy)', () => {
    run(testSeed(2002), { ops: 80_000, roomy: false, policy: 'adaptive' })
  }, 240_000)
  it('a tight cache agrees with the model except for evictions (clock policy)', () => {
    run(testSeed(3003), { ops: 50_000, roomy: false, policy: 'clock' })
  }, 240_000)
})
