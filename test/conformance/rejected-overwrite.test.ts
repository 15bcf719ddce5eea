/**
 * A refused set of a key that held a live value removes that value (the cache must not serve what the
 * caller just replaced, as lru-cache drops a key whose new value it refuses), and says so in
 * `rejectedOverwrites` (part of `rejections`): without it, an entry left the cache counted nowhere.
 */
import { it, expect } from 'vitest'
import { forEachEngine, makeCache } from './engines.js'

forEachEngine('a refused set of a stored key', (engine) => {
  it('removes the old value and counts it in rejectedOverwrites; a refused new key or an expired old value does not', () => {
    let now = 1000
    const cache = makeCache<string>(engine, { maxBytes: 4 << 20, codec: 'string', clock: () => now, maxEntrySize: 1000 })
    cache.set('stored', 'old value')
    cache.set('expiring', 'old value', { ttl: 10 })
    cache.set('kept', 'old value')
    now += 10
    const before = cache.stats()
    expect(cache.set('stored', 'x'.repeat(2000))).toBe(false)
    expect(cache.set('new', 'x'.repeat(2000))).toBe(false)
    expect(cache.set('expiring', 'x'.repeat(2000))).toBe(false)
    const after = cache.stats()
    expect(after.rejections - before.rejections).toBe(3)
    expect(after.oversized - before.oversized).toBe(3)
    expect(after.rejectedOverwrites - before.rejectedOverwrites).toBe(1)
    expect(after.expirations - before.expirations).toBe(1)
    expect(after.entries).toBe(before.entries - 2)
    // What left is accounted for: the refused overwrite and the expired entry, nothing else.
    expect(after.deletes + after.evictions + after.invalidations).toBe(0)
    expect(cache.get('stored')).toBeUndefined()
    expect(cache.get('expiring')).toBeUndefined()
    expect(cache.get('kept')).toBe('old value')
    cache.close()
  })
})
