/**
 * The policy's entry flags (stop 54, lateflag): what a get's hit path reads from the entry it already holds
 * instead of from the policy's state elsewhere (one cache miss fewer per hit).
 * - ENTRY_UNASKED (LATE_FLAG): the entry's insert came before any get missed its key (written unasked);
 *   LATE_HIT counts a first hit in probation only for such an entry.
 * - ENTRY_TRACER (TRACER_FLAG): a YOUNG_TEST tracer slot of the key's hash class held its tag when it was
 *   inserted; a hit looks at the tracer slots only for such an entry.
 * Both are kept by every move and by an update (in place, or a new copy of another size), as the model keeps
 * them in its per-key state (bench/sim/model/shard.ts KEPT). Read from the entry's header (test/helpers/entry-header.ts).
 */
import { expect, it } from 'vitest'
import { Cache } from '../../src/index.js'
import { flagsOf, queueOf } from '../helpers/entry-header.js'
import { engineInternals } from '../../src/engine/access.js'
import * as L from '../../src/layout/constants.generated.js'
import { YOUNG_TEST } from '../../src/layout/policy.generated.js'
import { testSeed } from '../helpers/seed.js'
import { forEachEngine } from '../conformance/engines.js'

const make = (engine: 'wasm' | 'native', seed: number) =>
  new Cache<string>({ maxBytes: 8 << 20, maxEntries: 1000, codec: 'string', seed: testSeed(seed), shards: 1, engine })

forEachEngine('entry flags', (engine) => {
  it('ENTRY_UNASKED: a set no get missed before carries it; a load after a miss does not', () => {
    const cache = make(engine, 54)
    try {
      cache.set('written', 'v')
      expect(cache.get('asked')).toBeUndefined()
      cache.set('asked', 'v')
      expect(flagsOf(cache, 'written') & L.ENTRY_UNASKED, 'written unasked').toBe(L.ENTRY_UNASKED)
      expect(flagsOf(cache, 'asked') & L.ENTRY_UNASKED, 'loaded after a miss').toBe(0)
      // Written back: gone, missed, set again. The mark is the insert's own, not the miss filter's bit (which
      // the first write left set: the filter keeps it until the sketch halves).
      cache.delete('written')
      expect(cache.get('written')).toBeUndefined()
      cache.set('written', 'v')
      expect(flagsOf(cache, 'written') & L.ENTRY_UNASKED, 'written back after a miss').toBe(0)
    } finally {
      cache.close()
    }
  })

  it('ENTRY_UNASKED: an update keeps it, in place and as a new copy of another size', () => {
    const cache = make(engine, 55)
    try {
      cache.set('written', 'v')
      expect(cache.get('asked')).toBeUndefined()
      cache.set('asked', 'v')
      cache.set('written', 'w')
      cache.set('asked', 'w')
      expect(flagsOf(cache, 'written') & L.ENTRY_UNASKED, 'in place').toBe(L.ENTRY_UNASKED)
      cache.set('written', 'a value of another size')
      cache.set('asked', 'a value of another size')
      expect(flagsOf(cache, 'written') & L.ENTRY_UNASKED, 'new copy').toBe(L.ENTRY_UNASKED)
      expect(flagsOf(cache, 'asked') & L.ENTRY_UNASKED, 'new copy of a load').toBe(0)
    } finally {
      cache.close()
    }
  })

  it('ENTRY_UNASKED: a move to probation and on to protected keeps it', () => {
    const cache = make(engine, 56)
    try {
      for (let i = 0; i < 1000; i++) cache.set(`fill${i}`, 'v')
      expect(queueOf(flagsOf(cache, 'fill0'))).toBe(L.QUEUE_PROBATION)
      expect(flagsOf(cache, 'fill0') & L.ENTRY_UNASKED).toBe(L.ENTRY_UNASKED)
      // A hit, then newcomers: the victim search finds fill0 hit at probation's tail and moves it up.
      expect(cache.get('fill0')).toBe('v')
      for (let i = 0; i < 20; i++) cache.set(`new${i}`, 'v')
      const after = flagsOf(cache, 'fill0')
      expect(queueOf(after)).toBe(L.QUEUE_PROTECTED)
      expect(after & L.ENTRY_UNASKED, 'kept by the moves').toBe(L.ENTRY_UNASKED)
    } finally {
      cache.close()
    }
  })

  it('ENTRY_TRACER: the first writes of each hash class take its free tracer slot, later ones find it taken', () => {
    const cache = make(engine, 57)
    try {
      for (let i = 0; i < 900; i++) cache.set(`k${i}`, 'v')
      let first = 0
      let tracers = 0
      for (let i = 0; i < 900; i++) {
        if ((flagsOf(cache, `k${i}`) & L.ENTRY_TRACER) === 0) continue
        tracers++
        if (i < 100) first++
      }
      // 900 first writes into YOUNG_TEST classes: each class's first write takes its slot, and no tracer is
      // older than its limit yet (YOUNG_KEEP x capacity first writes), so exactly one tracer per class written.
      expect(tracers, 'one tracer per class').toBeLessThanOrEqual(YOUNG_TEST)
      expect(tracers, 'one tracer per class').toBeGreaterThanOrEqual(YOUNG_TEST - 2)
      expect(first, 'the earliest writes took the free slots').toBeGreaterThan(tracers / 4)
      // An update keeps the flag (a new copy of another size).
      const tracer = Array.from({ length: 900 }, (_, i) => `k${i}`).find((k) => (flagsOf(cache, k) & L.ENTRY_TRACER) !== 0)!
      cache.set(tracer, 'a value of another size')
      expect(flagsOf(cache, tracer) & L.ENTRY_TRACER, 'kept by an update').toBe(L.ENTRY_TRACER)
    } finally {
      cache.close()
    }
  })

  // LATE_FLAG bit 2 (stop 59): COLD_HITS_UNASKED counts a hit before the shard first fills only on an entry marked
  // written unasked, read from the entry, not from the miss filter (whose word was a cache line of its own on every
  // such hit). A key written, deleted, missed and written back is asked for (its entry unmarked) while the filter
  // still holds its first write's bit: its hits must not count; a key only ever written must.
  it('ENTRY_UNASKED: hits before the first fill count for COLD_HITS only on entries written unasked', () => {
    const cache = make(engine, 58)
    try {
      const { views } = engineInternals(cache)
      const coldHits = () => views.u32[(cache.geometry.shardsOffset + L.POLICY_STATE_OFFSET + L.POLICY_COLD_HITS) >>> 2]!
      const back = Array.from({ length: 100 }, (_, i) => `back${i}`)
      const once = Array.from({ length: 100 }, (_, i) => `once${i}`)
      for (const k of back) cache.set(k, 'v')
      for (const k of back) cache.delete(k)
      for (const k of back) expect(cache.get(k)).toBeUndefined()
      for (const k of back) cache.set(k, 'v')
      for (const k of once) cache.set(k, 'v')
      expect(flagsOf(cache, back[0]!) & L.ENTRY_UNASKED, 'written back after a miss').toBe(0)
      const before = coldHits()
      for (let r = 0; r < 3; r++) for (const k of back) expect(cache.get(k)).toBe('v')
      expect(coldHits() - before, 'hits on keys written back').toBe(0)
      // A few keys written once share a filter pair with a key that missed: their insert reads as asked for.
      const marked = once.filter((k) => (flagsOf(cache, k) & L.ENTRY_UNASKED) !== 0).length
      expect(marked, 'keys written once, marked').toBeGreaterThan(0.9 * once.length)
      for (const k of once) expect(cache.get(k)).toBe('v')
      expect(coldHits() - before, 'hits on keys written once').toBe(marked)
    } finally {
      cache.close()
    }
  })
})
