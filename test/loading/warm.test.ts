/** Warm-up (bounded concurrency, progress, failures counted), `ready`, and invalidate(keys | predicate). */
import { describe, it, expect, afterEach } from 'vitest'
import { Cache } from '../../src/index.js'
import type { WarmProgress } from '../../src/loading/index.js'

const caches: Cache<unknown>[] = []
function newCache<V>(): Cache<V> {
  const c = new Cache<V>({ maxBytes: 4 << 20 })
  caches.push(c as Cache<unknown>)
  return c
}
afterEach(() => {
  for (const c of caches.splice(0)) c.close()
})

const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`)

describe('warm', () => {
  it('loads every key with at most `concurrency` loads at once, reporting progress', async () => {
    const cache = newCache<string>()
    let running = 0
    let peak = 0
    const loader = async (key: string) => {
      running++
      peak = Math.max(peak, running)
      await new Promise((r) => setTimeout(r, 1))
      running--
      if (key === 'k7') throw new Error('bad row')
      if (key === 'k8') return undefined
      return `v-${key}`
    }
    const progress: WarmProgress[] = []
    cache.set('k3', 'already here')
    const result = await cache.warm(keys(40), loader, { concurrency: 5, onProgress: (p) => progress.push(p) })
    expect(peak).toBeLessThanOrEqual(5)
    expect(peak).toBeGreaterThan(1)
    expect(result).toMatchObject({ loaded: 37, skipped: 1, missing: 1, failed: 1, progressErrors: 0 })
    expect(progress.length).toBe(40)
    expect(progress[39].done).toBe(40)
    expect(progress.find((p) => p.key === 'k7')?.error?.code).toBe('ERR_LOADER')
    expect(cache.get('k3')).toBe('already here')
    expect(cache.get('k20')).toBe('v-k20')
    expect(cache.stats().loadFailures).toBe(1)
  })

  it('takes async iterables, reloads present keys on request, survives a throwing onProgress', async () => {
    const cache = newCache<string>()
    cache.set('a', 'old')
    async function* source() {
      for (const k of ['a', 'b', 'c']) {
        await new Promise((r) => setTimeout(r, 1))
        yield k
      }
    }
    const result = await cache.warm(source(), async (k) => `new-${k}`, { reload: true, onProgress: () => { throw new Error('oops') } })
    expect(result).toMatchObject({ loaded: 3, skipped: 0, progressErrors: 3 })
    expect(cache.get('a')).toBe('new-a')
  })

  it('a key source that throws rejects the warm-up with ERR_LOADER (its error in cause); the keys before it are loaded', async () => {
    const cache = newCache<string>()
    async function* source() {
      yield 'a'
      yield 'b'
      throw new Error('listing failed')
    }
    const failure = await cache.warm(source(), async (k) => `v-${k}`, { concurrency: 1 }).then(() => undefined, (e: unknown) => e)
    expect(failure).toMatchObject({ code: 'ERR_LOADER', message: expect.stringContaining('listing failed') })
    expect((failure as Error).cause).toMatchObject({ message: 'listing failed' })
    expect(cache.get('a')).toBe('v-a')
    expect(cache.get('b')).toBe('v-b')
  })

  it('ready resolves once every warm-up has finished (and at once when none runs)', async () => {
    const cache = newCache<string>()
    await cache.ready
    let release!: () => void
    const gate = new Promise<void>((r) => { release = r })
    const warming = cache.warm(['x', 'y'], async (k) => { await gate; return k })
    let isReady = false
    const ready = cache.ready.then(() => { isReady = true })
    await new Promise((r) => setTimeout(r, 10))
    expect(isReady).toBe(false)
    release()
    await ready
    expect(cache.get('x')).toBe('x')
    await warming
  })

  it('a request for a key being warmed shares its load', async () => {
    const cache = newCache<string>()
    let calls = 0
    const loader = async (k: string) => { calls++; await new Promise((r) => setTimeout(r, 5)); return k }
    const warming = cache.warm(['k'], loader)
    expect(await cache.getOrLoad('k', loader)).toBe('k')
    await warming
    expect(calls).toBe(1)
  })

  it('an abort stops starting keys and rejects with ERR_ABORTED', async () => {
    const cache = newCache<string>()
    const ac = new AbortController()
    let calls = 0
    const p = cache.warm(keys(100), async (k) => {
      if (++calls === 3) ac.abort()
      return k
    }, { concurrency: 1, signal: ac.signal })
    await expect(p).rejects.toMatchObject({ code: 'ERR_ABORTED' })
    expect(calls).toBe(3)
  })

  it('bad input', async () => {
    const cache = newCache<string>()
    await expect(cache.warm('abc' as never, async () => 'v')).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    await expect(cache.warm(['a'], async () => 'v', { concurrency: 0 })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    expect(await cache.warm([1 as unknown as string], async () => 'v')).toMatchObject({ failed: 1 })
    // A key the cache can't hold is a failure of that key, reported like a non-string one, not of the whole warm-up.
    const errors: string[] = []
    const result = await cache.warm(['fine', 'cut \uD83D'], async () => 'v', { onProgress: (p) => p.error && errors.push(p.error.code) })
    expect(result).toMatchObject({ loaded: 1, failed: 1 })
    expect(errors).toEqual(['ERR_INVALID_KEY'])
  })
})

describe('invalidate', () => {
  it('removes one key, a list, or whatever matches a predicate, counted in stats', () => {
    const cache = newCache<string>()
    for (const k of ['user:1', 'user:2', 'user:3', 'order:1', 'order:2']) cache.set(k, 'v')
    expect(cache.invalidate('user:1')).toBe(1)
    expect(cache.invalidate(['user:2', 'nope'])).toBe(1)
    expect(cache.invalidate((k) => k.startsWith('order:'))).toBe(2)
    expect([...cache.keys()]).toEqual(['user:3'])
    expect(cache.stats().invalidations).toBe(4)
    expect(() => cache.invalidate(42 as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
    expect(() => cache.invalidate([42 as never])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY' }))
    // A bad key anywhere in the list removes nothing.
    expect(() => cache.invalidate(['user:3', 'cut \uD83D'])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY' }))
    expect(() => cache.invalidate(new Set(['user:3', 7 as never]))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY' }))
    expect([...cache.keys()]).toEqual(['user:3'])
  })

  it('a load in progress when its key is invalidated returns its value but does not cache it', async () => {
    const cache = newCache<string>()
    let release!: () => void
    const gate = new Promise<void>((r) => { release = r })
    const loading = cache.getOrLoad('k', async () => { await gate; return 'read before the change' })
    await new Promise((r) => setTimeout(r, 1))
    cache.invalidate('k')
    release()
    expect(await loading).toBe('read before the change')
    expect(cache.has('k')).toBe(false)
  })
})
