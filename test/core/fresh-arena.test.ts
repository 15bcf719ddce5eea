/**
 * A new cache touches only the pages it writes. WebAssembly makes its memory all zeros, and init()
 * used to zero the sketch and the ghost of every shard again (clear()'s code), touching ~14% of
 * maxBytes before any set: an empty 256 MiB cache took 37 MiB of RSS, a 1 GiB one 144 MiB (stop 36;
 * now ~1.5 MiB and less). The fills are kept for clear() and recovery, whose memory is not fresh.
 */
import { it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { Cache } from '../../src/index.js'

const canRead = (() => { try { return /VmRSS/.test(readFileSync('/proc/self/status', 'utf8')) } catch { return false } })()
const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024

it.runIf(canRead)('a new 256 MiB cache (WebAssembly engine) takes a few MiB of RSS, not its sketch and ghost areas', () => {
  const before = rssMiB()
  const cache = new Cache<string>({ maxBytes: 256 << 20, engine: 'wasm' })
  const grew = rssMiB() - before
  // The sketch and ghost areas of 16 shards are ~37 MiB: touching them shows far above this bound.
  expect(grew, `RSS grew by ${grew.toFixed(1)} MiB`).toBeLessThan(12)
  // And the cache works: the areas it skipped are zeros, as clear() leaves them.
  for (let i = 0; i < 1000; i++) cache.set(`k${i}`, `v${i}`)
  expect(cache.get('k999')).toBe('v999')
  expect(cache.verify()).toEqual([])
  cache.clear()
  expect(cache.size).toBe(0)
  cache.set('again', 'x')
  expect(cache.get('again')).toBe('x')
  cache.close()
})
