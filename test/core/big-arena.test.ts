/**
 * Arenas of more than 2 GiB (up to 4 GiB: the WebAssembly memory's limit and the native engine's
 * direct view). Addresses there pass 2^31, where a signed shift (`addr >> 2`) turns an index
 * negative: stats() read NaN, a chained value's segment links read undefined (set threw RangeError
 * with the shard still locked), the front's version index and the lock-wait path's Atomics calls
 * threw. Every check below runs against shards that start above 2 GiB.
 */
import { it, expect } from 'vitest'
import { Cache } from '../../src/index.js'
import * as L from '../../src/layout/constants.generated.js'
import { forEachEngine } from '../conformance/engines.js'
import { start, withDeadline } from '../workers/fixtures/run.js'
import { shardOf } from '../helpers/shards.js'

const MiB = 1024 * 1024
const TWO_GIB = 2 ** 31

function pattern(seed: number, size: number): Buffer {
  const b = Buffer.allocUnsafe(size)
  let x = (seed * 2654435761) >>> 0 || 1
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0
    b.writeUInt32LE(x, i)
  }
  return b
}

/** Keys whose shard starts above 2 GiB (the shard comes from the key's hash: found by trying). */
function highKeys(cache: Cache<unknown>, prefix: string, count: number): string[] {
  const g = cache.geometry
  const keys: string[] = []
  for (let i = 0; keys.length < count; i++) {
    const key = `${prefix}${i}`
    if (g.shardsOffset + shardOf(cache, key) * g.shardBytes >= TWO_GIB) keys.push(key)
  }
  return keys
}

forEachEngine('arenas above 2 GiB', (engine) => {
  it('stats, small and chained values, delete and bytesUsed in shards past 2 GiB', () => {
    const cache = new Cache<Buffer>({ engine, maxBytes: 3 * 1024 * MiB, codec: 'buffer' })
    const g = cache.geometry
    expect(g.shardsOffset + (g.shardCount - 1) * g.shardBytes).toBeGreaterThanOrEqual(TWO_GIB)
    const small = Array.from({ length: 2000 }, (_, i) => `small:${i}`)
    let smallBytes = 0
    for (const [i, key] of small.entries()) {
      const value = pattern(i + 1, 100)
      expect(cache.set(key, value)).toBe(true)
      smallBytes += L.ENTRY_HEADER_BYTES + Buffer.byteLength(key) + value.length
    }
    for (const [i, key] of small.entries()) expect(cache.get(key)?.equals(pattern(i + 1, 100)), key).toBe(true)
    let s = cache.stats()
    expect(s.sets).toBe(2000)
    expect(s.hits).toBe(2000)
    expect(s.entries).toBe(2000)
    expect(s.bytesUsed).toBe(smallBytes)
    // Values chained over many segments, in shards past 2 GiB.
    const large = highKeys(cache, 'large:', 3)
    for (const [i, key] of large.entries()) expect(cache.set(key, pattern(100 + i, 24 * MiB)), key).toBe(true)
    for (const [i, key] of large.entries()) expect(cache.get(key)?.equals(pattern(100 + i, 24 * MiB)), key).toBe(true)
    s = cache.stats()
    expect(s.entries).toBe(2003)
    expect(s.bytesUsed).toBe(smallBytes + large.reduce((n, key) => n + L.ENTRY_HEADER_BYTES + key.length + 24 * MiB, 0))
    for (const key of large) expect(cache.delete(key)).toBe(true)
    expect(cache.stats().bytesUsed).toBe(smallBytes)
    expect(cache.verify()).toEqual([])
    cache.close()
  })

  it('the front validates against segment versions past 2 GiB', () => {
    const cache = new Cache<string>({ engine, maxBytes: 3 * 1024 * MiB, codec: 'string', front: true })
    const keys = highKeys(cache as Cache<unknown>, 'front:', 200)
    for (const key of keys) cache.set(key, `v1 ${key}`)
    for (let r = 0; r < 4; r++) for (const key of keys) expect(cache.get(key)).toBe(`v1 ${key}`)
    expect(cache.stats().frontHits).toBeGreaterThan(0)
    for (const key of keys) cache.set(key, `v2 ${key}`)
    for (const key of keys) expect(cache.get(key)).toBe(`v2 ${key}`)
    cache.close()
  })
})

// The JS wait path (the WebAssembly engine's: the native engine waits on a futex in Rust).
it('the lock-wait path on a shard past 2 GiB keeps exact mutual exclusion (2 workers, WebAssembly)', async () => {
  const cache = new Cache<string>({ engine: 'wasm', maxBytes: 4 * 1024 * MiB - 64 * 1024, shards: 2 })
  expect(cache.geometry.shardsOffset + cache.geometry.shardBytes).toBeGreaterThanOrEqual(TWO_GIB)
  const counterBuffer = new SharedArrayBuffer(12)
  const iterations = 50_000
  const running = [0, 1].map(() => start<{ contended: number; done: number }>('lock-counter-worker.mjs', { handle: cache.handle, iterations, counterBuffer, workers: 2, shard: 1 }))
  const results = await withDeadline('lock counter workers', 120_000, Promise.all(running.map((r) => r.done)),
    () => { for (const r of running) void r.worker.terminate() })
  expect(new Int32Array(counterBuffer)[0]).toBe(results.reduce((n, r) => n + r.done, 0))
  expect(results.reduce((n, r) => n + r.contended, 0)).toBeGreaterThan(0)
  cache.close()
}, 150_000)
