/**
 * The log is the source of truth on every engine: rebuilding a shard changes nothing observable, and a
 * lock left by a "dead" attachment (one that never unlocks) is taken over after the lease and its shard
 * repaired, losing at most the dead writer's operation.
 */
import { it, expect } from 'vitest'
import { Cache } from '../../src/index.js'
import * as L from '../../src/layout/constants.generated.js'
import { LEASE_MS } from '../../src/engine/contention.js'
import { forEachEngine, makeCache } from './engines.js'

function shardOf(cache: Cache<unknown>, key: string): number {
  cache.has(key)
  const { views, scratch } = cache._internals
  return views.u32[(scratch + L.RESULT_SHARD) >> 2]
}

forEachEngine('recovery', (engine) => {
  it('rebuilding every shard from its log changes nothing observable', () => {
    let now = 1000
    const cache = makeCache<string>(engine, { maxBytes: 8 << 20, shards: 4, codec: 'string', clock: () => now })
    for (let i = 0; i < 10_000; i++) cache.set(`k${i}`, `v${i}`.repeat(1 + (i % 7)), { ttl: i % 5 === 0 ? 100 : 0 })
    for (let i = 0; i < 10_000; i += 4) cache.delete(`k${i}`)
    const before = new Map(cache.entries())
    const { exports } = cache._internals
    for (let s = 0; s < 4; s++) expect(exports.rebuild(s, now) & 0xff).toBe(L.STATUS_STORED)
    expect(cache.verify()).toEqual([])
    expect(new Map(cache.entries())).toEqual(before)
    now += 1000
    const expiredBefore = cache.stats().expirations
    for (let s = 0; s < 4; s++) exports.rebuild(s, now)
    expect(cache.stats().expirations).toBeGreaterThan(expiredBefore)
    expect(cache.verify()).toEqual([])
    cache.close()
  })

  it('a lock held by a dead attachment is taken over after the lease and the shard repaired', () => {
    const cache = makeCache<string>(engine, { maxBytes: 4 << 20, shards: 2, codec: 'string' })
    for (let i = 0; i < 1000; i++) cache.set(`k${i}`, `v${i}`)
    const dead = Cache.attach<string>(cache.handle)
    const shard = shardOf(cache as Cache<unknown>, 'k1')
    expect(dead._internals.exports.lockShard(shard)).toBe(1)
    const started = performance.now()
    expect(cache.set('k1', 'after')).toBe(true)
    expect(performance.now() - started).toBeGreaterThanOrEqual(LEASE_MS * 0.9)
    expect(cache.get('k1')).toBe('after')
    expect(cache.stats().lockRecoveries).toBe(1)
    expect(cache.verify()).toEqual([])
    for (let i = 2; i < 1000; i++) expect(cache.get(`k${i}`)).toBe(`v${i}`)
    cache.close()
  })

  it('iteration falls back to reading under the shard lock, and completes (here after taking a dead lock over)', () => {
    const cache = makeCache<string>(engine, { maxBytes: 4 << 20, shards: 1, codec: 'string' })
    for (let i = 0; i < 300; i++) cache.set(`k${i}`, `v${i}`)
    const dead = Cache.attach<string>(cache.handle)
    expect(dead._internals.exports.lockShard(0)).toBe(1)
    const seen = new Map(cache.entries())
    expect(seen.size).toBe(300)
    expect(seen.get('k7')).toBe('v7')
    expect(cache.stats().lockRecoveries).toBe(1)
    cache.close()
  })

  it('a writer that died between reserving and committing an entry loses only that write', () => {
    const cache = makeCache<string>(engine, { maxBytes: 4 << 20, shards: 1, codec: 'string' })
    for (let i = 0; i < 500; i++) cache.set(`k${i}`, `v${i}`)
    const dead = Cache.attach<string>(cache.handle)
    const { exports, views, scratch } = dead._internals
    const key = Buffer.from('k7')
    views.u8.set(key, scratch + L.RESULT_SIZE)
    expect(exports.setReserve(key.length, 10, L.KIND_LATIN1, 0, -1)).toBe(L.STATUS_STORED)
    const at = views.u32[(scratch + L.RESULT_VALUE_OFFSET) >> 2]
    views.u8.fill(0x41, at, at + 5)
    expect(cache.get('k7')).toBe('v7')
    expect(cache.stats().lockRecoveries).toBe(1)
    expect(cache.verify()).toEqual([])
    expect(cache.size).toBe(500)
    cache.close()
  })
})
