/**
 * A cache bounded by maxBytes alone whose entries turn out far larger than expectedEntrySize (128 B
 * unless given) says so once, with the option that gives the index's and policy's spare memory to
 * entries; a cache sized for its entries, one of small entries, or one bounded by maxEntries says
 * nothing. The cache looks at `stats()` and at `close()` (not on the set path, whose cost it would raise).
 * The advice's arithmetic is pinned on the geometry (sizingAdvice), the warning on both engines.
 */

/** Sets enough to fill a 16 MiB cache of 1 KiB entries twice. */
const SETS = 32_768
import { describe, it, expect, afterEach } from 'vitest'
import { collectWarnings, settle } from '../helpers/warnings.js'
import { forEachEngine, makeCache } from '../conformance/engines.js'
import { sizingAdvice } from '../../src/engine/sizing-advice.js'
import { computeGeometry, sizedEntries, structureBytes } from '../../src/layout/geometry.js'
import * as L from '../../src/layout/constants.generated.js'

const MiB = 1 << 20

describe('sizing advice, the arithmetic', () => {
  const g = computeGeometry({ maxBytes: 16 * MiB, policy: L.POLICY_ADAPTIVE })
  it('structures sized for 128 B entries: ~8 per KiB of arena, a double-digit share of it with the adaptive policy', () => {
    expect(sizedEntries(g)).toBeGreaterThan(0.9 * (16 * MiB) / 128 * 0.75)
    expect(structureBytes(g) / g.memBytes).toBeGreaterThan(0.1)
  })
  it('advises only a full cache of few, large entries, bounded by maxBytes alone', () => {
    const full = { entries: 14_000, bytesUsed: 14_000 * 1060, full: true }
    const advice = sizingAdvice(g, full)!
    expect(advice.option).toBe('expectedEntrySize')
    expect(advice.suggested).toBe(1088)
    // Sized for 1088 B entries, the same arena gives entries a fifth more room or better.
    expect(advice.moreRoom).toBeGreaterThan(0.2)
    expect(sizingAdvice(g, { ...full, full: false })).toBeUndefined()
    expect(sizingAdvice(g, { entries: 110_000, bytesUsed: 110_000 * 130, full: true })).toBeUndefined()
    const bounded = computeGeometry({ maxBytes: 16 * MiB, maxEntries: 14_000, policy: L.POLICY_ADAPTIVE })
    expect(sizingAdvice(bounded, full)).toBeUndefined()
    // maxEntries far above what the bytes hold at this size: lower it (a quarter above what fits now).
    const overcounted = computeGeometry({ maxBytes: 16 * MiB, maxEntries: 100_000, policy: L.POLICY_ADAPTIVE })
    const lower = sizingAdvice(overcounted, full)!
    expect(lower).toMatchObject({ option: 'maxEntries', suggested: 18_000 })
    expect(lower.moreRoom).toBeGreaterThan(0.1)
    const sized = computeGeometry({ maxBytes: 16 * MiB, expectedEntrySize: 1024, policy: L.POLICY_ADAPTIVE })
    expect(sizingAdvice(sized, full)).toBeUndefined()
  })
})

forEachEngine('sizing advice', (engine) => {
  let stop: (() => void) | undefined
  afterEach(() => stop?.())
  const value = 'v'.repeat(1000)

  it('1000 B values in a 16 MiB cache sized for 128 B entries: one CORTADO_SIZING warning naming expectedEntrySize', async () => {
    const w = collectWarnings('CORTADO_SIZING')
    stop = w.stop
    const cache = makeCache<string>(engine, { maxBytes: 16 * MiB, codec: 'string', name: 'records' })
    for (let i = 0; i < SETS; i++) cache.set(`record:${i}`, value)
    await settle()
    expect(w.warnings).toHaveLength(0) // sets don't look
    const stats = cache.stats()
    expect(stats.evictions + stats.rejections).toBeGreaterThan(0)
    cache.stats() // once per cache
    await settle()
    expect(w.warnings).toHaveLength(1)
    expect(w.warnings[0]!.message).toContain("cache 'records' is full with")
    expect(w.warnings[0]!.message).toMatch(/expectedEntrySize: \d+/)
    const suggested = Number(/expectedEntrySize: (\d+)/.exec(w.warnings[0]!.message)![1])
    expect(suggested).toBeGreaterThanOrEqual(1024)
    expect(suggested).toBeLessThanOrEqual(1152)
    cache.close()
  })

  it('a maxEntries far above what maxBytes holds at 1000 B an entry: one CORTADO_SIZING warning naming a lower maxEntries', async () => {
    const w = collectWarnings('CORTADO_SIZING')
    stop = w.stop
    const cache = makeCache<string>(engine, { maxBytes: 16 * MiB, maxEntries: 100_000, codec: 'string' })
    for (let i = 0; i < SETS; i++) cache.set(`record:${i}`, value)
    cache.close() // a cache whose stats were never read says it at close()
    await settle()
    expect(w.warnings).toHaveLength(1)
    const entries = Number(/is full with (\d+) entries/.exec(w.warnings[0]!.message)![1])
    const suggested = Number(/maxEntries: (\d+)/.exec(w.warnings[0]!.message)![1])
    expect(suggested).toBeGreaterThan(entries)
    expect(suggested).toBeLessThan(25_000)
  })

  it('no warning with expectedEntrySize given, with small entries, with maxEntries, or before the cache is full', async () => {
    const w = collectWarnings('CORTADO_SIZING')
    stop = w.stop
    const sets = SETS
    const sized = makeCache<string>(engine, { maxBytes: 16 * MiB, codec: 'string', expectedEntrySize: 1088 })
    for (let i = 0; i < sets; i++) sized.set(`record:${i}`, value)
    sized.close()
    const small = makeCache<string>(engine, { maxBytes: 4 * MiB, codec: 'string' })
    for (let i = 0; i < 2 * sets; i++) small.set(`s:${i}`, 'v'.repeat(80))
    expect(small.stats().evictions + small.stats().rejections).toBeGreaterThan(0)
    small.close()
    const bounded = makeCache<string>(engine, { maxBytes: 16 * MiB, maxEntries: 10_000, codec: 'string' })
    for (let i = 0; i < sets; i++) bounded.set(`record:${i}`, value)
    bounded.close()
    const roomy = makeCache<string>(engine, { maxBytes: 64 * MiB, codec: 'string' })
    for (let i = 0; i < SETS / 2; i++) roomy.set(`record:${i}`, value)
    expect(roomy.stats().evictions).toBe(0)
    roomy.close()
    await settle()
    expect(w.warnings).toHaveLength(0)
  })
})
