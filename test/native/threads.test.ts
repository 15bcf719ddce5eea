/**
 * The native engine in worker threads and in an 8 GiB arena. Workers attach by handle to the same
 * mapping (anonymous or a file) and hammer overlapping keys with self-checking values (the stress
 * worker of test/workers, run from dist/ like every worker fixture). The 8 GiB cache is viewed through
 * a window (src/engine/native), sets and gets work, and resident memory follows the bytes used.
 */
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { Cache } from '../../src/index.js'
import { start, withDeadline } from '../workers/fixtures/run.js'
import { testSeed } from '../helpers/seed.js'
import { nativeBuilt } from '../conformance/engines.js'
import { shmPath } from './helpers.js'

interface Result { id: number; gets: number; hits: number; torn: number; mismatched: number; sets: number; stored: number }

const MiB = 2 ** 20
/** Resident pages of shared memory (the arena of an anonymous native cache is a memfd), in MiB. */
const shmMiB = () => Number(/RssShmem:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024

describe.runIf(nativeBuilt)('native engine across threads, and beyond 4 GiB', () => {
  for (const shared of ['anonymous', 'a /dev/shm file'] as const) {
    it(`2 workers × 50k operations on one ${shared} cache: no torn reads, exact counters, consistent arena`, async () => {
      const seed = testSeed(77)
      const file = shared === 'anonymous' ? undefined : shmPath('threads')
      const cache = new Cache<string>({ engine: 'native', path: file?.path, maxBytes: 2 << 20, shards: 2, codec: 'string', seed })
      const progress = new SharedArrayBuffer(8)
      const running = [0, 1].map((id) =>
        start<Result>('stress-worker.mjs', { handle: cache.handle, id, seed: seed * 31 + id, ops: 50_000, keys: 5000, progress }))
      try {
        const results = await withDeadline('native stress workers', 120_000, Promise.all(running.map((r) => r.done)),
          () => { for (const r of running) void r.worker.terminate() })
        for (const r of results) {
          expect(r.torn).toBe(0)
          expect(r.mismatched).toBe(0)
        }
        expect(cache.verify()).toEqual([])
        const stats = cache.stats()
        expect(stats.hits + stats.misses).toBe(results.reduce((n, r) => n + r.gets, 0))
        expect(stats.sets).toBe(results.reduce((n, r) => n + r.stored, 0))
        expect(stats.evictions).toBeGreaterThan(0)
      } finally {
        cache.close()
        file?.cleanup()
      }
    })
  }

  it('an 8 GiB cache (seen through windows) keeps entries within a segment: larger ones are refused, not chained', () => {
    const cache = new Cache<Buffer>({ engine: 'native', maxBytes: 8 * 1024 * MiB, codec: 'buffer' })
    const g = cache.geometry
    expect(g.maxEntryBytes).toBe(g.segBytes)
    expect(cache.set('fits', Buffer.alloc(g.segBytes - 64, 1))).toBe(true)
    expect(cache.get('fits')!.length).toBe(g.segBytes - 64)
    expect(cache.set('large', Buffer.alloc(g.segBytes + 1, 2))).toBe(false)
    expect(cache.stats().oversized).toBe(1)
    expect(cache.verify()).toEqual([])
    cache.close()
  })

  it('an 8 GiB anonymous cache: sets and gets work, and resident memory follows the bytes used', () => {
    const start = shmMiB()
    const cache = new Cache<Buffer>({ engine: 'native', maxBytes: 8 * 1024 * MiB, codec: 'buffer' })
    const g = cache.geometry
    expect(g.memBytes).toBe(8 * 1024 * MiB)
    expect(g.shardCount).toBeGreaterThan(1)
    const created = shmMiB()
    const value = Buffer.alloc(32 * 1024, 7)
    const n = 8192 // 256 MiB of values
    for (let i = 0; i < n; i++) {
      value.writeUInt32LE(i, 0)
      expect(cache.set(`k${i}`, value)).toBe(true)
    }
    const written = shmMiB()
    let ok = 0
    for (let i = 0; i < n; i++) {
      const got = cache.get(`k${i}`)
      if (got !== undefined && got.length === value.length && got.readUInt32LE(0) === i) ok++
    }
    expect(ok).toBe(n)
    expect(cache.getMany(['k1', `k${n - 1}`, 'absent']).map((b) => b?.readUInt32LE(0))).toEqual([1, n - 1, undefined])
    expect(cache.size).toBe(n)
    expect(cache.verify()).toEqual([])
    const used = cache.stats().bytesUsed / MiB
    // Beyond the entries themselves, each shard's queues have partly filled segments (head, tail, and
    // the window's turnover), and a few index and policy pages per entry.
    const slack = (g.shardCount * 3 * g.segBytes) / MiB + 64
    console.log(`[native] 8 GiB arena: arena pages resident +${(created - start).toFixed(0)} MiB when created, ` +
      `+${(written - created).toFixed(0)} MiB after ${used.toFixed(0)} MiB of entries (bound: +${(used + slack).toFixed(0)})`)
    expect(created - start).toBeLessThan(16)
    expect(written - created).toBeGreaterThan(used)
    expect(written - created).toBeLessThan(used + slack)
    cache.close()
    // The last thread out gives an anonymous arena's memory back at once.
    expect(shmMiB()).toBeLessThan(start + 16)
  })
})
