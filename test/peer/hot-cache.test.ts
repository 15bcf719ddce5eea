/**
 * The hot cache keeps keys fetched often: a scan of cold remote keys, each fetched once (a miss then a
 * copy offered, as PeerGroup.get does), must not flush a hot key, and the cache stays within its bytes.
 */
import { describe, expect, it } from 'vitest'
import { HotCache } from '../../src/peer/hot-cache.js'
import { mulberry32 } from '../helpers/mulberry32.mjs'
import { testSeed } from '../helpers/seed.js'

/** How many hot keys a plain LRU of `capacity` entries keeps after the same warm-up and scan. */
function lruKept(seed: number, capacity: number, hotKeys: readonly string[]): number {
  const random = mulberry32(seed)
  const lru = new Map<string, true>()
  const ask = (key: string) => {
    if (lru.delete(key)) lru.set(key, true)
    else {
      lru.set(key, true)
      if (lru.size > capacity) lru.delete(lru.keys().next().value!)
    }
  }
  for (let i = 0; i < 5000; i++) ask(hotKeys[Math.floor(random() * hotKeys.length)]!)
  for (let i = 0; i < 40_000; i++) {
    ask(`cold:${i}`)
    if (i % 400 === 0) ask(hotKeys[Math.floor(random() * hotKeys.length)]!)
  }
  return hotKeys.filter((key) => lru.has(key)).length
}

describe('HotCache', () => {
  it('a scan of cold keys does not flush the hot ones (TinyLFU admission), and bytes stay bounded', () => {
    const seed = testSeed(4242)
    const random = mulberry32(seed)
    const hot = new HotCache<string>({ maxBytes: 1 << 20 }, 'auto', 'test')
    try {
      const value = 'v'.repeat(200)
      const hotKeys = Array.from({ length: 50 }, (_, i) => `hot:${i}`)
      // Warm-up: the hot keys are asked often (every ask is a lookup; a miss fetches and offers a copy).
      const ask = (key: string) => {
        if (hot.get(key) === undefined) hot.offer(key, value)
      }
      for (let i = 0; i < 5000; i++) ask(hotKeys[Math.floor(random() * hotKeys.length)]!)
      // A scan: 40,000 cold keys, each asked once, far more than the cache holds.
      for (let i = 0; i < 40_000; i++) {
        ask(`cold:${i}`)
        // Traffic on the hot keys goes on meanwhile, sparsely: each hot key comes back far less often
        // than the scan fills the cache, so recency alone (an LRU) would drop it.
        if (i % 400 === 0) ask(hotKeys[Math.floor(random() * hotKeys.length)]!)
      }
      const kept = hotKeys.filter((key) => hot.get(key) !== undefined).length
      expect(kept, `hot keys still cached after the scan: ${kept} of ${hotKeys.length}`).toBeGreaterThanOrEqual(hotKeys.length * 0.9)
      const stats = hot.stats()
      expect(stats.bytesUsed).toBeLessThanOrEqual(stats.bytesTotal)
      expect(stats.entries).toBeLessThan(40_000)
      // The contrast that justifies a Cortado Cache here: an LRU of as many entries, same sequence.
      expect(lruKept(seed, stats.entries, hotKeys)).toBeLessThanOrEqual(hotKeys.length * 0.25)
    } finally {
      hot.close()
    }
  })
})
