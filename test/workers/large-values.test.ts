/**
 * Values larger than a segment shared between threads, on both engines: a worker reads what the main
 * thread stored and the other way round; and overwrites of large values racing with lock-free reads
 * never return a torn value, though the chains readers copy are freed and reused under them.
 */
import { it, expect } from 'vitest'
import { Cache } from '../../src/index.js'
import { forEachEngine } from '../conformance/engines.js'
import { start, withDeadline } from './fixtures/run.js'
import { testSeed } from '../helpers/seed.js'
import { raceOverwrites } from './fixtures/overwrite-race.js'

const KiB = 1024
const fill = (seed: number, size: number) => {
  const b = Buffer.allocUnsafe(size)
  for (let i = 0; i < size; i++) b[i] = (seed * 131 + i * 7 + (i >> 9)) & 0xff
  return b
}

forEachEngine('large values across worker threads', (engine) => {
  it('a worker reads the large values the main thread stored, and the main thread reads the worker\'s', async () => {
    const cache = new Cache<Buffer>({ engine, maxBytes: 64 << 20, codec: 'buffer' })
    const sizes = [40 * KiB, 256 * KiB, 1024 * KiB]
    expect(cache.geometry.segBytes).toBeLessThan(sizes[0]!)
    for (const size of sizes) expect(cache.set(`main:${size}`, fill(1, size))).toBe(true)
    const running = start<{ intact: number; stored: number }>('large-worker.mjs', { handle: cache.handle, sizes })
    try {
      const r = await withDeadline('large-values worker', 60_000, running.done, () => void running.worker.terminate())
      expect(r).toEqual({ intact: sizes.length, stored: sizes.length })
      for (const size of sizes) expect(cache.get(`worker:${size}`)!.equals(fill(2, size))).toBe(true)
      expect(cache.verify()).toEqual([])
    } finally {
      cache.close()
    }
  })

  it('overwrites of large values racing with lock-free reads: reads retry, none is torn', async () => {
    // One shard, 6 keys, values of 40-150 KiB (chains of 2 to 5 segments of 32 KiB): every overwrite
    // frees the old chain, and the next one reuses its segments while readers may be copying them.
    const seed = testSeed(2202)
    const cache = new Cache<string>({ engine, maxBytes: 4 << 20, shards: 1, codec: 'string', seed })
    expect(cache.geometry.segBytes).toBeLessThan(40 * KiB)
    try {
      const { hits, retries } = await raceOverwrites(cache, { seed, ops: 3000, keys: 6, lengths: [40 * KiB, 90 * KiB, 150 * KiB], what: 'large overwrite workers', deadlineMs: 120_000 })
      expect(retries).toBeGreaterThan(0)
      console.log(`[large/${engine}] readers: ${hits} hits, ${retries} retried reads, 0 torn`)
    } finally {
      cache.close()
    }
  })

  it('overwrites of values whose chains borrow segments of other shards, racing with lock-free reads: none is torn', async () => {
    // 8 shards of 4 MiB: a value above ~1.1 MiB (a third of its shard) borrows the rest of its chain
    // from other shards, which reuse those segments for their own entries and other chains as soon as
    // the overwrite gives them back, while readers may be copying them.
    const seed = testSeed(2217)
    const cache = new Cache<string>({ engine, maxBytes: 32 << 20, codec: 'string', seed })
    expect(cache.geometry.shardCount).toBeGreaterThan(1)
    const lengths = [700 * KiB, 1200 * KiB, cache.geometry.maxEntryBytes - 256]
    try {
      const { hits, retries } = await raceOverwrites(cache, { seed, ops: 240, keys: 6, lengths, what: 'cross-shard overwrite workers', deadlineMs: 180_000 })
      console.log(`[large/${engine}, across shards] readers: ${hits} hits, ${retries} retried reads, 0 torn`)
    } finally {
      cache.close()
    }
  })

  it('two threads write large values (up to maxBytes / 16, chains borrowing across shards) and read each other\'s', async () => {
    const seed = testSeed(2218)
    const cache = new Cache<Buffer>({ engine, maxBytes: 32 << 20, codec: 'buffer', seed })
    const limit = cache.geometry.maxEntryBytes
    expect(limit).toBeGreaterThanOrEqual((32 << 20) / 16)
    const lengths = [100, 40 * KiB, 700 * KiB, 1500 * KiB, (32 << 20) / 16, limit - 64]
    interface Outcome { id: number; sets: number; stored: number; reads: number; hits: number; torn: number }
    const sync = new SharedArrayBuffer(8)
    const running = [0, 1].map((id) => start<Outcome>('large-stress-worker.mjs', {
      handle: cache.handle, id, seed: seed * 11 + id, ops: 400, keys: 6, lengths, sync, workers: 2,
    }))
    try {
      const results = await withDeadline('large-value stress workers', 180_000, Promise.all(running.map((r) => r.done)),
        () => { for (const r of running) void r.worker.terminate() })
      expect(results.reduce((n, r) => n + r.torn, 0), 'torn values returned').toBe(0)
      expect(results.reduce((n, r) => n + r.stored, 0)).toBeGreaterThan(0)
      expect(results.reduce((n, r) => n + r.hits, 0)).toBeGreaterThan(0)
      expect(cache.verify()).toEqual([])
      // What is left reads back whole; deleting it leaves no byte accounted.
      for (const key of [...cache.keys()]) {
        const b = cache.get(key)
        if (b !== undefined) expect(b.length).toBeGreaterThanOrEqual(12)
        cache.delete(key)
      }
      expect(cache.stats().bytesUsed).toBe(0)
      expect(cache.verify()).toEqual([])
      console.log(`[large/${engine}, 2 writers] ${results.map((r) => `thread ${r.id}: ${r.stored}/${r.sets} stored, ${r.hits}/${r.reads} hits`).join('; ')}, 0 torn`)
    } finally {
      cache.close()
    }
  })
})
