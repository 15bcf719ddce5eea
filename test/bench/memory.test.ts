import { describe, expect, it } from 'vitest'
import { memoryRows } from '../../bench/suites/memory.js'
import type { MemoryOutput } from '../../bench/suites/memory-child.js'

const out = (size: number, rss: number, heap: number, gcMs: number[]): MemoryOutput => ({
  size, rssBytes: rss, heapBytes: heap, externalBytes: 0, gcMs, fillMs: 1, missingOfSample: 0, hotGets: 2_000_000, frontHits: 0,
})

describe('memory rows', () => {
  it('divides growth by the entries held and takes the median GC', () => {
    const [rss, heap, gc] = memoryRows(1000, [
      { peer: 'lru-cache', out: out(1000, 270_000, 230_000, [100, 300, 120]) },
      { peer: 'quick-lru', out: out(2000, 600_000, 500_000, [1, 2, 3]) },
    ], [])
    expect(rss!.figures.map((f) => f.value)).toEqual([270, 300])
    expect(heap!.figures.map((f) => f.value)).toEqual([230, 250])
    expect(gc!.figures[0]!.value).toBe(120)
    expect(rss!.figures[1]!.note).toMatch(/holds 2000 of 1000/)
  })

  it('a peer that kept less than half the entries is reported as skipped, not as a huge per-entry figure', () => {
    const rows = memoryRows(1000, [{ peer: 'cortado', out: out(0, 80_000_000, 100, [5]) }], [])
    for (const row of rows) {
      expect(row.figures).toEqual([])
      expect(row.skipped).toEqual([{ peer: 'cortado', reason: 'held only 0 of 1000 entries after the fill' }])
    }
  })
})
