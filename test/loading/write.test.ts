/**
 * Write-through and write-behind around a user store: ordering, failures, and for write-behind
 * draining (nothing lost on flush/close), backpressure when full, and coalescing.
 */
import { describe, it, expect, afterEach } from 'vitest'
import { Cache, isCortadoError } from '../../src/index.js'
import type { Store } from '../../src/loading/index.js'
import { testSeed } from '../helpers/seed.js'

const caches: Cache<unknown>[] = []
function newCache<V>(codec?: 'string'): Cache<V> {
  const c = new Cache<V>({ maxBytes: 4 << 20, ...(codec ? { codec } : {}) })
  caches.push(c as Cache<unknown>)
  return c
}
afterEach(() => {
  for (const c of caches.splice(0)) c.close()
})

/** An in-memory store that records calls; `gate` holds every write until opened. */
class MemoryStore<V> implements Store<V> {
  data = new Map<string, V>()
  saves: [string, V][] = []
  loads = 0
  failNext = 0
  delay: () => number = () => 0
  #gate: Promise<void> | undefined
  #open: (() => void) | undefined

  hold(): void {
    this.#gate = new Promise((r) => { this.#open = r })
  }

  release(): void {
    this.#open?.()
    this.#gate = undefined
  }

  async load(key: string): Promise<V | undefined> {
    this.loads++
    // Read first, answer later: a write may land in between (the race write-through must survive).
    const value = this.data.get(key)
    await new Promise((r) => setTimeout(r, 1))
    return value
  }

  async save(key: string, value: V): Promise<void> {
    await this.#gate
    const ms = this.delay()
    if (ms > 0) await new Promise((r) => setTimeout(r, ms))
    if (this.failNext > 0) {
      this.failNext--
      throw new Error('store unavailable')
    }
    this.saves.push([key, value])
    this.data.set(key, value)
  }

  async delete(key: string): Promise<void> {
    await this.#gate
    if (this.failNext > 0) {
      this.failNext--
      throw new Error('store unavailable')
    }
    this.data.delete(key)
  }
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms))

describe('write-through', () => {
  it('writes the store then the cache; reads load from the store once', async () => {
    const cache = newCache<string>()
    const store = new MemoryStore<string>()
    store.data.set('a', 'from store')
    const wt = cache.writeThrough(store)
    expect(await Promise.all([wt.get('a'), wt.get('a'), wt.get('a')])).toEqual(['from store', 'from store', 'from store'])
    expect(store.loads).toBe(1)
    await wt.set('b', 'written')
    expect(store.data.get('b')).toBe('written')
    expect(cache.get('b')).toBe('written')
    await wt.delete('a')
    expect(store.data.has('a')).toBe(false)
    expect(cache.has('a')).toBe(false)
    expect(wt.stats()).toEqual({ saves: 1, deletes: 1, cacheErrors: 0 })
  })

  it('a store failure rejects the write and leaves the cache untouched', async () => {
    const cache = newCache<string>()
    const store = new MemoryStore<string>()
    const wt = cache.writeThrough(store)
    await wt.set('k', 'old')
    store.failNext = 1
    const failure = await wt.set('k', 'new').then(() => undefined, (e: unknown) => e)
    // Typed as a loader's failure is (ERR_LOADER): ERR_STORE, the store's own error in cause.
    expect(failure).toMatchObject({ code: 'ERR_STORE', message: expect.stringContaining('store unavailable') })
    expect((failure as Error).cause).toBeInstanceOf(Error)
    expect(cache.get('k')).toBe('old')
    store.failNext = 1
    await expect(wt.delete('k')).rejects.toMatchObject({ code: 'ERR_STORE' })
    expect(cache.get('k')).toBe('old')
    // A store that throws before it returns a promise is typed too.
    const throwing = cache.writeThrough({ load: async () => undefined, save: () => { throw new Error('sync failure') }, delete: async () => {} })
    await expect(throwing.set('k', 'x')).rejects.toMatchObject({ code: 'ERR_STORE', message: expect.stringContaining('sync failure') })
    expect(cache.get('k')).toBe('old')
  })

  it('a cache failure after the store write is reported and counted, never thrown; the stale copy is dropped', async () => {
    const cache = newCache<string>('string')
    const store = new MemoryStore<string>()
    const reported: string[] = []
    const wt = cache.writeThrough(store, { onError: (e, key, op) => reported.push(`${op} ${key} ${(e as { code?: string }).code}`) })
    await wt.set('k', 'old')
    await wt.set('k', 42 as unknown as string)
    expect(store.data.get('k')).toBe(42)
    expect(cache.has('k')).toBe(false)
    expect(reported).toEqual(['cache k ERR_INVALID_VALUE'])
    expect(wt.stats().cacheErrors).toBe(1)
  })

  it('concurrent writes of a key reach store and cache in call order', async () => {
    const seed = testSeed(99)
    const cache = newCache<number>()
    const store = new MemoryStore<number>()
    let s = seed
    store.delay = () => { s = (s * 16807) % 2147483647; return s % 4 }
    const wt = cache.writeThrough(store)
    await Promise.all(Array.from({ length: 30 }, (_, i) => wt.set('k', i)))
    expect(store.saves.map(([, v]) => v)).toEqual(Array.from({ length: 30 }, (_, i) => i))
    expect(cache.get('k')).toBe(29)
  })

  it('a read that loaded the old value before a write does not cache it over the write', async () => {
    const cache = newCache<string>()
    const store = new MemoryStore<string>()
    store.data.set('k', 'old')
    const wt = cache.writeThrough(store)
    const reading = wt.get('k')
    await wt.set('k', 'new')
    expect(await reading).toBe('old')
    expect(cache.get('k')).toBe('new')
  })

  it('rejects a store without load/save/delete', () => {
    const cache = newCache<string>()
    expect(() => cache.writeThrough({} as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
  })
})

describe('write-through/behind writes take no options', () => {
  // set(k, v, { ttl }) used to store under the view's TTL and say nothing: the caller's ttl was lost.
  it('set and delete refuse an options argument, store and cache untouched', async () => {
    const cache = newCache<string>()
    const store = new MemoryStore<string>()
    const through = cache.writeThrough(store, { load: { ttl: 60_000 } })
    const behind = cache.writeBehind(store, { delayMs: 0 })
    for (const [view, name] of [[through, 'writeThrough'], [behind, 'writeBehind']] as const) {
      const set = view.set as (k: string, v: string, o?: unknown) => Promise<void>
      const del = view.delete as (k: string, o?: unknown) => Promise<void>
      await expect(set.call(view, 'k', 'v', { ttl: 5 })).rejects.toMatchObject({
        code: 'ERR_INVALID_OPTION', message: expect.stringContaining(`${name} set takes no options; got 'ttl': written values take the view's load options`),
      })
      await expect(set.call(view, 'k', 'v', null)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
      await expect(del.call(view, 'k', { force: true })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    }
    await behind.flush()
    expect(store.saves).toEqual([])
    expect(cache.has('k')).toBe(false)
    // Without options they write as before, under the view's load ttl.
    await through.set('k', 'v')
    expect(cache.getRemainingTTL('k')).toBeGreaterThan(59_000)
    await behind.close()
  })
})

describe('views of a closed cache', () => {
  it('withLoader, writeThrough and writeBehind throw ERR_CLOSED when made, not at their first use', () => {
    const cache = new Cache<string>({ maxBytes: 4 << 20 })
    cache.close()
    const store = new MemoryStore<string>()
    for (const make of [() => cache.withLoader(async () => 'v'), () => cache.writeThrough(store), () => cache.writeBehind(store)])
      expect(make).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }))
  })
})

describe('write-behind', () => {
  it('nothing is lost on flush(): the store ends with the last value of every key', async () => {
    const seed = testSeed(2024)
    const cache = newCache<string>()
    const store = new MemoryStore<string>()
    let s = seed
    const rand = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 4294967296 }
    store.delay = () => (rand() < 0.3 ? 1 : 0)
    const wb = cache.writeBehind(store, { concurrency: 4, delayMs: 1, maxQueue: 1000 })
    const expected = new Map<string, string>()
    for (let i = 0; i < 2000; i++) {
      const key = `k${Math.floor(rand() * 300)}`
      const value = `v${i}`
      expected.set(key, value)
      await wb.set(key, value)
      if (rand() < 0.01) await tick()
    }
    await wb.flush()
    expect(store.data).toEqual(expected)
    const stats = wb.stats()
    expect(stats.queued + stats.inFlight).toBe(0)
    expect(stats.saved + stats.coalesced).toBe(2000)
    expect(stats.coalesced).toBeGreaterThan(0)
    for (const [k, v] of expected) expect(cache.get(k)).toBe(v)
  })

  it('close() drains everything, then refuses writes with ERR_CLOSED', async () => {
    const cache = newCache<string>()
    const store = new MemoryStore<string>()
    const wb = cache.writeBehind(store, { delayMs: 50 })
    for (let i = 0; i < 100; i++) await wb.set(`k${i}`, `v${i}`)
    await wb.delete('k5')
    const result = await wb.close()
    expect(result).toEqual({ written: 100, failed: 0 })
    expect(store.data.size).toBe(99)
    expect(store.data.has('k5')).toBe(false)
    await expect(wb.set('late', 'x')).rejects.toMatchObject({ code: 'ERR_CLOSED' })
    expect(await wb.close()).toEqual({ written: 0, failed: 0 })
  })

  it('a full queue applies backpressure: the write waits for room, then everything is written', async () => {
    const cache = newCache<string>()
    const store = new MemoryStore<string>()
    store.hold()
    const wb = cache.writeBehind(store, { maxQueue: 4, concurrency: 1, delayMs: 0 })
    for (let i = 0; i < 4; i++) await wb.set(`k${i}`, 'v')
    let fifthQueued = false
    const fifth = wb.set('k4', 'v').then(() => { fifthQueued = true })
    let sixthQueued = false
    const sixth = wb.set('k5', 'v').then(() => { sixthQueued = true })
    await tick(10)
    expect(fifthQueued).toBe(false)
    expect(sixthQueued).toBe(false)
    expect(wb.stats().fullWaits).toBe(2)
    // Nothing of a waiting write is visible yet: the cache is only updated once the write is queued.
    expect(cache.has('k4')).toBe(false)
    // Rewriting a key already queued needs no new place.
    await wb.set('k3', 'v2')
    const flushed = wb.flush()
    store.release()
    await Promise.all([fifth, sixth])
    expect(await flushed).toMatchObject({ failed: 0 })
    expect([...store.data.keys()].sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5'])
    expect(store.data.get('k3')).toBe('v2')
  })

  it("onFull: 'throw' rejects with ERR_QUEUE_FULL and changes nothing", async () => {
    const cache = newCache<string>()
    const store = new MemoryStore<string>()
    store.hold()
    const wb = cache.writeBehind(store, { maxQueue: 2, onFull: 'throw', delayMs: 0 })
    await wb.set('a', '1')
    await wb.set('b', '2')
    const err = await wb.set('c', '3').catch((e: unknown) => e)
    expect(isCortadoError(err, 'ERR_QUEUE_FULL')).toBe(true)
    expect(cache.has('c')).toBe(false)
    expect(wb.stats().fullRejections).toBe(1)
    store.release()
    await wb.close()
    expect(store.data.has('c')).toBe(false)
  })

  it('coalesces rewrites of a key: the store sees the one in flight and the last one', async () => {
    const cache = newCache<number>()
    const store = new MemoryStore<number>()
    store.hold()
    const wb = cache.writeBehind(store, { delayMs: 0 })
    await wb.set('k', 0)
    await tick()
    for (let i = 1; i <= 100; i++) await wb.set('k', i)
    expect(wb.stats()).toMatchObject({ queued: 1, inFlight: 1, coalesced: 99 })
    store.release()
    await wb.flush()
    expect(store.saves).toEqual([['k', 0], ['k', 100]])
  })

  it('retries failed writes, then reports and counts the ones that keep failing', async () => {
    const cache = newCache<string>()
    const store = new MemoryStore<string>()
    const errors: string[] = []
    const wb = cache.writeBehind(store, { delayMs: 0, retries: 2, retryDelayMs: 1, onError: (e, key, op) => errors.push(`${op} ${key}`) })
    store.failNext = 2
    await wb.set('flaky', 'ok')
    expect(await wb.flush()).toEqual({ written: 1, failed: 0 })
    expect(store.data.get('flaky')).toBe('ok')
    store.failNext = 3
    await wb.set('doomed', 'x')
    expect(await wb.flush()).toEqual({ written: 0, failed: 1 })
    expect(errors).toEqual(['save doomed'])
    expect(wb.stats()).toMatchObject({ retries: 4, failed: 1, saved: 1 })
  })

  it('write-behind reports a failed write to onError as write-through rejects: ERR_STORE naming op, key and attempts, the store\'s error in cause', async () => {
    const cache = newCache<string>()
    const store = new MemoryStore<string>()
    const got: [unknown, string, string][] = []
    const wb = cache.writeBehind(store, { delayMs: 0, retries: 1, retryDelayMs: 1, onError: (e, key, op) => got.push([e, key, op]) })
    store.failNext = 2
    await wb.set('doomed', 'x')
    await wb.flush()
    store.failNext = 1
    const wb0 = cache.writeBehind(store, { delayMs: 0, retries: 0, onError: (e, key, op) => got.push([e, key, op]) })
    await wb0.delete('gone')
    await wb0.flush()
    // A store that throws a non-Error and one that throws before returning a promise.
    const odd = cache.writeBehind({ load: async () => undefined, save: () => { throw 'down' }, delete: async () => {} },
      { delayMs: 0, retries: 0, onError: (e, key, op) => got.push([e, key, op]) })
    await odd.set('s', 'v')
    await odd.flush()
    expect(got.map(([, key, op]) => `${op} ${key}`)).toEqual(['save doomed', 'delete gone', 'save s'])
    const [save, del, str] = got.map(([e]) => e as Error)
    expect(isCortadoError(save, 'ERR_STORE')).toBe(true)
    expect(save.message).toBe('the store\'s save of key "doomed" failed after 2 attempts: store unavailable')
    expect(save.cause).toBeInstanceOf(Error)
    expect((save.cause as Error).message).toBe('store unavailable')
    expect(del).toMatchObject({ code: 'ERR_STORE', message: 'the store\'s delete of key "gone" failed: store unavailable' })
    expect(str).toMatchObject({ code: 'ERR_STORE', message: 'the store\'s save of key "s" failed: down', cause: 'down' })
    // The same shape as write-through's rejection of the same failure.
    store.failNext = 1
    const wt = cache.writeThrough(store)
    const rejected = await wt.delete('gone').catch((e: unknown) => e)
    expect(rejected).toMatchObject({ code: 'ERR_STORE', message: del.message })
  })

  it('the default write-behind report is one process warning that names the operation and key once', async () => {
    const cache = newCache<string>()
    const store = new MemoryStore<string>()
    const warnings: string[] = []
    const listen = (w: Error) => { if ((w as { code?: string }).code === 'CORTADO_STORE') warnings.push(w.message) }
    process.on('warning', listen)
    try {
      const wb = cache.writeBehind(store, { delayMs: 0, retries: 0 })
      store.failNext = 1
      await wb.set('k', 'v')
      await wb.flush()
      await new Promise((r) => setImmediate(r))
    } finally {
      process.off('warning', listen)
    }
    expect(warnings).toEqual(['cortado: the store\'s save of key "k" failed: store unavailable'])
  })

  it('reads see pending writes even when the cache lost them, without asking the store', async () => {
    const cache = newCache<string>()
    const store = new MemoryStore<string>()
    store.hold()
    store.data.set('k', 'stale in store')
    const wb = cache.writeBehind(store, { delayMs: 0 })
    await wb.set('k', 'pending')
    cache.delete('k')
    expect(await wb.get('k')).toBe('pending')
    expect(store.loads).toBe(0)
    store.release()
    await wb.close()
  })

  it('validates its options', () => {
    const cache = newCache<string>()
    const store = new MemoryStore<string>()
    expect(() => cache.writeBehind(store, { maxQueue: 0 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
    expect(() => cache.writeBehind(store, { onFull: 'drop' as never })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
    expect(() => cache.writeBehind(store, { retries: -1 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
    // Delays past Node's timer limit (2^31 - 1 ms) fired after 1 ms, over and over: refused.
    for (const name of ['delayMs', 'retryDelayMs'])
      expect(() => cache.writeBehind(store, { [name]: 3e9 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining(`${name} must be at most 2147483647 ms`) }))
    expect(cache.writeBehind(store, { delayMs: 2 ** 31 - 1 }).stats().queued).toBe(0)
  })
})
