/**
 * The log is the source of truth: a shard can be rebuilt from it at any time, and a shard whose lock
 * holder died is taken over after the lease and repaired, losing at most the dead writer's operation.
 * Death is simulated in-process by a second attachment that takes a lock and never gives it back.
 */
import { describe, it, expect } from 'vitest'
import { Cache } from '../../src/index.js'
import * as L from '../../src/layout/constants.generated.js'
import { LEASE_MS } from '../../src/engine/contention.js'
import { engineInternals } from '../../src/engine/access.js'
import { shardOf } from '../helpers/shards.js'


describe('recovery', () => {
  it('rebuilding every shard from its log changes nothing observable', () => {
    let now = 1000
    const cache = new Cache<string>({ maxBytes: 8 << 20, shards: 4, codec: 'string', clock: () => now })
    for (let i = 0; i < 20_000; i++) cache.set(`k${i}`, `v${i}`.repeat(1 + (i % 7)), { ttl: i % 5 === 0 ? 100 : 0 })
    for (let i = 0; i < 20_000; i += 4) cache.delete(`k${i}`)
    const before = new Map(cache.entries())
    const size = cache.size
    const { exports } = engineInternals(cache)
    for (let s = 0; s < 4; s++) expect(exports.rebuild(s, now) & 0xff).toBe(L.STATUS_STORED)
    expect(cache.verify()).toEqual([])
    expect(cache.size).toBe(size)
    expect(new Map(cache.entries())).toEqual(before)
    // Expired entries are dropped by a rebuild and counted.
    now += 1000
    const expiredBefore = cache.stats().expirations
    for (let s = 0; s < 4; s++) exports.rebuild(s, now)
    expect(cache.stats().expirations).toBeGreaterThan(expiredBefore)
    expect(cache.verify()).toEqual([])
  })

  it('a lock left by a dead thread is taken over after the lease and the shard repaired', () => {
    const cache = new Cache<string>({ maxBytes: 4 << 20, shards: 2, codec: 'string' })
    for (let i = 0; i < 1000; i++) cache.set(`k${i}`, `v${i}`)
    const dead = Cache.attach<string>(cache.handle)
    const shard = shardOf(cache as Cache<unknown>, 'k1')
    expect(engineInternals(dead).exports.lockShard(shard)).toBe(1)
    // `dead` never unlocks: its thread "died" inside a critical section.
    const started = performance.now()
    expect(cache.set('k1', 'after')).toBe(true)
    const waited = performance.now() - started
    expect(waited).toBeGreaterThanOrEqual(LEASE_MS * 0.9)
    expect(cache.get('k1')).toBe('after')
    expect(cache.stats().lockRecoveries).toBe(1)
    expect(cache.verify()).toEqual([])
    for (let i = 2; i < 1000; i++) expect(cache.get(`k${i}`)).toBe(`v${i}`)
  })

  it('a writer that died between reserving and committing an entry loses only that write', () => {
    const cache = new Cache<string>({ maxBytes: 4 << 20, shards: 1, codec: 'string' })
    for (let i = 0; i < 500; i++) cache.set(`k${i}`, `v${i}`)
    const dead = Cache.attach<string>(cache.handle)
    const { exports, views, scratch } = engineInternals(dead)
    // Stage a set of k7 the way a large value is stored, then die before setCommit.
    const key = Buffer.from('k7')
    views.u8.set(key, scratch + L.RESULT_SIZE)
    expect(exports.setReserve(key.length, 10, L.KIND_LATIN1, 0, -1)).toBe(L.STATUS_STORED)
    views.u8.fill(0x41, views.u32[(scratch + L.RESULT_VALUE_OFFSET) >> 2], views.u32[(scratch + L.RESULT_VALUE_OFFSET) >> 2] + 5)
    // Readers can't see the half-written entry; they wait, take over, and find the old value.
    expect(cache.get('k7')).toBe('v7')
    expect(cache.stats().lockRecoveries).toBe(1)
    expect(cache.verify()).toEqual([])
    expect(cache.size).toBe(500)
  })

  it('a writer that died rewriting a value in place leaves no torn value: the key is gone', () => {
    const cache = new Cache<string>({ maxBytes: 4 << 20, shards: 1, codec: 'string' })
    cache.set('k', 'old-value')
    cache.set('other', 'kept')
    const dead = Cache.attach<string>(cache.handle)
    const { exports, views, scratch } = engineInternals(dead)
    const key = Buffer.from('k')
    views.u8.set(key, scratch + L.RESULT_SIZE)
    // Same size as 'old-value': the engine rewrites it in place; the writer dies halfway through.
    expect(exports.setReserve(key.length, 9, L.KIND_LATIN1, 0, -1)).toBe(L.STATUS_STORED)
    const at = views.u32[(scratch + L.RESULT_VALUE_OFFSET) >> 2]
    views.u8.set(Buffer.from('new-'), at)
    expect(cache.get('k')).toBeUndefined()
    expect(cache.get('other')).toBe('kept')
    expect(cache.stats().lockRecoveries).toBe(1)
    expect(cache.verify()).toEqual([])
  })

  it('a rebuild cuts a torn write off the end of the log and keeps everything before it', () => {
    const cache = new Cache<string>({ maxBytes: 4 << 20, shards: 1, codec: 'string' })
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, `v${i}`)
    const g = cache.geometry
    const { views, exports } = engineInternals(cache)
    const sb = g.shardsOffset
    // The window's head segment holds the latest appends: make its last 8 bytes a header no entry has.
    const head = views.u32[(sb + L.QUEUES_OFFSET + L.QUEUE_WINDOW * L.QUEUE_SIZE + L.QUEUE_HEAD) >> 2]!
    expect(head).toBeGreaterThan(0)
    const usedAt = sb + g.shardSegHeadersOffset + (head - 1) * L.SEG_SIZE + L.SEG_USED
    const used = views.u32[usedAt >> 2]!
    expect(used + 8).toBeLessThanOrEqual(g.segBytes)
    views.u8.fill(0xff, sb + g.shardDataOffset + (head - 1) * g.segBytes + used, sb + g.shardDataOffset + (head - 1) * g.segBytes + used + 8)
    views.u32[usedAt >> 2] = used + 8
    expect(exports.rebuild(0, Date.now()) & 0xff).toBe(L.STATUS_STORED)
    expect(views.u32[usedAt >> 2]).toBe(used)
    expect(cache.verify()).toEqual([])
    for (let i = 0; i < 100; i++) expect(cache.get(`k${i}`)).toBe(`v${i}`)
    // Appends go on where the log really ends.
    for (let i = 100; i < 200; i++) cache.set(`k${i}`, `v${i}`)
    expect(exports.rebuild(0, Date.now()) & 0xff).toBe(L.STATUS_STORED)
    expect(cache.verify()).toEqual([])
    for (let i = 0; i < 200; i++) expect(cache.get(`k${i}`)).toBe(`v${i}`)
    cache.close()
  })

  it('readers can tell a writer is inside: the sequence is odd exactly while the shard lock is held', () => {
    // Lock-free reads skip an odd sequence and check it did not move after copying: a lock that did
    // not make it odd would let a reader copy a value while its writer is halfway through it.
    const cache = new Cache<string>({ maxBytes: 4 << 20, shards: 1, codec: 'string' })
    cache.set('k', 'v')
    const { exports, views } = engineInternals(cache)
    const seqAt = (cache.geometry.shardsOffset + L.SHARD_SEQ) >> 2
    const before = views.u32[seqAt]!
    expect(before % 2).toBe(0)
    expect(exports.lockShard(0)).toBe(1)
    expect(views.u32[seqAt]! % 2).toBe(1)
    exports.unlockShard(0)
    expect(views.u32[seqAt]).toBe(before + 2)
    // A write moves it by two as well: odd while inside, even again after.
    cache.set('k', 'w')
    expect(views.u32[seqAt]).toBe(before + 4)
    cache.close()
  })
})
