/**
 * A cache whose values turn out far larger than its shards were sized for (expectedEntrySize) says so
 * once, with the option that fixes it; a cache sized for them, or of small values, says nothing. The
 * warning shares the arena's warnings word with CORTADO_OVERSIZED: each is still given once.
 */
import { it, expect, afterEach } from 'vitest'
import { collectWarnings, settle } from '../helpers/warnings.js'
import { forEachEngine, makeCache } from '../conformance/engines.js'
import { LARGE_SETS_BEFORE_ADVICE } from '../../src/engine/shard-advice.js'

const MiB = 1 << 20

forEachEngine('shard advice', (engine) => {
  let stop: (() => void) | undefined
  afterEach(() => stop?.())

  it('40 KiB values in a 16 MiB cache of 4 shards: one CORTADO_SHARDS warning naming expectedEntrySize; the oversize warning still comes once', async () => {
    const w = collectWarnings('CORTADO_SHARDS')
    const o = collectWarnings('CORTADO_OVERSIZED')
    stop = () => { w.stop(); o.stop() }
    const cache = makeCache<Buffer>(engine, { maxBytes: 16 * MiB, codec: 'buffer', name: 'pages' })
    expect(cache.geometry.shardCount).toBeGreaterThan(1)
    const value = Buffer.alloc(40 * 1024, 1)
    for (let i = 0; i < 2 * LARGE_SETS_BEFORE_ADVICE; i++) cache.set(`page:${i}`, value)
    expect(cache.set('huge', Buffer.alloc(4 * MiB))).toBe(false)
    expect(cache.set('huge2', Buffer.alloc(4 * MiB))).toBe(false)
    await settle()
    expect(w.warnings).toHaveLength(1)
    expect(w.warnings[0]!.message).toContain("cache 'pages' holds entries of ~40 KiB")
    expect(w.warnings[0]!.message).toContain('expectedEntrySize: 41984')
    expect(o.warnings).toHaveLength(1)
    cache.close()
  })

  it('no warning when expectedEntrySize fits the values, nor for values too small to take the large path', async () => {
    const w = collectWarnings('CORTADO_SHARDS')
    stop = w.stop
    const sized = makeCache<Buffer>(engine, { maxBytes: 16 * MiB, codec: 'buffer', expectedEntrySize: 40 * 1024 })
    const value = Buffer.alloc(40 * 1024, 1)
    for (let i = 0; i < 2 * LARGE_SETS_BEFORE_ADVICE; i++) sized.set(`page:${i}`, value)
    sized.close()
    const small = makeCache<Buffer>(engine, { maxBytes: 16 * MiB, codec: 'buffer' })
    const bytes = Buffer.alloc(1000, 1)
    for (let i = 0; i < 20_000; i++) small.set(`s:${i}`, bytes)
    small.close()
    await settle()
    expect(w.warnings).toHaveLength(0)
  })
})
