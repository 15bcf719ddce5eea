/**
 * Cross-thread single-flight over one shared cache: one loader call for every worker (and the main
 * thread), the same error everywhere, and a takeover when the loading thread dies mid-load.
 */
import { describe, it, expect } from 'vitest'
import { Worker } from 'node:worker_threads'
import { Cache } from '../../src/index.js'
import { engineInternals } from '../../src/engine/access.js'
import * as L from '../../src/layout/constants.generated.js'
import { withDeadline } from '../workers/fixtures/run.js'
import { nativeAddon } from '../../src/engine/native/load.js'

const LOADS = 0
const READY = 1
const GO = 2
const STARTED = 3

interface Outcome {
  value?: string
  error?: { code: string; message: string; causeCode?: string }
}

function startLoader(workerData: Record<string, unknown>): { worker: Worker; done: Promise<Outcome> } {
  const worker = new Worker(new URL('./fixtures/load-worker.mjs', import.meta.url), { workerData })
  const done = new Promise<Outcome>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`load worker exited with ${code} before answering`)))
  })
  // Workers terminated on purpose never answer: only an await of `done` should see that.
  done.catch(() => {})
  return { worker, done }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function until(what: string, condition: () => boolean, ms = 20_000): Promise<void> {
  const t0 = performance.now()
  while (!condition()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

function setup(key: string) {
  const cache = new Cache<string>({ maxBytes: 4 << 20, codec: 'string', maxThreads: 16 })
  const shared = new SharedArrayBuffer(16)
  const counters = new Int32Array(shared)
  const go = () => {
    Atomics.store(counters, GO, 1)
    Atomics.notify(counters, GO)
  }
  return { cache, shared, counters, go, key }
}

describe('single-flight across worker threads', () => {
  /** Four workers and the main thread miss `key` at once; the main thread's loader is as slow as theirs. */
  async function fourWorkersAndMain(key: string, mode: 'value' | 'fail', check: (outcomes: Outcome[], cache: Cache<string>, loads: number) => void) {
    const { cache, shared, counters, go } = setup(key)
    const workers = Array.from({ length: 4 }, () => startLoader({ handle: cache.handle, key, mode, shared, delayMs: 400, leaseMs: 3000 }))
    try {
      await until('workers ready', () => Atomics.load(counters, READY) === 4)
      go()
      // The main thread joins through Atomics.waitAsync (it never blocks). Whichever thread claims the
      // key first, the others arrive while it loads.
      const mine: Promise<Outcome> = cache.getOrLoad(key, async () => {
        Atomics.add(counters, LOADS, 1)
        await sleep(400)
        if (mode === 'fail') throw new Error('main failed')
        return 'main'
      }).then((value) => ({ value }), (e: Error & { code: string }) => ({ error: { code: e.code, message: e.message, causeCode: (e.cause as { code?: string })?.code } }))
      const results = await withDeadline('load workers', 30_000, Promise.all(workers.map((w) => w.done)), () => {
        for (const w of workers) void w.worker.terminate()
      })
      check([...results, await mine], cache, Atomics.load(counters, LOADS))
    } finally {
      await Promise.all(workers.map((w) => w.worker.terminate()))
      cache.close()
    }
  }

  it('4 workers and the main thread missing one key call the loader once and all get its value', async () => {
    await fourWorkersAndMain('shared-key', 'value', (outcomes, cache, loads) => {
      const values = outcomes.map((o) => o.value)
      expect(loads).toBe(1)
      expect(new Set(values).size).toBe(1)
      expect(values[0]).toMatch(/^value from thread \d+$|^main$/)
      expect(cache.get('shared-key')).toBe(values[0])
      expect(cache.stats().loadSuccesses).toBe(1)
    })
  })

  it('a failing loader fails every thread with the same error', async () => {
    await fourWorkersAndMain('failing-key', 'fail', (outcomes, cache, loads) => {
      const errors = outcomes.map((o) => o.error)
      expect(loads).toBe(1)
      for (const e of errors) {
        expect(e?.code).toBe('ERR_LOADER')
        expect(e?.message).toBe(errors[0]!.message)
      }
      // The loader's own error code survives the trip to other threads (when a worker was the loader).
      if (!errors[0]!.message.includes('main failed')) expect(errors.every((e) => e?.causeCode === 'E_BOOM')).toBe(true)
      expect(cache.has('failing-key')).toBe(false)
      expect(cache.stats().loadFailures).toBe(1)
    })
  })

  for (const engine of nativeAddon() ? ['wasm', 'native'] as const : ['wasm'] as const) {
    it(`a loading thread that closes its cache mid-load: a waiter in another thread loads, not ERR_CLOSED (${engine})`, async () => {
      // close() lets go of that thread's attachment only: the main thread's cache is open, so its
      // getOrLoad must not fail with the loading thread's ERR_CLOSED (it did: the failure was shared).
      const cache = new Cache<string>({ maxBytes: 4 << 20, codec: 'string', engine })
      const shared = new SharedArrayBuffer(16)
      const counters = new Int32Array(shared)
      Atomics.store(counters, GO, 1)
      const closer = startLoader({ handle: cache.handle, key: 'k', mode: 'close', shared, delayMs: 300, leaseMs: 3000 })
      try {
        await until('the closing thread to start loading', () => Atomics.load(counters, STARTED) !== 0)
        const mine = await cache.getOrLoad('k', async () => { Atomics.add(counters, LOADS, 1); return 'main' })
        expect(mine).toBe('main')
        expect(Atomics.load(counters, LOADS)).toBe(2)
        expect(cache.get('k')).toBe('main')
        expect((await closer.done).error?.code).toBe('ERR_CLOSED')
        expect(cache.verify()).toEqual([])
      } finally {
        await closer.worker.terminate()
        cache.close()
      }
    })
  }

  it('flight slots of a thread that died loading keys nobody asks for again are freed after a lease', async () => {
    // A pool that terminates workers mid-load (piscina on a task's abort or timeout) left their
    // flights claimed for ever unless their own key was asked for again: every such slot was lost to
    // the key windows it sits in, until windows filled and their keys loaded without cross-thread
    // single-flight. Now a thread probing a window frees a slot whose owner shows no heartbeat for a lease.
    const { cache, shared, counters, go } = setup('leak')
    const leaseMs = 200
    go()
    const many = 4000
    const victim = startLoader({ handle: cache.handle, key: 'leak', mode: 'hang', shared, delayMs: 0, leaseMs, many })
    const { views, geometry } = engineInternals(cache)
    const occupied = () => {
      let n = 0
      for (let s = 0; s < L.FLIGHT_SLOTS; s++) if (views.i32[(geometry.flightsOffset + s * L.FLIGHT_SIZE + L.FLIGHT_TAG) >>> 2] !== 0) n++
      return n
    }
    try {
      await until('the victim to start its loads', () => Atomics.load(counters, LOADS) === many)
      // 4000 keys over 1024 slots in windows of 4: the table is (all but) full.
      expect(occupied()).toBeGreaterThan(L.FLIGHT_SLOTS - 8)
      await victim.worker.terminate()
      // Keys whose windows cover the table: the first pass sees the dead thread's slots, the second
      // (a lease later) frees them.
      const probe = Array.from({ length: 3 * L.FLIGHT_SLOTS }, (_, i) => `probe-${i}`)
      for (let pass = 0; pass < 2; pass++) {
        await Promise.all(probe.map((k) => cache.getOrLoad(k, () => 'v', { leaseMs })))
        for (const k of probe) cache.delete(k)
        await sleep(leaseMs + 50)
      }
      expect(occupied()).toBe(0)
      expect(cache.verify()).toEqual([])
    } finally {
      await victim.worker.terminate()
      cache.close()
    }
  })

  it('a loading thread that dies: after the lease one waiter takes over, the others get its value', async () => {
    const { cache, shared, counters, go, key } = setup('orphan-key')
    const leaseMs = 300
    go()
    const victim = startLoader({ handle: cache.handle, key, mode: 'hang', shared, delayMs: 0, leaseMs })
    const waiters: { worker: Worker; done: Promise<Outcome> }[] = []
    try {
      await until('the victim to start loading', () => Atomics.load(counters, STARTED) !== 0)
      const victimThread = Atomics.load(counters, STARTED)
      for (let i = 0; i < 2; i++) waiters.push(startLoader({ handle: cache.handle, key, mode: 'value', shared, delayMs: 50, leaseMs }))
      const mine = cache.getOrLoad(key, async () => { Atomics.add(counters, LOADS, 1); return 'main' }, { leaseMs })
      await until('waiters ready', () => Atomics.load(counters, READY) === 3)
      await new Promise((r) => setTimeout(r, 100))
      expect(Atomics.load(counters, LOADS)).toBe(1)
      const t0 = performance.now()
      await victim.worker.terminate()
      const results = await withDeadline('survivors', 30_000, Promise.all(waiters.map((w) => w.done)), () => {
        for (const w of waiters) void w.worker.terminate()
      })
      const values = [...results.map((r) => r.value), await mine]
      const tookMs = performance.now() - t0
      // The dead thread's call plus exactly one takeover.
      expect(Atomics.load(counters, LOADS)).toBe(2)
      expect(new Set(values).size).toBe(1)
      expect(values[0]).not.toBe(`value from thread ${victimThread}`)
      expect(cache.get(key)).toBe(values[0])
      // Functional bound only: a takeover needs a lease, not a hang.
      expect(tookMs).toBeLessThan(15_000)
    } finally {
      await victim.worker.terminate()
      await Promise.all(waiters.map((w) => w.worker.terminate()))
      cache.close()
    }
  })
})
