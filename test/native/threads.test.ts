/**
 * The native engine in worker threads and in an 8 GiB arena. Workers attach by handle to the same
 * mapping (anonymous or a file) and hammer overlapping keys with self-checking values (the stress
 * worker of test/workers, run from dist/ like every worker fixture). The 8 GiB cache is viewed through
 * a window (src/engine/native), sets and gets work, and resident memory follows the bytes used; values
 * larger than a segment (up to maxBytes / 16) are chained as in direct arenas and staged through the
 * window segment by segment (native/src/view.rs).
 */
import { describe, it, expect } from 'vitest'
import { readFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Cache } from '../../src/index.js'
import { start, withDeadline } from '../workers/fixtures/run.js'
import { testSeed } from '../helpers/seed.js'
import { raceOverwrites } from '../workers/fixtures/overwrite-race.js'
import { nativeBuilt } from '../conformance/engines.js'
import { shmPath } from './helpers.js'
import * as L from '../../src/layout/constants.generated.js'
import { engineInternals } from '../../src/engine/access.js'
import { Prng } from '../../bench/workloads/prng.js'
import { collectWarnings, settle } from '../helpers/warnings.js'

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

  describe('values larger than a segment in an 8 GiB cache (seen through windows): chained, staged through the window', () => {
    const KiB = 1024
    /** Header + key + value, as bytesUsed counts an entry without TTL. */
    const cost = (key: string, valueLen: number) => L.ENTRY_HEADER_BYTES + Buffer.byteLength(key) + valueLen
    /**
     * A value whose every 4 KiB block starts with (tag, block index): a chunk staged from the wrong
     * segment, or in the wrong order, can't compare equal. Built by repeating one block (fast at 512 MiB).
     */
    function value(tag: number, size: number): Buffer {
      const block = Buffer.alloc(4 * KiB)
      for (let i = 0; i < block.length; i++) block[i] = (i * 31 + tag * 7) & 0xff
      const b = Buffer.allocUnsafe(size)
      b.fill(block)
      for (let at = 0; at + 8 <= size; at += 4 * KiB) {
        b.writeUInt32LE(tag, at)
        b.writeUInt32LE(at / (4 * KiB), at + 4)
      }
      return b
    }
    const same = (a: Buffer | undefined, b: Buffer) => a !== undefined && a.length === b.length && a.equals(b)

    it('40 KiB, 1 MiB, 6 MiB, 40 MiB and maxBytes / 16 values: stored, read back, overwritten, deleted; one byte over the limit refused', async () => {
      const warnings = collectWarnings()
      const cache = new Cache<Buffer>({ engine: 'native', maxBytes: 8 * 1024 * MiB, codec: 'buffer' })
      try {
        const g = cache.geometry
        expect(engineInternals(cache).views.u8.byteLength).toBeLessThan(2 ** 32) // a window, not the arena
        // maxBytes / 16 fits (512 MiB and its key), as in direct arenas.
        expect(g.maxEntryBytes).toBeGreaterThanOrEqual(g.memBytes / 16 + 4 * KiB)
        const base = cache.stats().bytesUsed
        // 40 KiB and 1 MiB fit in one 4 MiB segment here; 6 MiB, 40 MiB and 512 MiB are chained.
        for (const size of [40 * KiB, MiB, 6 * MiB, 40 * MiB, g.memBytes / 16]) {
          const key = `v${size}`
          const a = value(1, size)
          expect(cache.set(key, a), key).toBe(true)
          expect(same(cache.get(key), a), key).toBe(true)
          expect(cache.stats().bytesUsed - base).toBe(cost(key, size))
          // The same length is rewritten in place (over its chain); another length takes a new one.
          const b = value(2, size)
          expect(cache.set(key, b)).toBe(true)
          expect(same(cache.get(key), b), key).toBe(true)
          const c = value(3, size - 5000)
          expect(cache.set(key, c)).toBe(true)
          expect(same(cache.get(key), c), key).toBe(true)
          expect(same(cache.getMany(['absent', key])[1], c), key).toBe(true)
          expect(cache.stats().bytesUsed - base).toBe(cost(key, size - 5000))
          expect(cache.verify()).toEqual([])
          expect(cache.delete(key)).toBe(true)
          expect(cache.get(key)).toBeUndefined()
          expect(cache.stats().bytesUsed).toBe(base)
        }
        // Exactly the limit is stored; one byte more is refused, counted, and warned about once.
        const limit = g.maxEntryBytes - cost('limit', 0)
        const top = value(4, limit)
        expect(cache.set('limit', top)).toBe(true)
        expect(same(cache.get('limit'), top)).toBe(true)
        expect(cache.delete('limit')).toBe(true)
        expect(cache.set('over', value(5, g.maxEntryBytes - cost('over', 0) + 1))).toBe(false)
        expect(cache.stats().oversized).toBe(1)
        expect(cache.get('over')).toBeUndefined()
        expect(cache.stats().bytesUsed).toBe(base)
        expect(cache.verify()).toEqual([])
        await settle()
        expect(warnings.warnings.length).toBe(1)
        expect(warnings.warnings[0]!.message).toContain(String(g.maxEntryBytes))
      } finally {
        cache.close()
        warnings.stop()
      }
    }, 120_000)

    it('churn of 40 KiB … 24 MiB values: evicted and reclaimed (bytesUsed exact), setMany/getMany, iteration, dump and restore', async () => {
      const seed = testSeed(2208)
      const rng = new Prng(seed)
      const opts = { engine: 'native' as const, maxBytes: 8 * 1024 * MiB, codec: 'buffer' as const, maxEntries: 24, seed }
      const cache = new Cache<Buffer>(opts)
      const dir = mkdtempSync(join(tmpdir(), 'cortado-windowed-'))
      let restored: Cache<Buffer> | undefined
      try {
        const sizes = [40 * KiB, MiB, 5 * MiB, 9 * MiB, 24 * MiB]
        const latest = new Map<string, Buffer>()
        for (let i = 0; i < 200; i++) {
          const key = `k${rng.nextInt(60)}`
          const v = value(i + 1, sizes[rng.nextInt(sizes.length)]! - rng.nextInt(3000))
          // The policy may refuse a newcomer (a set returns false): then the key has no value.
          if (cache.set(key, v)) latest.set(key, v)
          else latest.delete(key)
        }
        const stats = cache.stats()
        console.log(`[native] 8 GiB windowed churn: ${stats.sets} of 200 sets stored, ${stats.evictions} evictions, ${cache.size} entries left`)
        expect(stats.evictions, `seed ${seed}`).toBeGreaterThan(0)
        expect(cache.size).toBeLessThanOrEqual(24)
        // What is there is whole, and bytesUsed is exactly its entries.
        let bytes = 0
        let present = 0
        for (const [k, v] of latest) {
          const got = cache.get(k)
          if (got === undefined) continue
          present++
          bytes += cost(k, v.length)
          expect(same(got, v), `${k} seed ${seed}`).toBe(true)
        }
        expect(present).toBe(cache.size)
        expect(cache.stats().bytesUsed).toBe(bytes)
        expect(cache.verify()).toEqual([])
        // getMany stages many chained values at once; iteration stages each entry's chain in turn.
        const keys = [...latest.keys()]
        const viaMany = cache.getMany(keys)
        for (let i = 0; i < keys.length; i++) if (viaMany[i] !== undefined) expect(same(viaMany[i], latest.get(keys[i]!)!), keys[i]).toBe(true)
        expect(viaMany.filter((b) => b !== undefined).length).toBe(present)
        let listed = 0
        for (const [k, v] of cache.entries()) {
          listed++
          expect(same(v, latest.get(k)!), k).toBe(true)
        }
        expect(listed).toBe(present)
        // Everything deleted: no byte left behind.
        for (const k of latest.keys()) cache.delete(k)
        expect(cache.size).toBe(0)
        expect(cache.stats().bytesUsed).toBe(0)
        expect(cache.verify()).toEqual([])
        // setMany of chained values (and a few small ones), getMany of them.
        for (let i = 0; i < 4; i++) latest.set(`small${i}`, value(900 + i, 100 + i))
        for (const [k, v] of latest) if (k.startsWith('small')) expect(cache.set(k, v)).toBe(true)
        const many: [string, Buffer][] = [1, 2, 3].map((i) => [`many${i}`, value(500 + i, 5 * MiB + i)])
        expect(cache.setMany(many)).toEqual([true, true, true])
        const got = cache.getMany(many.map(([k]) => k))
        for (let i = 0; i < many.length; i++) expect(same(got[i], many[i]![1]), many[i]![0]).toBe(true)
        // Iteration reads each chained value through the window.
        const seen = new Map<string, Buffer>()
        for (const [k, v] of cache.entries()) seen.set(k, v)
        expect(seen.size).toBe(7)
        for (const [k, v] of seen) expect(same(v, many.find(([m]) => m === k)?.[1] ?? latest.get(k)!), k).toBe(true)
        // Dump and restore carry them byte for byte.
        const path = join(dir, 'windowed.dump')
        expect((await cache.dump(path)).entries).toBe(seen.size)
        restored = new Cache<Buffer>(opts)
        expect((await restored.restore(path)).loaded).toBe(seen.size)
        for (const [k, v] of seen) expect(same(restored.get(k), v), k).toBe(true)
        expect(restored.verify()).toEqual([])
        for (const k of seen.keys()) expect(cache.delete(k)).toBe(true)
        expect(cache.stats().bytesUsed).toBe(0)
        expect(cache.verify()).toEqual([])
      } finally {
        cache.close()
        restored?.close()
        rmSync(dir, { recursive: true, force: true })
      }
    }, 180_000)

    it('overwrites of chained values racing with lock-free reads through the windows: reads retry, none is torn', async () => {
      // 5-13 MiB values (chains of 2 to 4 segments of 4 MiB) rewritten over 6 keys, often in place
      // (same length) under readers whose engine copies the chain into their own window's staging.
      const seed = testSeed(2209)
      const cache = new Cache<string>({ engine: 'native', maxBytes: 8 * 1024 * MiB, codec: 'string', seed })
      expect(cache.geometry.segBytes).toBeLessThan(5 * MiB)
      try {
        const { hits, retries } = await raceOverwrites(cache, { seed, ops: 150, keys: 6, lengths: [5 * MiB, 9 * MiB, 13 * MiB], what: 'windowed overwrite workers', deadlineMs: 180_000 })
        console.log(`[native, 8 GiB windowed] readers: ${hits} hits, ${retries} retried reads, 0 torn`)
      } finally {
        cache.close()
      }
    }, 200_000)

    it('a writer that dies holding a reserved chain loses only that write', () => {
      const cache = new Cache<Buffer>({ engine: 'native', maxBytes: 8 * 1024 * MiB, codec: 'buffer' })
      try {
        const old = value(7, 12 * MiB)
        expect(cache.set('k', old)).toBe(true)
        const used = cache.stats().bytesUsed
        const dead = Cache.attach<Buffer>(cache.handle)
        const { exports, views, scratch } = engineInternals(dead)
        const key = Buffer.from('k')
        views.u8.set(key, scratch + L.RESULT_SIZE)
        // Reserve a 300 MiB value (its chain borrows from other shards), write it, and "die" before
        // setCommit. Through a window the entry is out of JS's sight (valueOffset 0): JS hands the
        // bytes over with fillReserved, which copies them straight into the chain.
        expect(exports.setReserve(key.length, 300 * MiB, L.KIND_BUFFER, 0, -1)).toBe(L.STATUS_STORED)
        expect(views.u32[(scratch + L.RESULT_KIND) >> 2]! & L.KIND_CHAINED).toBe(L.KIND_CHAINED)
        expect(views.u32[(scratch + L.RESULT_VALUE_OFFSET) >> 2]).toBe(0)
        expect(() => exports.fillReserved!(Buffer.alloc(1000))).toThrow(/fillReserved: 1000 bytes for a value of/)
        exports.fillReserved!(Buffer.alloc(300 * MiB, 0x41))
        // The next writer takes the lock over after the lease and rebuilds the shard: the old value
        // stays, and the half-made chain goes back.
        expect(same(cache.get('k'), old)).toBe(true)
        expect(cache.stats().lockRecoveries).toBe(1)
        expect(cache.stats().bytesUsed).toBe(used)
        expect(cache.verify()).toEqual([])
        expect(cache.delete('k')).toBe(true)
        expect(cache.stats().bytesUsed).toBe(0)
        const again = value(8, 300 * MiB)
        expect(cache.set('again', again)).toBe(true)
        expect(same(cache.get('again'), again)).toBe(true)
        expect(cache.verify()).toEqual([])
      } finally {
        cache.close()
      }
    }, 60_000)
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
