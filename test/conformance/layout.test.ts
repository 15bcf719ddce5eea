/**
 * One layout, one set of algorithms: the same operations with the same seed leave both engines' shards
 * byte for byte identical (index, segments, queues, sketch, ghost, counters), and a few offsets of
 * src/layout/spec.json are checked end to end through each engine's memory.
 */
import { describe, it, expect } from 'vitest'
import { Cache } from '../../src/index.js'
import * as L from '../../src/layout/constants.generated.js'
import { Prng } from '../../bench/workloads/prng.js'
import { testSeed } from '../helpers/seed.js'
import { forEachEngine, makeCache, nativeBuilt, type Engine } from './engines.js'
import { engineInternals } from '../../src/engine/access.js'

/** Random sets, gets, deletes, batches, TTLs and clock steps, replayable on any cache. */
function workload(cache: Cache<unknown>, seed: number, ops: number, clock: { now: number }): void {
  const rng = new Prng(seed)
  for (let i = 0; i < ops; i++) {
    const key = `key:${rng.nextInt(8000)}${'é'.repeat(rng.nextInt(3))}`
    const r = rng.nextFloat()
    if (r < 0.45) cache.set(key, rng.nextFloat() < 0.5 ? 'v'.repeat(rng.nextInt(600)) : { n: rng.nextInt(1e6) }, { ttl: rng.nextFloat() < 0.2 ? 1 + rng.nextInt(2000) : 0 })
    else if (r < 0.8) cache.get(key)
    else if (r < 0.85) cache.delete(key)
    else if (r < 0.88) cache.getMany([key, `key:${rng.nextInt(3000)}`, 'absent'])
    else if (r < 0.9) cache.setMany([[key, 'batch'], [`key:${rng.nextInt(3000)}`, 7]])
    else if (r < 0.90003) cache.clear()
    else clock.now += rng.nextInt(50)
  }
}

function shardBytes(cache: Cache<unknown>): Uint8Array {
  const g = cache.geometry
  const { views } = engineInternals(cache)
  return views.u8.slice(g.shardsOffset, g.shardsOffset + g.shardCount * g.shardBytes)
}

describe.runIf(nativeBuilt)('both engines, side by side', () => {
  const configs = [
    { policy: 'adaptive', maxEntries: undefined },
    { policy: 'clock', maxEntries: undefined },
    { policy: 'adaptive', maxEntries: 1500 },
  ] as const
  for (const { policy, maxEntries } of configs) {
    it(`the same operations leave byte-identical shards (${policy} policy, maxEntries ${maxEntries ?? 'none'}, under eviction)`, () => {
      const seed = testSeed(424242)
      const images: Uint8Array[] = []
      for (const engine of ['wasm', 'native'] as const) {
        const clock = { now: 1_700_000_000_000 }
        const cache = makeCache<unknown>(engine, { maxBytes: 1 << 20, shards: 2, seed, policy, maxEntries, clock: () => clock.now })
        workload(cache, seed, 40_000, clock)
        expect(cache.verify()).toEqual([])
        expect(cache.stats().evictions).toBeGreaterThan(1000)
        images.push(shardBytes(cache))
        cache.close()
      }
      expect(images[0].length).toBe(images[1].length)
      const first = images[0].findIndex((b, i) => b !== images[1][i])
      expect(first, `first differing byte at shard offset ${first}`).toBe(-1)
    })
  }
})

forEachEngine('layout offsets', (engine: Engine) => {
  it('an entry, its index slot and its shard counters sit where spec.json says', () => {
    let now = 5_000
    const cache = makeCache<string>(engine, { maxBytes: 4 << 20, shards: 2, codec: 'string', clock: () => now })
    expect(cache.set('hello', 'world', { ttl: 1000 })).toBe(true)
    expect(cache.get('hello')).toBe('world')
    const { views, scratch, geometry: g } = engineInternals(cache)
    const { u8, u32, dv } = views
    const entry = u32[(scratch + L.RESULT_ENTRY_OFFSET) >> 2]
    const shard = u32[(scratch + L.RESULT_SHARD) >> 2]
    const sb = g.shardsOffset + shard * g.shardBytes
    // [flags u8][kind u8][keyLen u16][valueLen u32][expiry f64][key][value]
    expect(u8[entry] & L.ENTRY_LIVE).toBe(L.ENTRY_LIVE)
    expect(u8[entry] & L.ENTRY_HAS_TTL).toBe(L.ENTRY_HAS_TTL)
    expect(u8[entry + 1]).toBe(L.KIND_LATIN1)
    expect(dv.getUint16(entry + 2, true)).toBe(5)
    expect(dv.getUint32(entry + 4, true)).toBe(5)
    expect(dv.getFloat64(entry + L.ENTRY_HEADER_BYTES, true)).toBe(6_000)
    const keyAt = entry + L.ENTRY_HEADER_BYTES + L.ENTRY_TTL_BYTES
    expect(Buffer.from(u8.subarray(keyAt, keyAt + 10)).toString('latin1')).toBe('helloworld')
    expect(u32[(scratch + L.RESULT_VALUE_OFFSET) >> 2]).toBe(keyAt + 5)
    expect(u32[(scratch + L.RESULT_SEQ_INDEX) >> 2]).toBe((sb + L.SHARD_SEQ) >> 2)
    // The entry lies in the shard's data area, and exactly one index slot points at it.
    expect(entry - sb).toBeGreaterThanOrEqual(g.shardDataOffset)
    let slots = 0
    for (let b = 0; b < g.indexBuckets; b++)
      for (let i = 0; i < L.BUCKET_SLOTS; i++)
        if (u32[(sb + g.shardIndexOffset + b * L.BUCKET_BYTES + i * L.SLOT_BYTES + 4) >> 2] === entry - sb) slots++
    expect(slots).toBe(1)
    expect(u32[(sb + L.SHARD_LIVE_COUNT) >> 2]).toBe(1)
    expect(Number(views.u64[(sb + L.SHARD_LIVE_BYTES) >> 3])).toBe(8 + 8 + 10)
    expect(Number(views.u64[(sb + L.SHARD_SETS) >> 3])).toBe(1)
    expect(u32[(sb + L.SHARD_SEQ) >> 2] % 2).toBe(0)
    expect(u32[(sb + L.SHARD_LOCK) >> 2]).toBe(0)
    // The header both engines read their geometry from.
    expect(dv.getUint32(L.ARENA_MAGIC, true)).toBe(L.MAGIC)
    expect(dv.getUint32(L.ARENA_LAYOUT_VERSION, true)).toBe(L.LAYOUT_VERSION)
    expect(dv.getUint32(L.ARENA_SHARD_COUNT, true)).toBe(2)
    expect(Number(dv.getBigUint64(L.ARENA_SHARDS_OFFSET, true))).toBe(g.shardsOffset)
    cache.close()
  })
})
