/**
 * Values above 2 GiB in a native cache seen through windows (issue #22: values up to maxBytes / 16,
 * which a window of 4 GiB allows up to ~59 GiB caches). Every length and offset past 2^31 must stay
 * unsigned on the way through the engine, the window's staging and JS. Needs ~7 GiB of memory (the
 * value, its chain in the arena, the staging copy and the value read back): skipped on smaller hosts.
 */
import { describe, it, expect } from 'vitest'
import { totalmem } from 'node:os'
import { Cache } from '../../src/index.js'
import { nativeBuilt } from '../conformance/engines.js'
import { testSeed } from '../helpers/seed.js'
import { Prng } from '../../bench/workloads/prng.js'

const GiB = 2 ** 30
/** A pattern of a prime length, so that each period sits at a different offset within segments and pages. */
const PERIOD = 4093

describe.runIf(nativeBuilt && totalmem() >= 16 * GiB)('a value larger than 2 GiB in a 40 GiB native cache', () => {
  it('is stored, read back byte-exact on both sides of 2^31, and deleted without leaking bytes', () => {
    const seed = testSeed(2031)
    const rng = new Prng(seed)
    const block = Buffer.alloc(PERIOD)
    for (let i = 0; i < PERIOD; i++) block[i] = rng.nextInt(256)
    const cache = new Cache<Buffer>({ maxBytes: 40 * GiB, engine: 'native', codec: 'buffer' })
    try {
      const baseline = cache.stats().bytesUsed
      expect(cache.geometry.maxEntryBytes).toBeGreaterThanOrEqual(40 * GiB / 16)
      const size = 2 * GiB + 2 ** 21 + 7
      let value: Buffer | undefined = Buffer.alloc(size, block)
      expect(cache.set('huge', value), `seed ${seed}`).toBe(true)
      value = undefined
      expect(cache.stats().bytesUsed - baseline).toBeGreaterThanOrEqual(size)
      const back = cache.get('huge')
      expect(back?.length).toBe(size)
      let wrong = -1
      for (let off = 0; off < size && wrong < 0; off += PERIOD) {
        const n = Math.min(PERIOD, size - off)
        if (back!.compare(block, 0, n, off, off + n) !== 0) wrong = off
      }
      expect(wrong, `first period that differs (seed ${seed})`).toBe(-1)
      expect(cache.delete('huge')).toBe(true)
      expect(cache.stats().bytesUsed).toBe(baseline)
      expect(cache.verify()).toEqual([])
    } finally {
      cache.close()
    }
  }, 180_000)
})
