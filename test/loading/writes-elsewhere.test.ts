/**
 * A write of a key from elsewhere while a load of it runs: another worker thread, or another Cache
 * object attached to the same arena in this thread (Cache.attach). writes-during-load.test.ts covers
 * writes through the loading Cache object itself; these reach the load only through the arena's write
 * generations (src/engine/write-gens.ts). The load's callers get what it read; the cache keeps the
 * newer state. On both engines.
 */
import { describe, it, expect, afterEach } from 'vitest'
import { Worker } from 'node:worker_threads'
import { Cache } from '../../src/index.js'
import { nativeAddon } from '../../src/engine/native/load.js'
import { coreOf } from '../../src/engine/access.js'
import { withDeadline } from '../workers/fixtures/run.js'

const engines = nativeAddon() ? ['wasm', 'native'] as const : ['wasm'] as const
const caches: Cache<string>[] = []
afterEach(() => {
  for (const c of caches.splice(0).reverse()) c.close()
})

/** A loader held until `release()`, resolving `value`. */
function heldLoader(value: string) {
  let release!: () => void
  const gate = new Promise<void>((r) => { release = r })
  let started = false
  return { loader: async () => { started = true; await gate; return value }, release, started: () => started }
}

const tick = () => new Promise((r) => setTimeout(r, 1))

// Each write, and what the key holds after it (undefined: nothing).
const writes: [string, (c: Cache<string>, key: string) => void, string | undefined][] = [
  ['set', (c, k) => { c.set(k, 'written during the load') }, 'written during the load'],
  ['setMany', (c, k) => { c.setMany([[k, 'written during the load']]) }, 'written during the load'],
  ['delete', (c, k) => { c.delete(k) }, undefined],
  ['invalidateKey', (c, k) => { c.invalidateKey(k) }, undefined],
  ['clear', (c) => { c.clear() }, undefined],
]

describe.each(engines)('a write from another Cache object during a load (%s)', (engine) => {
  const pair = (): [Cache<string>, Cache<string>] => {
    const a = new Cache<string>({ maxBytes: 4 << 20, engine, codec: 'string' })
    const b = Cache.attach<string>(a.handle)
    caches.push(a, b)
    return [a, b]
  }

  for (const [name, write, after] of writes) {
    it(`${name} through another object is not overwritten by the load's older result`, async () => {
      const [a, b] = pair()
      const { loader, release } = heldLoader('loaded before the write')
      const pending = a.getOrLoad('k', loader)
      await tick()
      write(b, 'k')
      release()
      expect(await pending).toBe('loaded before the write')
      expect(a.get('k')).toBe(after)
      expect(b.get('k')).toBe(after)
      expect(a.stats().loadSuccesses).toBe(1)
      expect(a.verify()).toEqual([])
    })
  }

  it('a failed load\'s negative caching is not stored over a write from another object either', async () => {
    const [a, b] = pair()
    let fail!: () => void
    const gate = new Promise<void>((r) => { fail = r })
    const pending = a.getOrLoad('k', async () => { await gate; throw new Error('boom') }, { negativeTtl: 60_000 }).catch((e: Error) => e.message)
    await tick()
    b.set('k', 'written during the load')
    fail()
    expect(await pending).toMatch(/boom/)
    expect(a.get('k')).toBe('written during the load')
    expect(await a.getOrLoad('k', async () => 'not called')).toBe('written during the load')
  })

  it('a write that came before the load started does not supersede it', async () => {
    const [a, b] = pair()
    b.set('k', 'written before')
    b.delete('k')
    const { loader, release } = heldLoader('loaded')
    const pending = a.getOrLoad('k', loader)
    release()
    expect(await pending).toBe('loaded')
    expect(a.get('k')).toBe('loaded')
  })

  it('a write of another key during the load does not supersede it (another bucket)', async () => {
    const [a, b] = pair()
    const { loader, release } = heldLoader('loaded')
    const pending = a.getOrLoad('k', loader)
    await tick()
    // A key of another bucket (buckets are a hash of the key: 'k' and 'other' differ).
    b.set('other', 'x')
    release()
    expect(await pending).toBe('loaded')
    expect(a.get('k')).toBe('loaded')
    expect(a.get('other')).toBe('x')
  })

  it('the count of loads in progress goes back to zero, so writes stop paying for them', async () => {
    const [a, b] = pair()
    const { loader, release } = heldLoader('loaded')
    const pending = a.getOrLoad('k', loader)
    const failing = a.getOrLoad('f', async () => { throw new Error('boom') }).catch((e: Error) => e.message)
    await tick()
    const active = () => loadsActive(b)
    // 'f' has failed already; 'k' is loading.
    expect(active()).toBe(1)
    release()
    await pending
    expect(await failing).toMatch(/boom/)
    expect(active()).toBe(0)
  })
})

describe.each(engines)('loads that never end stop counting once their slot is retired (%s)', (engine) => {
  it('a Cache closed while its load runs takes the load off the count, and the load ending later takes nothing off', async () => {
    const a = new Cache<string>({ maxBytes: 4 << 20, engine, codec: 'string' })
    caches.push(a)
    const observer = Cache.attach<string>(a.handle)
    caches.push(observer)
    const held = heldLoader('loaded')
    const pending = a.getOrLoad('k', held.loader).catch((e: Error) => e)
    await tick()
    expect(loadsActive(observer)).toBe(1)
    a.close()
    expect(loadsActive(observer)).toBe(0)
    // A new object may claim the slot `a` held, and load in it: `a`'s load ending must not take
    // this one off the count (its lease is gone).
    const c = Cache.attach<string>(observer.handle)
    caches.push(c)
    const second = heldLoader('second')
    const loading = c.getOrLoad('j', second.loader)
    await tick()
    expect(loadsActive(observer)).toBe(1)
    held.release()
    await pending
    expect(loadsActive(observer)).toBe(1)
    second.release()
    expect(await loading).toBe('second')
    expect(loadsActive(observer)).toBe(0)
  })

  it('a worker terminated during its load: the next attach retires its slot and writes stop paying for the load', async () => {
    const cache = new Cache<string>({ maxBytes: 4 << 20, engine, codec: 'string', maxThreads: 8 })
    caches.push(cache)
    const shared = new SharedArrayBuffer(16)
    const flags = new Int32Array(shared)
    const worker = new Worker(new URL('./fixtures/write-elsewhere-worker.mjs', import.meta.url), { workerData: { handle: cache.handle, role: 'load', op: 'set', key: 'k', shared } })
    worker.on('error', () => {})
    try {
      await withDeadline('the loader to start', 20_000, (async () => { while (Atomics.load(flags, 0) === 0) await tick() })(), () => { void worker.terminate() })
      expect(loadsActive(cache)).toBe(1)
    } finally {
      await worker.terminate()
    }
    // Killed mid-load, nothing of its JavaScript ran: with the wasm engine the count stays up until its
    // slot is retired; the native engine's context is dropped with the worker's environment, which
    // releases (retires) the slot already. The OS thread may take a moment to be gone from /proc after
    // the exit event: attach until the count is down.
    if (engine === 'wasm') expect(loadsActive(cache)).toBe(1)
    const deadline = Date.now() + 10_000
    while (loadsActive(cache) !== 0 && Date.now() < deadline) {
      // Closed at once: slots never run out, so only an attach's own look for dead slots retires it.
      Cache.attach<string>(cache.handle).close()
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(loadsActive(cache)).toBe(0)
    expect(cache.stats().loadSuccesses).toBe(0)
    cache.set('k', 'v')
    expect(cache.get('k')).toBe('v')
  }, 30_000)
})

/** The count of loads in progress in every thread (ARENA.loadsInProgress), read through the engine internals. */
function loadsActive(cache: Cache<string>): number {
  const core = coreOf<string>(cache) as unknown as { v: { i32: Int32Array }; loadsActiveIdx: number }
  return Atomics.load(core.v.i32, core.loadsActiveIdx)
}

describe.each(engines)('a write from another worker thread during a load (%s)', (engine) => {
  const ops = ['set', 'setMany', 'delete', 'invalidateKey', 'clear'] as const
  const expected: Record<(typeof ops)[number], string | undefined> = {
    set: 'written during the load', setMany: 'written during the load', delete: undefined, invalidateKey: undefined, clear: undefined,
  }
  for (const op of ops) {
    it(`${op} in one worker while another worker's getOrLoad of the key runs: the load's result is not stored over it`, async () => {
      const cache = new Cache<string>({ maxBytes: 4 << 20, engine, codec: 'string', maxThreads: 8 })
      caches.push(cache)
      const shared = new SharedArrayBuffer(16)
      const flags = new Int32Array(shared)
      const run = (role: 'load' | 'write') => {
        const worker = new Worker(new URL('./fixtures/write-elsewhere-worker.mjs', import.meta.url), { workerData: { handle: cache.handle, role, op, key: 'k', shared } })
        const done = new Promise<{ value?: string; done?: boolean }>((resolve, reject) => {
          worker.once('message', resolve)
          worker.once('error', reject)
          worker.once('exit', (code) => reject(new Error(`${role} worker exited with ${code} before answering`)))
        })
        done.catch(() => {})
        return { worker, done }
      }
      const loading = run('load')
      const writing = run('write')
      const stop = () => { void loading.worker.terminate(); void writing.worker.terminate() }
      try {
        await withDeadline('the loader to start', 20_000, (async () => { while (Atomics.load(flags, 0) === 0) await tick() })(), stop)
        Atomics.store(flags, 1, 1)
        Atomics.notify(flags, 1)
        expect(await withDeadline('the write', 20_000, writing.done, stop)).toEqual({ done: true })
        Atomics.store(flags, 3, 1)
        expect(await withDeadline('the load', 20_000, loading.done, stop)).toEqual({ value: 'loaded before the write' })
        expect(cache.get('k')).toBe(expected[op])
        expect(cache.verify()).toEqual([])
        expect(loadsActive(cache)).toBe(0)
      } finally {
        await Promise.all([loading.worker.terminate(), writing.worker.terminate()])
      }
    }, 60_000)
  }
})
