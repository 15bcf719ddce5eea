/**
 * Several worker threads on one cache, hammering overlapping keys with self-checking values: no torn
 * or misdirected read, consistent counters, a consistent arena afterwards, and no hang (a deadline
 * terminates the workers and fails the test).
 */
import { describe, it, expect } from 'vitest'
import { Cache } from '../../src/index.js'
import { start, withDeadline } from './fixtures/run.js'
import { testSeed } from '../helpers/seed.js'

interface Result { id: number; gets: number; hits: number; torn: number; mismatched: number; sets: number; stored: number }

async function stress(workers: number, ops: number, seed: number, options: { maxBytes: number; shards: number; keys: number }) {
  const cache = new Cache<string>({ maxBytes: options.maxBytes, shards: options.shards, codec: 'string', seed })
  const progress = new SharedArrayBuffer(4 * workers)
  const running = Array.from({ length: workers }, (_, id) =>
    start<Result>('stress-worker.mjs', { handle: cache.handle, id, seed: seed * 31 + id, ops, keys: options.keys, progress }))
  try {
    const results = await withDeadline(`${workers} stress workers`, 120_000, Promise.all(running.map((r) => r.done)),
      () => { for (const r of running) void r.worker.terminate() })
    for (const r of results) {
      expect(r.torn, `worker ${r.id} saw torn values`).toBe(0)
      expect(r.mismatched, `worker ${r.id} got another key's value`).toBe(0)
    }
    expect(cache.verify()).toEqual([])
    const stats = cache.stats()
    const gets = results.reduce((n, r) => n + r.gets, 0)
    const hits = results.reduce((n, r) => n + r.hits, 0)
    // Every lookup of every thread is counted, exactly: hits and misses are per-thread counters.
    expect(stats.hits + stats.misses).toBe(gets)
    expect(stats.hits).toBe(hits)
    expect(stats.sets).toBe(results.reduce((n, r) => n + r.stored, 0))
    return { stats, results }
  } finally {
    cache.close()
  }
}

describe('worker threads sharing one cache', () => {
  it('2 workers × 200k operations, roomy arena', async () => {
    await stress(2, 200_000, testSeed(41), { maxBytes: 32 << 20, shards: 4, keys: 2000 })
  })

  it('4 workers × 100k operations, tight arena with constant eviction and segment reuse', async () => {
    const { stats } = await stress(4, 100_000, testSeed(42), { maxBytes: 2 << 20, shards: 2, keys: 20_000 })
    expect(stats.evictions).toBeGreaterThan(0)
  })

  it('overwrites of a few hot keys racing with lock-free reads: reads retry, none is torn', async () => {
    // One shard, 16 keys, values of three lengths: many rewrites land in place, over the bytes a reader
    // is copying. Only the sequence check after the copy keeps those copies from being returned.
    const seed = testSeed(43)
    const cache = new Cache<string>({ maxBytes: 1 << 20, shards: 1, codec: 'string', seed })
    interface Outcome { role: string; reads: number; hits: number; torn: number; mismatched: number; writes: number }
    const roles = ['writer', 'reader', 'reader']
    const sync = new SharedArrayBuffer(8)
    const running = roles.map((role, i) => start<Outcome>('overwrite-worker.mjs', { handle: cache.handle, role, seed: seed * 7 + i, ops: 150_000, keys: 16, sync, workers: roles.length }))
    try {
      const results = await withDeadline('overwrite workers', 120_000, Promise.all(running.map((r) => r.done)),
        () => { for (const r of running) void r.worker.terminate() })
      const readers = results.filter((r) => r.role === 'reader')
      expect(readers.reduce((n, r) => n + r.torn, 0), 'torn values returned').toBe(0)
      expect(readers.reduce((n, r) => n + r.mismatched, 0), "another key's value returned").toBe(0)
      expect(readers.reduce((n, r) => n + r.hits, 0)).toBeGreaterThan(0)
      // The test means something only if reads raced with writes and took the retry path.
      expect(cache.stats().readRetries).toBeGreaterThan(0)
      expect(cache.verify()).toEqual([])
    } finally {
      cache.close()
    }
  })
})
