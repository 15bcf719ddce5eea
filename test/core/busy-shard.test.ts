/**
 * The calls that return a count (verify, purgeStale, iteration) with a shard held by another thread.
 * Their engine calls say "busy" with COUNT_BUSY (u32 0xffffffff); a WebAssembly export's u32 reaches
 * JS as a signed i32, -1, which never equalled COUNT_BUSY, so the busy answer was taken for a result:
 * verify() reported "shard N: invariant -1 broken" on a consistent cache whenever a writer was inside
 * (seen in a pool that terminated workers mid-write), purgeStale() skipped the shard and subtracted one
 * from its count, and an iteration chunk that met a writer came back empty and was accepted (its
 * sequence check read the previous shard's sequence), silently leaving a shard's keys out of
 * keys()/entries()/dump(). A lock held by a "dead" second attachment (as in recovery.test.ts) makes the
 * busy answer deterministic; each call must wait for the lease, take the shard over, and answer in full.
 */
import { describe, it, expect } from 'vitest'
import { Cache } from '../../src/index.js'
import { engineInternals } from '../../src/engine/access.js'
import { nativeAddon } from '../../src/engine/native/load.js'
import { shardOf } from '../helpers/shards.js'

const engines = nativeAddon() ? (['wasm', 'native'] as const) : (['wasm'] as const)

function lockedByADeadThread(cache: Cache<string>, shard: number): void {
  const dead = Cache.attach<string>(cache.handle)
  expect(engineInternals(dead).exports.lockShard(shard)).toBe(1)
  // `dead` never unlocks: its thread "died" inside a write.
}

describe.each(engines)('counting calls on a shard another thread holds (%s)', (engine) => {
  it('verify() waits for the shard and finds the cache consistent', () => {
    const cache = new Cache<string>({ maxBytes: 4 << 20, shards: 2, codec: 'string', engine })
    for (let i = 0; i < 1000; i++) cache.set(`k${i}`, `v${i}`)
    lockedByADeadThread(cache, shardOf(cache as Cache<unknown>, 'k1'))
    expect(cache.verify()).toEqual([])
    expect(cache.stats().lockRecoveries).toBe(1)
    cache.close()
  })

  it('purgeStale() reaches the held shard too', () => {
    let now = 1000
    const cache = new Cache<string>({ maxBytes: 4 << 20, shards: 2, codec: 'string', engine, clock: () => now })
    for (let i = 0; i < 1000; i++) cache.set(`k${i}`, `v${i}`, { ttl: 100 })
    const held = shardOf(cache as Cache<unknown>, 'k1')
    let elsewhere = 0
    for (let i = 0; i < 1000; i++) if (shardOf(cache as Cache<unknown>, `k${i}`) !== held) elsewhere++
    now += 200
    lockedByADeadThread(cache, held)
    // The takeover rebuilds the held shard from its log, which drops (and counts) its expired entries
    // itself; the purge removes the others'.
    expect(cache.purgeStale()).toBe(elsewhere)
    expect(cache.size).toBe(0)
    expect(cache.stats().expirations).toBe(1000)
    expect(cache.verify()).toEqual([])
    cache.close()
  })

  it('keys() lists the held shard\'s keys (never an empty chunk for a busy one)', () => {
    const cache = new Cache<string>({ maxBytes: 4 << 20, shards: 2, codec: 'string', engine })
    const keys: string[] = []
    for (let i = 0; i < 1000; i++) {
      keys.push(`k${i}`)
      cache.set(`k${i}`, `v${i}`)
    }
    // The second shard, so the chunk before it (the first shard's last) left a valid sequence behind.
    const held = 1
    expect(keys.some((k) => shardOf(cache as Cache<unknown>, k) === held)).toBe(true)
    lockedByADeadThread(cache, held)
    expect([...cache.keys()].sort()).toEqual([...keys].sort())
    expect(new Map(cache.entries()).size).toBe(1000)
    cache.close()
  })
})
