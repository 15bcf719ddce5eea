/**
 * The index and the admission sketch's counters are sized, per shard, for what a shard may hold: its
 * share of maxEntries plus six standard deviations of uneven hashing (busiestShare), the room
 * maxBytesFor gives its bytes, not a flat 15% over the share (stop 40: ~2.7 bytes per entry less). The
 * ghost list, whose size also sets the sketch's ageing period, keeps the 15% the policy was tuned with.
 */
import { describe, expect, it } from 'vitest'
import { busiestShare, computeGeometry, maxBytesFor } from '../../src/layout/geometry.js'
import * as L from '../../src/layout/constants.generated.js'
import { Cache } from '../../src/index.js'

function metadataPerEntry(entries: number): { perEntry: number; share: number; g: ReturnType<typeof computeGeometry> } {
  const maxBytes = maxBytesFor(entries, 136, { policy: L.POLICY_ADAPTIVE })
  const g = computeGeometry({ maxBytes, maxEntries: entries, policy: L.POLICY_ADAPTIVE })
  const bytes = g.shardCount * (g.indexBuckets * L.BUCKET_BYTES + g.sketchBlocks * L.SKETCH_BLOCK_BYTES + g.ghostSlots * 8)
  return { perEntry: bytes / entries, share: entries / g.shardCount, g }
}

describe('geometry: per-shard metadata', () => {
  it('index buckets and sketch counters follow the busiest share; ghost slots 15% over the share', () => {
    for (const entries of [100_000, 1_000_000, 5_000_000]) {
      const { g } = metadataPerEntry(entries)
      const capacity = Math.ceil(busiestShare(entries, g.shardCount))
      expect(g.shardCount).toBeGreaterThanOrEqual(8)
      const ghost = Math.ceil((entries / g.shardCount) * 1.15) + 32
      expect(g.ghostSlots).toBe(Math.ceil(ghost / L.BUCKET_SLOTS) * L.BUCKET_SLOTS)
      expect(g.indexBuckets).toBe(Math.ceil(capacity / (L.BUCKET_SLOTS * 0.75)))
      // 16 four-bit counters per entry of capacity, and the miss filter's blocks beside them.
      expect(g.sketchBlocks).toBeGreaterThanOrEqual(Math.ceil(capacity / 8))
      expect(g.sketchBlocks).toBeLessThanOrEqual(Math.ceil(capacity / 8) * 1.26 + 1)
    }
  })

  it('costs under 31 bytes per entry at 1M and 5M (33 with 15% over each share)', () => {
    for (const entries of [1_000_000, 5_000_000]) {
      const { perEntry, share, g } = metadataPerEntry(entries)
      expect(perEntry, `${entries}`).toBeLessThan(31)
      // Still room for the imbalance: every shard's metadata covers more than its mean share.
      expect(g.ghostSlots).toBeGreaterThan(share * 1.01)
      expect(g.maxEntriesPerShard).toBeGreaterThan(busiestShare(entries, g.shardCount) * 1.15)
    }
  })

  it('one shard alone is sized for maxEntries exactly', () => {
    const g = computeGeometry({ maxBytes: 64 << 20, maxEntries: 2000, shards: 1, policy: L.POLICY_ADAPTIVE })
    expect(g.ghostSlots).toBe(2000)
    expect(g.indexBuckets).toBe(Math.ceil(2000 / (L.BUCKET_SLOTS * 0.75)))
  })

  it('a shard that gets far more than its share of the keys still holds them (maxEntries binds, not the shard)', () => {
    // 64 entries over 16 shards: the busiest share is ~4 + 6σ, and the keys are too few to spread evenly.
    const cache = new Cache<string>({ maxBytes: 16 << 20, maxEntries: 64, shards: 16, codec: 'string' })
    for (let i = 0; i < 64; i++) cache.set(`key-${i}`, 'v')
    expect(cache.size).toBe(64)
    expect(cache.stats().evictions).toBe(0)
    cache.close()
  })
})
