/**
 * getOrLoad in one thread: one loader call per key whatever the number of callers, the same failure for
 * every waiter, per-caller abort and timeout, `undefined` as a miss, negative caching, stale-on-error.
 */
import { describe, it, expect, afterEach } from 'vitest'
import { Cache, isCortadoError } from '../../src/index.js'
import type { LoaderContext } from '../../src/loading/index.js'
import { nativeAddon } from '../../src/engine/native/load.js'

const caches: Cache<unknown>[] = []
function newCache<V>(options: { ttl?: number; clock?: () => number } = {}): Cache<V> {
  const c = new Cache<V>({ maxBytes: 4 << 20, ...options })
  caches.push(c as Cache<unknown>)
  return c
}
afterEach(() => {
  for (const c of caches.splice(0)) c.close()
})

/** A promise with its resolvers, to control when a loader finishes. */
function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej })
  return { promise, resolve, reject }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('single-flight in one thread', () => {
  it('1000 concurrent getOrLoad of one key call the loader once and all get its value', async () => {
    const cache = newCache<{ n: number }>()
    let calls = 0
    const gate = deferred<void>()
    const loader = async () => {
      calls++
      await gate.promise
      return { n: 42 }
    }
    const all = Array.from({ length: 1000 }, () => cache.getOrLoad('hot', loader))
    await tick()
    // The loader is held for at least 30 ms of real time (a timer never fires early by more than its
    // 1 ms rounding), so the one load's time is at least that: a lower bound no host load can break.
    await new Promise((r) => setTimeout(r, 30))
    gate.resolve()
    const values = await Promise.all(all)
    expect(calls).toBe(1)
    expect(values.every((v) => v?.n === 42)).toBe(true)
    expect(cache.get('hot')).toEqual({ n: 42 })
    // Now cached: no further call.
    expect(await cache.getOrLoad('hot', loader)).toEqual({ n: 42 })
    expect(calls).toBe(1)
    const s = cache.stats()
    expect(s.loadSuccesses).toBe(1)
    expect(s.loadFailures).toBe(0)
    expect(s.loadTimeMs).toBeGreaterThanOrEqual(28)
  })

  it('a loader that calls getOrLoad of its own key gets a clear ERR_LOADER, not an internal TypeError', async () => {
    const cache = newCache<string>()
    let signal: AbortSignal | undefined
    let inner: unknown
    const outer = cache.getOrLoad('self', (key, ctx) => {
      signal = ctx.signal
      // Synchronously, before its flight has a promise: joining it threw "reading 'then'" of undefined,
      // and leaving it as its last caller aborted the outer load's signal.
      return cache.getOrLoad(key, async () => 'never').catch((e: unknown) => { inner = e; return 'recovered' })
    })
    expect(await outer).toBe('recovered')
    expect(inner).toMatchObject({ code: 'ERR_LOADER', message: expect.stringContaining("called by that key's own loader") })
    expect(signal?.aborted).toBe(false)
    expect(cache.get('self')).toBe('recovered')
  })

  for (const engine of nativeAddon() ? ['wasm', 'native'] as const : ['wasm'] as const) {
    it(`a loader that ignores its signal and hangs does not hold its key once every caller gave up (${engine})`, async () => {
      // The abandoned load kept its slot in the cross-thread table (and its heartbeat): the next caller
      // found the key "being loaded" there and waited for it, as did every caller after, for good.
      const cache = new Cache<string>({ maxBytes: 4 << 20, engine })
      caches.push(cache as Cache<unknown>)
      const hung = deferred<string>()
      let hungSignal: AbortSignal | undefined
      await expect(cache.getOrLoad('k', (_, { signal }) => { hungSignal = signal; return hung.promise }, { timeout: 30 }))
        .rejects.toMatchObject({ code: 'ERR_TIMEOUT' })
      expect(hungSignal?.aborted).toBe(true)
      expect(await cache.getOrLoad('k', async () => 'fresh', { timeout: 2000 })).toBe('fresh')
      // Its value arriving late is older than the load that followed: not stored over it.
      hung.resolve('late')
      await tick()
      expect(cache.get('k')).toBe('fresh')
      // Alone (no newer load or write), a late value is still stored, as documented.
      const alone = deferred<string>()
      await expect(cache.getOrLoad('j', () => alone.promise, { timeout: 30 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' })
      alone.resolve('late but alone')
      await tick()
      expect(cache.get('j')).toBe('late but alone')
    })

    it(`a background refresh that hangs is abandoned once callers waited for it and gave up (${engine})`, async () => {
      let now = 1000
      const cache = new Cache<string>({ maxBytes: 4 << 20, engine, clock: () => now })
      caches.push(cache as Cache<unknown>)
      const o = { ttl: 1000, softTtl: 100, timeout: 30 }
      expect(await cache.getOrLoad('k', async () => 'v1', o)).toBe('v1')
      now += 200
      let refreshSignal: AbortSignal | undefined
      const hang = (_: string, { signal }: LoaderContext<string>) => { refreshSignal = signal; return new Promise<string>(() => {}) }
      expect(await cache.getOrLoad('k', hang, o)).toBe('v1')
      expect(cache.stats().refreshes).toBe(1)
      now += 2000
      // Past the hard TTL the caller waits for the refresh, and times out...
      await expect(cache.getOrLoad('k', async () => 'fresh', o)).rejects.toMatchObject({ code: 'ERR_TIMEOUT' })
      expect(refreshSignal?.aborted).toBe(true)
      // ...and the next one loads (every later caller timed out, for good).
      expect(await cache.getOrLoad('k', async () => 'fresh', o)).toBe('fresh')
    })
  }

  it('a timeout past Node\'s timer limit is refused (it fired after 1 ms: every load failed at once)', async () => {
    const cache = newCache<string>()
    const slow = () => new Promise<string>((r) => setTimeout(() => r('v'), 20))
    for (const call of [() => cache.getOrLoad('k', slow, { timeout: 3e9 }), () => cache.withLoader(slow, { timeout: 3e9 }).get('k'),
      () => cache.warm(['k'], slow, { timeout: 3e9 })])
      await expect((async () => call())()).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining('timeout must be at most 2147483647 ms') })
    expect(await cache.getOrLoad('k', slow, { timeout: 2 ** 31 - 1 })).toBe('v')
  })

  it('different keys load independently', async () => {
    const cache = newCache<string>()
    const calls: string[] = []
    const values = await Promise.all(['a', 'b', 'a', 'c', 'b'].map((k) => cache.getOrLoad(k, async (key) => {
      calls.push(key)
      return `v-${key}`
    })))
    expect(values).toEqual(['v-a', 'v-b', 'v-a', 'v-c', 'v-b'])
    expect(calls.sort()).toEqual(['a', 'b', 'c'])
  })

  it('a failing loader fails every waiter with the same ERR_LOADER, caches nothing, and the next call retries', async () => {
    const cache = newCache<string>()
    let calls = 0
    const boom = new Error('db down')
    const gate = deferred<void>()
    const failing = async () => {
      calls++
      await gate.promise
      throw boom
    }
    const all = Array.from({ length: 50 }, () => cache.getOrLoad('k', failing).then(() => 'resolved', (e: unknown) => e))
    await tick()
    gate.resolve()
    const errors = await Promise.all(all)
    expect(calls).toBe(1)
    const first = errors[0]
    expect(isCortadoError(first, 'ERR_LOADER')).toBe(true)
    expect((first as Error).cause).toBe(boom)
    expect(errors.every((e) => e === first)).toBe(true)
    expect(cache.has('k')).toBe(false)
    expect(cache.stats().loadFailures).toBe(1)
    // Not cached: the next call runs the loader again.
    expect(await cache.getOrLoad('k', async () => 'ok')).toBe('ok')
  })

  it('a loader that throws synchronously is a failure like any other', async () => {
    const cache = newCache<string>()
    await expect(cache.getOrLoad('k', () => { throw new TypeError('sync') })).rejects.toMatchObject({ code: 'ERR_LOADER' })
  })

  it('a cache closed while a load runs: every caller of that load rejects with ERR_CLOSED', async () => {
    const cache = newCache<string>()
    const gate = deferred<string>()
    const callers = [cache.getOrLoad('k', () => gate.promise), cache.getOrLoad('k', () => gate.promise)]
    await tick()
    cache.close()
    gate.resolve('late')
    for (const caller of callers) await expect(caller).rejects.toSatisfy((err) => isCortadoError(err, 'ERR_CLOSED'))
  })

  it('undefined is a miss: nothing stored, undefined returned, the next call loads again', async () => {
    const cache = newCache<string>()
    let calls = 0
    const loader = async () => { calls++; return undefined }
    expect(await Promise.all([cache.getOrLoad('gone', loader), cache.getOrLoad('gone', loader)])).toEqual([undefined, undefined])
    expect(calls).toBe(1)
    expect(cache.has('gone')).toBe(false)
    await cache.getOrLoad('gone', loader)
    expect(calls).toBe(2)
  })

  it('abort: the aborting caller gets ERR_ABORTED, the others still get the value', async () => {
    const cache = newCache<string>()
    const gate = deferred<void>()
    let signal: AbortSignal | undefined
    const loader = async (_k: string, ctx: LoaderContext<string>) => {
      signal = ctx.signal
      await gate.promise
      return 'v'
    }
    const ac = new AbortController()
    const aborting = cache.getOrLoad('k', loader, { signal: ac.signal })
    const staying = cache.getOrLoad('k', loader)
    await tick()
    ac.abort()
    await expect(aborting).rejects.toMatchObject({ code: 'ERR_ABORTED' })
    expect(signal!.aborted).toBe(false)
    gate.resolve()
    expect(await staying).toBe('v')
    expect(cache.get('k')).toBe('v')
  })

  it('abort: when every caller gave up, the loader signal is aborted; a new caller loads anew', async () => {
    const cache = newCache<string>()
    const gate = deferred<void>()
    let signal: AbortSignal | undefined
    const ac = new AbortController()
    const p = cache.getOrLoad('k', async (_k, ctx) => {
      signal = ctx.signal
      await gate.promise
      return 'late'
    }, { signal: ac.signal })
    await tick()
    ac.abort(new Error('client went away'))
    const err = await p.catch((e: unknown) => e)
    expect(isCortadoError(err, 'ERR_ABORTED')).toBe(true)
    expect((err as Error).cause).toBeInstanceOf(Error)
    expect(signal!.aborted).toBe(true)
    // A new caller does not join the abandoned load: it starts its own at once (until stop 38 it waited
    // for the abandoned load's slot in the table, for good when that loader never settled). The late
    // value is older than the new load's, so it is not stored over it.
    gate.resolve()
    expect(await cache.getOrLoad('k', async () => 'fresh')).toBe('fresh')
    await tick()
    expect(cache.get('k')).toBe('fresh')
  })

  it('an already aborted signal rejects at once without calling the loader', async () => {
    const cache = newCache<string>()
    let calls = 0
    await expect(cache.getOrLoad('k', async () => { calls++; return 'v' }, { signal: AbortSignal.abort() }))
      .rejects.toMatchObject({ code: 'ERR_ABORTED' })
    expect(calls).toBe(0)
  })

  it('timeout: ERR_TIMEOUT for that caller; the loader is aborted when nobody else waits', async () => {
    const cache = newCache<string>()
    let signal: AbortSignal | undefined
    const never = (_k: string, ctx: LoaderContext<string>) => {
      signal = ctx.signal
      return new Promise<string>((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)))
    }
    const err = await cache.getOrLoad('slow', never, { timeout: 30 }).catch((e: unknown) => e)
    expect(isCortadoError(err, 'ERR_TIMEOUT')).toBe(true)
    await tick()
    expect(signal!.aborted).toBe(true)
    expect(cache.has('slow')).toBe(false)
  })

  it('timeout of one caller leaves a caller without timeout waiting for the value', async () => {
    const cache = newCache<string>()
    const gate = deferred<void>()
    const loader = async () => { await gate.promise; return 'v' }
    const short = cache.getOrLoad('k', loader, { timeout: 20 })
    const patient = cache.getOrLoad('k', loader)
    await expect(short).rejects.toMatchObject({ code: 'ERR_TIMEOUT' })
    gate.resolve()
    expect(await patient).toBe('v')
  })

  it('negative caching: a failure is served from the cache for negativeTtl, then retried', async () => {
    let now = 1_000
    const cache = newCache<string>({ clock: () => now })
    let calls = 0
    const failing = async () => { calls++; throw Object.assign(new Error('not found upstream'), { code: 'E_UP' }) }
    const first = await cache.getOrLoad('k', failing, { negativeTtl: 500 }).catch((e: unknown) => e)
    const second = await cache.getOrLoad('k', failing, { negativeTtl: 500 }).catch((e: unknown) => e)
    expect(calls).toBe(1)
    expect(isCortadoError(second, 'ERR_LOADER')).toBe(true)
    expect((second as Error).message).toBe((first as Error).message)
    expect(((second as Error).cause as { code?: string }).code).toBe('E_UP')
    // Plain reads see a cached failure as a miss.
    expect(cache.get('k')).toBeUndefined()
    now += 501
    expect(await cache.getOrLoad('k', async () => 'back', { negativeTtl: 500 })).toBe('back')
  })

  it('a cached failure is a miss for every plain read: has, peek, getMany, getRemainingTTL and iteration', async () => {
    // Before: get said undefined, but has() said true, getRemainingTTL() gave the negativeTtl left,
    // and iteration listed the key, entries()/values()/forEach() with the value undefined.
    let now = 1_000
    const cache = newCache<string>({ clock: () => now })
    cache.set('plain', 'v')
    await cache.getOrLoad('failed', async () => { throw new Error('down') }, { negativeTtl: 500 }).catch(() => undefined)
    await cache.getOrLoad('loaded', async () => 'w', { ttl: 1_000, softTtl: 100, staleIfError: 1_000 })
    expect(cache.get('failed')).toBeUndefined()
    expect(cache.peek('failed')).toBeUndefined()
    expect(cache.has('failed')).toBe(false)
    expect(cache.getMany(['failed', 'plain'])).toEqual([undefined, 'v'])
    expect(cache.getRemainingTTL('failed')).toBe(0)
    expect([...cache.keys()].sort()).toEqual(['loaded', 'plain'])
    expect(new Map(cache.entries())).toEqual(new Map([['loaded', 'w'], ['plain', 'v']]))
    expect([...cache.values()].sort()).toEqual(['v', 'w'])
    const seen: string[] = []
    cache.forEach((_, key) => seen.push(key))
    expect(seen.sort()).toEqual(['loaded', 'plain'])
    // A loaded value is still a value for them.
    expect(cache.has('loaded')).toBe(true)
    // The failure still answers getOrLoad until negativeTtl ends, then the key loads again.
    await expect(cache.getOrLoad('failed', async () => 'never')).rejects.toMatchObject({ code: 'ERR_LOADER' })
    now += 501
    expect(await cache.getOrLoad('failed', async () => 'back')).toBe('back')
    expect(cache.has('failed')).toBe(true)
    // An invalidation by predicate still ends a cached failure (the row exists now): it loads again at once.
    await cache.getOrLoad('gone', async () => { throw new Error('no row') }, { negativeTtl: 60_000 }).catch(() => undefined)
    expect(cache.invalidate((key) => key === 'gone')).toBe(1)
    expect(await cache.getOrLoad('gone', async () => 'row')).toBe('row')
  })

  it('serve-stale-on-error: past the hard TTL a failed reload returns the kept value (staleHits)', async () => {
    let now = 1_000
    const cache = newCache<string>({ clock: () => now })
    const o = { ttl: 100, staleIfError: 1_000 }
    expect(await cache.getOrLoad('k', async () => 'v1', o)).toBe('v1')
    now += 150
    let calls = 0
    expect(await cache.getOrLoad('k', async () => { calls++; throw new Error('down') }, o)).toBe('v1')
    expect(calls).toBe(1)
    expect(cache.stats().staleHits).toBe(1)
    expect(cache.stats().loadFailures).toBe(1)
    // Without the option, the same situation throws.
    await expect(cache.getOrLoad('k', async () => { throw new Error('down') }, { ttl: 100 })).rejects.toMatchObject({ code: 'ERR_LOADER' })
    // Past hard TTL + staleIfError the value is gone.
    now += 1_000
    await expect(cache.getOrLoad('k', async () => { throw new Error('down') }, o)).rejects.toMatchObject({ code: 'ERR_LOADER' })
  })

  // The large value is chained over segments: has() and getRemainingTTL read its envelope's header from
  // the chain's first bytes.
  for (const [engine, front, size] of [['wasm', false, 2], ['wasm', true, 2], ['wasm', false, 300_000], ...(nativeAddon() ? [['native', false, 2], ['native', false, 300_000]] as const : [])] as const) {
    it(`a value kept past its ttl for staleIfError is a miss for every plain read (${engine}${front ? ', with a front' : ''}, ${size} characters)`, async () => {
      const v1 = 'v1'.padEnd(size, 'x')
      // The entry outlives the hard TTL only for getOrLoad's stale-on-error. Before, get/peek/getMany,
      // has, iteration (and a front) served it up to ttl + staleIfError, and getRemainingTTL counted
      // the extra time: "expired entries are never returned" did not hold for loaded values.
      let now = 1_000
      const cache = new Cache<string>({ maxBytes: 64 << 20, clock: () => now, front, engine })
      caches.push(cache as Cache<unknown>)
      const o = { ttl: 100, softTtl: 50, staleIfError: 1_000 }
      expect(await cache.getOrLoad('k', async () => v1, o)).toBe(v1)
      cache.set('plain', 'p')
      for (let i = 0; i < 20; i++) expect(cache.get('k')).toBe(v1)
      expect(cache.getRemainingTTL('k')).toBe(100)
      now += 60 // stale (past softTtl) but within ttl: still a value for plain reads
      expect(cache.get('k')).toBe(v1)
      expect(cache.has('k')).toBe(true)
      expect(cache.getRemainingTTL('k')).toBe(40)
      now += 90 // past ttl, within staleIfError
      const counted = cache.stats()
      expect(cache.get('k')).toBeUndefined()
      expect(cache.getMany(['k'])).toEqual([undefined])
      expect(cache.stats().misses - counted.misses).toBe(2)
      expect(cache.stats().hits - counted.hits).toBe(0)
      expect(cache.peek('k')).toBeUndefined()
      expect(cache.has('k')).toBe(false)
      expect(cache.getMany(['k', 'plain'])).toEqual([undefined, 'p'])
      expect(cache.getRemainingTTL('k')).toBe(0)
      expect([...cache.keys()]).toEqual(['plain'])
      expect([...cache.entries()]).toEqual([['plain', 'p']])
      // getOrLoad still has it to serve when the reload fails.
      expect(await cache.getOrLoad('k', async () => { throw new Error('down') }, o)).toBe(v1)
      expect(cache.stats().staleHits).toBe(1)
    })
  }

  it('a value the codec cannot store fails the callers with ERR_INVALID_VALUE', async () => {
    const cache = new Cache<string>({ maxBytes: 4 << 20, codec: 'string' })
    caches.push(cache as Cache<unknown>)
    await expect(cache.getOrLoad('k', async () => 5 as unknown as string)).rejects.toMatchObject({ code: 'ERR_INVALID_VALUE' })
  })

  it('bad arguments are CortadoErrors', async () => {
    const cache = newCache<string>()
    await expect(cache.getOrLoad(1 as unknown as string, async () => 'v')).rejects.toMatchObject({ code: 'ERR_INVALID_KEY' })
    await expect(cache.getOrLoad('k', 'nope' as never)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    await expect(cache.getOrLoad('k', async () => 'v', { ttl: -1 })).rejects.toMatchObject({ code: 'ERR_INVALID_TTL' })
    await expect(cache.getOrLoad('k', async () => 'v', { ttl: 10, softTtl: 20 })).rejects.toMatchObject({ code: 'ERR_INVALID_TTL' })
    await expect(cache.getOrLoad('k', async () => 'v', { timeout: 0 })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    await expect(cache.getOrLoad('k', async () => 'v', { leaseMs: 10 })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    await expect(cache.getOrLoad('k', async () => 'v', { bogus: 1 } as never)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    await expect(cache.getOrLoad('k', async () => 'v', { signal: {} } as never)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
  })

  it('withLoader binds the loader and defaults; calls can override them', async () => {
    const cache = newCache<string>()
    let calls = 0
    const users = cache.withLoader(async (id) => { calls++; return `user ${id}` }, { ttl: 60_000 })
    expect(await users.get('1')).toBe('user 1')
    expect(await users.get('1')).toBe('user 1')
    expect(calls).toBe(1)
    expect(cache.getRemainingTTL('1')).toBeGreaterThan(59_000)
    await users.get('2', { ttl: 5 })
    expect(cache.getRemainingTTL('2')).toBeLessThanOrEqual(5)
    expect(() => cache.withLoader(async () => 'v', { ttl: -5 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_TTL' }))
  })
})
