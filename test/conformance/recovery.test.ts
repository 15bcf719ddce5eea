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
import { engineInternals } from '../../src/engine/access.js'
import { shardOf } from '../helpers/shards.js'


forEachEngine('recovery', (engine) => {
  it('rebuilding every shard from its log changes nothing observable, except dropping what expired', () => {
    let now = 1000
    const cache = makeCache<string>(engine, { maxBytes: 8 << 20, shards: 4, codec: 'string', clock: () => now })
    const keys = Array.from({ length: 8000 }, (_, i) => `key/${i.toString(16)}`)
    cache.setMany(keys.filter((_, i) => i % 3 !== 0).map((k) => [k, k.padEnd(40, '.')]))
    cache.setMany(keys.filter((_, i) => i % 3 === 0).map((k) => [k, 'short-lived']), { ttl: 100 })
    for (const k of keys.slice(0, 2000)) cache.invalidateKey(k)
    const { exports } = engineInternals(cache)
    const rebuildAll = () => {
      for (let s = 0; s < cache.geometry.shardCount; s++) expect(exports.rebuild(s, now) & 0xff).toBe(L.STATUS_STORED)
      expect(cache.verify()).toEqual([])
    }
    const before = new Map(cache.entries())
    rebuildAll()
    expect(new Map(cache.entries())).toEqual(before)
    now += 1000
    const expired = [...before.values()].filter((v) => v === 'short-lived').length
    const { expirations } = cache.stats()
    rebuildAll()
    expect(cache.stats().expirations - expirations).toBe(expired)
    expect(cache.size).toBe(before.size - expired)
    cache.close()
  })

  it('a lock held by a dead attachment is taken over after the lease and the shard repaired', () => {
    const cache = makeCache<string>(engine, { maxBytes: 4 << 20, shards: 2, codec: 'string' })
    const keys = Array.from({ length: 1000 }, (_, i) => `entry-${i}`)
    cache.setMany(keys.map((k) => [k, k.toUpperCase()]))
    const shard = shardOf(cache as Cache<unknown>, keys[1]!)
    // A second attachment takes the shard's lock and never gives it back: its thread "died" inside.
    expect(engineInternals(Cache.attach<string>(cache.handle)).exports.lockShard(shard)).toBe(1)
    const t0 = performance.now()
    expect(cache.delete(keys[1]!)).toBe(true)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(LEASE_MS * 0.9)
    expect(cache.stats().lockRecoveries).toBe(1)
    expect(cache.verify()).toEqual([])
    expect(cache.getMany(keys)).toEqual(keys.map((k, i) => (i === 1 ? undefined : k.toUpperCase())))
    cache.close()
  })

  it('iteration falls back to reading under the shard lock, and completes (here after taking a dead lock over)', () => {
    const cache = makeCache<string>(engine, { maxBytes: 4 << 20, shards: 1, codec: 'string' })
    for (let i = 0; i < 300; i++) cache.set(`k${i}`, `v${i}`)
    const dead = Cache.attach<string>(cache.handle)
    expect(engineInternals(dead).exports.lockShard(0)).toBe(1)
    const seen = new Map(cache.entries())
    expect(seen.size).toBe(300)
    expect(seen.get('k7')).toBe('v7')
    expect(cache.stats().lockRecoveries).toBe(1)
    cache.close()
  })

  it('a writer that died between reserving and committing an entry loses only that write', () => {
    const cache = makeCache<string>(engine, { maxBytes: 4 << 20, shards: 1, codec: 'string', maxEntrySize: 64 << 10 })
    const big = (c: string) => c.repeat(40_000) // larger than the scratch area: stored through setReserve
    cache.set('big', big('a'))
    cache.setMany([['small-1', 'one'], ['small-2', 'two']])
    // Another attachment reserves room for a new value of 'big' (of another size, so it goes to a new
    // entry rather than over the old one), writes half of it, and dies.
    const dying = engineInternals(Cache.attach<string>(cache.handle))
    dying.views.u8.set(Buffer.from('big'), dying.scratch + L.RESULT_SIZE)
    expect(dying.exports.setReserve(3, 30_000, L.KIND_LATIN1, 0, -1)).toBe(L.STATUS_STORED)
    const valueAt = dying.views.u32[(dying.scratch + L.RESULT_VALUE_OFFSET) >> 2]!
    dying.views.u8.fill('b'.charCodeAt(0), valueAt, valueAt + 15_000)
    // The half-written entry never becomes visible: readers wait, take the shard over, keep the old value.
    expect(cache.get('big')).toBe(big('a'))
    expect(cache.getMany(['small-1', 'small-2'])).toEqual(['one', 'two'])
    expect(cache.stats().lockRecoveries).toBe(1)
    expect(cache.verify()).toEqual([])
    cache.close()
  })

})
