/**
 * The largest value an entry can hold (4 GiB less its header and key) in a 64 GiB native cache seen
 * through windows (issue #22: values up to maxBytes / 16). The value goes straight from the caller's
 * buffer into its chain of segments and back, never through the window, so its size is bounded by the
 * entry limit alone; every length and offset past 2^31 must stay unsigned on the way through the
 * engine and JS. Needs ~12 GiB of memory (the value, its chain in the arena and the value read back):
 * skipped on smaller hosts, and when less than 16 GiB is free as it starts (other test files run beside it).
 */
import { describe, it, expect } from 'vitest'
import { totalmem, freemem } from 'node:os'
import { Cache } from '../../src/index.js'
import { nativeBuilt } from '../conformance/engines.js'
import { testSeed } from '../helpers/seed.js'
import { Prng } from '../../bench/workloads/prng.js'
import * as L from '../../src/layout/constants.generated.js'

const GiB = 2 ** 30
/** A pattern of a prime length, so that each period sits at a different offset within segments and pages. */
const PERIOD = 4093

const roomy = totalmem() >= 20 * GiB && freemem() >= 16 * GiB
if (nativeBuilt && !roomy) console.log(`[huge values] skipped: ${(freemem() / GiB).toFixed(1)} GiB free of ${(totalmem() / GiB).toFixed(1)}`)

describe.runIf(nativeBuilt && roomy)('the largest value in a 64 GiB native cache', () => {
  it('is stored, read back byte-exact on both sides of 2^31, refused one byte larger, and deleted without leaking bytes', () => {
    const seed = testSeed(2031)
    const rng = new Prng(seed)
    const block = Buffer.alloc(PERIOD)
    for (let i = 0; i < PERIOD; i++) block[i] = rng.nextInt(256)
    const cache = new Cache<Buffer>({ maxBytes: 64 * GiB, engine: 'native', codec: 'buffer' })
    try {
      const baseline = cache.stats().bytesUsed
      // maxBytes / 16 is 4 GiB; an entry's length is a u32.
      expect(cache.geometry.maxEntryBytes).toBe(2 ** 32 - 1)
      const key = 'huge'
      const size = cache.geometry.maxEntryBytes - L.ENTRY_HEADER_BYTES - key.length
      let value: Buffer | undefined = Buffer.alloc(size + 1, block)
      expect(cache.set(key, value), `seed ${seed}`).toBe(false)
      expect(cache.stats().oversized).toBe(1)
      expect(cache.set(key, value.subarray(0, size)), `seed ${seed}`).toBe(true)
      value = undefined
      expect(cache.stats().bytesUsed - baseline).toBeGreaterThanOrEqual(size)
      const back = cache.get(key)
      expect(back?.length).toBe(size)
      let wrong = -1
      for (let off = 0; off < size && wrong < 0; off += PERIOD) {
        const n = Math.min(PERIOD, size - off)
        if (back!.compare(block, 0, n, off, off + n) !== 0) wrong = off
      }
      expect(wrong, `first period that differs (seed ${seed})`).toBe(-1)
      expect(cache.delete(key)).toBe(true)
      expect(cache.stats().bytesUsed).toBe(baseline)
      expect(cache.verify()).toEqual([])
    } finally {
      cache.close()
    }
  }, 300_000)
})
