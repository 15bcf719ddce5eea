/**
 * Random operations against each engine and a plain Map model: the cache must agree on every
 * observable result, except that under capacity pressure an entry may be evicted (then the model
 * forgets it too). With a roomy cache not even that is allowed.
 */
import { it, expect } from 'vitest'
import { Cache, MAX_KEY_BYTES } from '../../src/index.js'
import { Prng } from '../../bench/workloads/prng.js'
import { testSeed } from '../helpers/seed.js'
import { forEachEngine, makeCache, type Engine } from './engines.js'
import { nearDeadline } from '../helpers/deadlines.js'

interface Modelled { value: unknown; expiry: number }

/** Unicode, empty and maximal keys among many short ones, a tenth of them a few hundred bytes long. */
function makeKeys(rng: Prng, n: number): string[] {
  const prefixes = ['ascii', 'ключ', '鍵値', '😀☕']
  const keys = new Set(['', 'k'.repeat(MAX_KEY_BYTES), 'é'.repeat(MAX_KEY_BYTES / 2)])
  while (keys.size < n) {
    const tail = rng.nextFloat() < 0.1 ? '~'.repeat(rng.nextInt(300)) : ''
    keys.add(`${prefixes[rng.nextInt(prefixes.length)]}:${rng.nextInt(1e9).toString(36)}${tail}`)
  }
  return [...keys]
}

/** One maker per kind of value the codecs store (strings of both widths, numbers, objects, bytes). */
const VALUES: ((rng: Prng) => unknown)[] = [
  (rng) => 'v'.repeat(rng.nextInt(200)),
  (rng) => 'значение☕'.repeat(1 + rng.nextInt(20)),
  (rng) => rng.nextInt(1e9) - 5e8 + rng.nextFloat(),
  (rng) => ({ id: rng.nextInt(1000), tags: ['a', 'b'] }),
  (rng) => Buffer.from(Array.from({ length: rng.nextInt(64) }, () => rng.nextInt(256))),
  (rng) => (rng.nextFloat() < 0.5 ? null : true),
  (rng) => 'x'.repeat(1000 + rng.nextInt(20_000)),
]
const makeValue = (rng: Prng) => VALUES[rng.nextInt(VALUES.length)]!(rng)

/**
 * `front`: the reading cache has a front (front.ts) small enough to evict, objects shared; half the
 * writes go through a second attachment (as another thread's would), so the front learns of them only
 * by validating against the arena.
 */
function run(engine: Engine, seed: number, ops: number, roomy: boolean, front = false): void {
  const rng = new Prng(seed)
  let now = 1_700_000_000_000
  const frontOption = front ? { front: { maxBytes: 128 << 10, shareObjects: true } } : {}
  const cache = roomy
    ? makeCache<unknown>(engine, { maxBytes: 32 << 20, clock: () => now, seed, ...frontOption })
    : makeCache<unknown>(engine, { maxBytes: 1 << 20, maxEntries: 300, clock: () => now, seed, ...frontOption })
  const other = front ? Cache.attach<unknown>(cache.handle, { clock: () => now }) : cache
  const writer = () => (front && rng.nextFloat() < 0.5 ? other : cache)
  const model = new Map<string, Modelled>()
  const keys = makeKeys(rng, 1000)
  // What the model says a key holds now (expired entries leave the model as they leave the cache).
  const modelled = (k: string): Modelled | undefined => {
    const m = model.get(k)
    return m === undefined || m.expiry > now ? m : (model.delete(k), undefined)
  }
  const check = (k: string, got: unknown, what: string) => {
    const want = modelled(k)
    if (want !== undefined && got === undefined && !roomy) model.delete(k) // evicted: allowed when tight
    else expect(got, `${what} of ${JSON.stringify(k).slice(0, 40)}`).toEqual(want?.value)
  }
  const randomKey = () => keys[rng.nextInt(keys.length)]!
  const store = (k: string, v: unknown, stored: boolean, ttl = 0) => {
    if (roomy) expect(stored, `set of ${k.slice(0, 40)}`).toBe(true)
    if (stored) model.set(k, { value: v, expiry: ttl > 0 ? now + ttl : Infinity })
    else model.delete(k)
  }
  // Operations and how often each runs.
  const operations: [number, () => void][] = [
    [0.4, () => {
      const [k, v, ttl] = [randomKey(), makeValue(rng), rng.nextFloat() < 0.3 ? 1 + rng.nextInt(5000) : 0]
      store(k, v, writer().set(k, v, { ttl }), ttl)
    }],
    [0.3, () => { const k = randomKey(); check(k, cache.get(k), 'get') }],
    [0.05, () => { const k = randomKey(); check(k, cache.peek(k), 'peek') }],
    [0.1, () => {
      const k = randomKey()
      const present = modelled(k) !== undefined
      const deleted = writer().delete(k)
      if (!present || roomy) expect(deleted).toBe(present)
      model.delete(k)
    }],
    [0.05, () => {
      const ks = Array.from({ length: 1 + rng.nextInt(40) }, randomKey)
      cache.getMany(ks).forEach((got, i) => check(ks[i]!, got, 'getMany'))
    }],
    [0.04, () => {
      const batch = Array.from({ length: 1 + rng.nextInt(40) }, () => [randomKey(), makeValue(rng)] as const)
      writer().setMany(batch).forEach((stored, i) => store(batch[i]![0], batch[i]![1], stored))
    }],
    [0.04, () => { now += rng.nextInt(rng.nextFloat() < 0.9 ? 50 : 3000) }],
    // Land 1 ms before, at, or after a live entry's deadline and read it there.
    [0.02, () => {
      const at = nearDeadline(rng, model, now)
      if (at === undefined) return
      now = at.now
      check(at.key, rng.nextFloat() < 0.5 ? cache.get(at.key) : cache.peek(at.key), 'read at a deadline')
    }],
  ]
  try {
    for (let op = 0; op < ops; op++) {
      let r = rng.nextFloat()
      const [, run] = operations.find(([weight]) => (r -= weight) < 0) ?? operations[operations.length - 1]!
      run()
      if (op % 5000 === 0) expect(cache.verify()).toEqual([])
    }
    expect(cache.verify()).toEqual([])
    for (const [k] of model) check(k, cache.peek(k), 'final peek')
    if (roomy) expect(cache.stats().evictions).toBe(0)
    else expect(cache.size).toBeLessThanOrEqual(300)
    if (front) expect(cache.stats().frontHits, 'the front served some gets').toBeGreaterThan(0)
  } finally {
    if (other !== cache) other.close()
    cache.close()
  }
}

forEachEngine('model-based random operations', (engine) => {
  it('a roomy cache agrees with the model exactly', () => run(engine, testSeed(1001), 15_000, true))
  it('a tight cache agrees with the model except for evictions', () => run(engine, testSeed(2002), 15_000, false))
  it('with a front, writes through another attachment: a roomy cache agrees exactly', () => run(engine, testSeed(3003), 15_000, true, true))
  it('with a front, writes through another attachment: a tight cache agrees except for evictions', () => run(engine, testSeed(4004), 15_000, false, true))
})
