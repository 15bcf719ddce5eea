/**
 * Thread slots outlive no thread: workers that exit without close() (returning, terminate()d, dying of
 * an uncaught error) give their slot back to the next thread that needs one, with their counters kept
 * in stats(); a piscina pool that recycles idle workers never runs out of slots; and a live thread
 * thought dead (stalled past its lease) re-attaches through a new slot without touching its successor's.
 */
import { describe, it, expect, afterEach } from 'vitest'
import { Worker } from 'node:worker_threads'
import { Piscina } from 'piscina'
import { Cache } from '../../src/index.js'
import { tuneLivenessForTests } from '../../src/engine/slots.js'
import * as L from '../../src/layout/constants.generated.js'
import { forEachEngine } from '../conformance/engines.js'
import { fixture, withDeadline } from './fixtures/run.js'
import { engineInternals } from '../../src/engine/access.js'

type Exit = 'return' | 'terminate' | 'throw'
interface Report { hits: number; misses: number; sets: number; slot: number }

/** Runs one short-lived worker to its end (the way `exit` says) and returns what it counted. */
async function runShortLived(handle: unknown, id: number, exit: Exit): Promise<Report> {
  const worker = new Worker(fixture('slot-worker.mjs'), { workerData: { handle, id, ops: 10, exit } })
  const failures: Error[] = []
  worker.on('error', (err) => failures.push(err))
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve))
  const report = await withDeadline(`worker ${id}`, 30_000, new Promise<Report>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('exit', (code) => reject(new Error(`worker ${id} exited (${code}) before reporting: ${failures[0]?.message}`)))
  }), () => void worker.terminate())
  if (exit === 'terminate') await worker.terminate()
  const code = await exited
  // Only the workers told to throw may fail, and only with their own error.
  if (exit === 'throw') expect(failures.map((e) => e.message)).toEqual([`worker ${id} fails on purpose`])
  else expect(failures).toEqual([])
  if (exit === 'return') expect(code).toBe(0)
  return report
}

const exitOf = (i: number): Exit => (i % 2 === 0 ? 'terminate' : i % 3 === 0 ? 'throw' : 'return')

forEachEngine('thread slots', (engine) => {
  afterEach(() => tuneLivenessForTests())

  // 200 workers on the WebAssembly engine; 24 on the native one (same code path in JS, fewer starts).
  const count = engine === 'wasm' ? 200 : 24
  it(`${count} workers attach one after another (half terminate()d, some throwing) with maxThreads: 4; stats totals exact`, async () => {
    const cache = new Cache<string>({ engine, maxBytes: 16 << 20, maxThreads: 4, codec: 'string' })
    const handle = cache.handle
    let hits = 0, misses = 0, sets = 0
    const slotsUsed = new Set<number>()
    // Two lanes: at most two workers (and the main thread) alive at once, each lane one after another.
    const lane = async (first: number) => {
      for (let i = first; i < count; i += 2) {
        const r = await runShortLived(handle, i, exitOf(i))
        hits += r.hits
        misses += r.misses
        sets += r.sets
        slotsUsed.add(r.slot)
      }
    }
    await Promise.all([lane(0), lane(1)])
    expect(hits).toBe(count * 10)
    const s = cache.stats()
    expect({ hits: s.hits, misses: s.misses, sets: s.sets }).toEqual({ hits, misses, sets })
    expect(s.entries).toBe(count * 10)
    expect([...slotsUsed].every((slot) => slot >= 1 && slot < 4)).toBe(true)
    expect(cache.verify()).toEqual([])
    // maxThreads still bounds live threads: three more attach here, the fourth finds no dead slot.
    const more = [Cache.attach(handle), Cache.attach(handle), Cache.attach(handle)]
    expect(() => Cache.attach(handle)).toThrow(expect.objectContaining({ code: 'ERR_TOO_MANY_THREADS' }))
    for (const c of more) c.close()
    cache.close()
  }, 240_000)

  it('a piscina pool with idleTimeout recycles its workers through bursts of load; none fails', async () => {
    const cache = new Cache<string>({ engine, maxBytes: 16 << 20, maxThreads: 4, codec: 'string' })
    const pool = new Piscina({
      filename: fixture('pool-task.mjs').href,
      workerData: { cache: cache.handle },
      minThreads: 0,
      maxThreads: 3,
      idleTimeout: 30,
    })
    const threads = new Set<number>()
    let hits = 0, misses = 0
    try {
      for (let burst = 0; burst < 8; burst++) {
        const results = await withDeadline(`burst ${burst}`, 60_000, Promise.all(
          Array.from({ length: 24 }, (_, i) => pool.run({ key: `k${(burst * 7 + i) % 40}` }) as Promise<{ hits: number; misses: number; threadId: number }>),
        ), () => void pool.destroy())
        for (const r of results) {
          hits += r.hits
          misses += r.misses
          threads.add(r.threadId)
        }
        // Quiet long enough for every idle worker to be recycled.
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    } finally {
      await pool.destroy()
    }
    console.log(`[slots/${engine}] piscina ran the bursts on ${threads.size} worker threads over 3 at a time (maxThreads: 4 slots)`)
    // The pool really recycled: more threads ran than the cache has slots.
    expect(threads.size).toBeGreaterThan(4)
    const s = cache.stats()
    expect({ hits: s.hits, misses: s.misses }).toEqual({ hits, misses })
    expect(cache.verify()).toEqual([])
    cache.close()
  }, 180_000)

  it('a live thread stalled past its lease loses its slot, then re-attaches through a new one without touching its successor\'s', async () => {
    // Lease-only liveness (no OS thread ids), 300 ms: a worker blocked for longer is thought dead.
    tuneLivenessForTests({ leaseMs: 300, useThreadIds: false })
    const cache = new Cache<string>({ engine, maxBytes: 4 << 20, maxThreads: 3, codec: 'string' })
    const filler = Cache.attach<string>(cache.handle)
    const flag = new SharedArrayBuffer(4)
    const ops = 200
    const worker = new Worker(fixture('stall-worker.mjs'), { workerData: { handle: cache.handle, leaseMs: 300, flag, ops } })
    const messages: Record<string, unknown>[] = []
    let notify: (() => void) | undefined
    worker.on('message', (m) => { messages.push(m); notify?.() })
    const next = (what: string) => withDeadline(what, 30_000, new Promise<Record<string, unknown>>((resolve) => {
      const check = () => { const m = messages.find((x) => x[what]); if (m) resolve(m) }
      notify = check
      check()
    }), () => void worker.terminate())
    const errors: Error[] = []
    worker.on('error', (e) => errors.push(e))
    try {
      const stalled = await next('stalling')
      await new Promise((resolve) => setTimeout(resolve, 900))
      // Every slot is held; the stalled worker's heartbeat is old: this attach takes its slot.
      const successor = Cache.attach<string>(cache.handle)
      expect(engineInternals(successor).slot).toBe(stalled.slot)
      for (let i = 0; i < ops; i++) successor.set(`b:${i}`, `b-value-${i}`)
      let successorHits = 0
      for (let i = 0; i < ops; i++) if (successor.get(`b:${i}`) === `b-value-${i}`) successorHits++
      const g = successor.geometry
      const base = g.threadsOffset + engineInternals(successor).slot * L.THREAD_SIZE
      const f64 = engineInternals(successor).views.f64
      const counters = () => [f64[(base + L.THREAD_HITS) >> 3], f64[(base + L.THREAD_MISSES) >> 3]]
      const successorCounters = counters()
      expect(successorCounters).toEqual([successorHits, 0])
      // Free a slot for the worker to move to, and wake it.
      filler.close()
      Atomics.store(new Int32Array(flag), 0, 1)
      Atomics.notify(new Int32Array(flag), 0)
      const done = await next('done')
      expect(errors).toEqual([])
      expect(done.wrong).toBe(0)
      expect(done.after).not.toBe(done.before)
      // The worker never counted into (nor wrote through) the slot its successor holds.
      expect(counters()).toEqual(successorCounters)
      for (let i = 0; i < ops; i++) expect(successor.get(`b:${i}`)).toBe(`b-value-${i}`)
      for (let i = 0; i < ops; i++) expect(successor.get(`a:${i}`)).toBe(`a-again-${i}`)
      // Nothing lost: the hits the worker made before the stall were folded in when its slot was taken.
      const s = cache.stats()
      expect(s.hits).toBe((done.hits as number) + successorHits + 2 * ops)
      expect(s.misses).toBe(done.misses as number)
      expect(cache.verify()).toEqual([])
      successor.close()
    } finally {
      await worker.terminate()
      cache.close()
    }
  }, 60_000)
})
