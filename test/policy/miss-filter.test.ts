/**
 * The miss filter's 'missed' bits across a change of traffic (MISS_CLEAR, issue #18, stop 50): cache-aside
 * traffic with many distinct misses leaves a large share of them set (a Zipf phase over 20 × capacity keys:
 * 48%), and a write phase after it would find half of its new keys "asked for" — no UNASKED_TIE, no
 * ONCE_GAIN, and their returns from main's ghost shrink the window (phases written once, 1M entries: −0.82
 * under LRU on the model, −0.05 with the rule). When the share of inserts written unasked crosses
 * RETURN_SHARE, the 'missed' bits go and the 'written unasked' bits stay.
 */
import { expect, it } from 'vitest'
import { Cache } from '../../src/index.js'
import { engineInternals } from '../../src/engine/access.js'
import * as L from '../../src/layout/constants.generated.js'
import { MISS_FILTER_SHARE, RETURN_SHARE } from '../../src/layout/policy.generated.js'
import { forEachEngine } from '../conformance/engines.js'
import { testSeed } from '../helpers/seed.js'

const CAPACITY = 4000

/** Share of the filter's pairs with the 'missed' bit (even bits) and the 'written unasked' bit (odd) set. */
function filterDensity(cache: Cache<string>): { missed: number; unasked: number } {
  const { views, geometry } = engineInternals(cache)
  // The engines split the sketch area back as counters = floor(blocks × (share − 1) / share), the rest the filter.
  const counterBlocks = Math.floor((geometry.sketchBlocks * (MISS_FILTER_SHARE - 1)) / MISS_FILTER_SHARE)
  const from = geometry.shardsOffset + geometry.shardSketchOffset + counterBlocks * L.SKETCH_BLOCK_BYTES
  const to = geometry.shardsOffset + geometry.shardSketchOffset + geometry.sketchBlocks * L.SKETCH_BLOCK_BYTES
  let missed = 0
  let unasked = 0
  for (let p = from; p < to; p += 4) {
    const w = views.u32[p >>> 2]!
    for (let b = 0; b < 32; b += 2) {
      missed += (w >>> b) & 1
      unasked += (w >>> (b + 1)) & 1
    }
  }
  const pairs = ((to - from) * 8) / 2
  return { missed: missed / pairs, unasked: unasked / pairs }
}

forEachEngine('the miss filter across a change of traffic', (engine) => {
  it("clears the 'missed' bits when writes of keys no get missed begin, and keeps the 'written unasked' ones", () => {
    const seed = testSeed(50)
    const cache = new Cache<string>({ engine, shards: 1, maxBytes: 16 << 20, maxEntries: CAPACITY, codec: 'string', seed })
    try {
      const { views, geometry } = engineInternals(cache)
      const share = () => views.dv.getFloat64(geometry.shardsOffset + L.POLICY_STATE_OFFSET + L.POLICY_UNASKED_SHARE, true)
      // Cache-aside over distinct keys: every get misses and sets its bit (the sketch counts only the
      // sets: 5 × capacity of them stays before the first ageing at 10 × capacity; 46% of the pairs).
      for (let i = 0; i < 5 * CAPACITY; i++) {
        const k = `aside-${i}`
        if (cache.get(k) === undefined) cache.set(k, '1')
      }
      const before = filterDensity(cache)
      expect(before.missed, `seed ${seed}`).toBeGreaterThan(0.35)
      expect(share()).toBeLessThan(RETURN_SHARE)
      // Writes of new keys until the share of inserts written unasked reaches RETURN_SHARE.
      let written = 0
      while (share() < RETURN_SHARE && written < CAPACITY) cache.set(`new-${written++}`, '1')
      expect(share(), `seed ${seed}`).toBeGreaterThanOrEqual(RETURN_SHARE)
      const after = filterDensity(cache)
      // Every 'missed' bit set before is gone; the keys written since keep their 'written unasked' bits.
      expect(after.missed, `seed ${seed}: ${written} writes`).toBe(0)
      expect(after.unasked, `seed ${seed}`).toBeGreaterThan(0)
      // Reads that miss set bits again from there.
      for (let i = 0; i < 100; i++) cache.get(`absent-${i}`)
      expect(filterDensity(cache).missed).toBeGreaterThan(0)
    } finally {
      cache.close()
    }
  })
})
