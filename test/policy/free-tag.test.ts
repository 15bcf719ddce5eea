/**
 * FREE_TAG's flag (stop 50, lagonce): an entry that leaves the window for probation without a contest (the
 * cache had room: a fill) carries ENTRY_FREE, and any move clears it, so that only an entry evicted from
 * probation unhit since it came in that way leaves a window candidate's ghost tag (the model keeps the
 * same bit in its per-key state, reset by every move). Read from the entry's header (test/helpers/entry-header.ts).
 */
import { expect, it } from 'vitest'
import { Cache } from '../../src/index.js'
import { flagsOf, queueOf } from '../helpers/entry-header.js'
import * as L from '../../src/layout/constants.generated.js'
import { testSeed } from '../helpers/seed.js'
import { forEachEngine } from '../conformance/engines.js'

forEachEngine('FREE_TAG', (engine) => {
  it('a fill enters probation flagged free; a move to protected clears the flag', () => {
    const cache = new Cache<string>({ maxBytes: 8 << 20, maxEntries: 1000, codec: 'string', seed: testSeed(50), shards: 1, engine })
    try {
      for (let i = 0; i < 1000; i++) cache.set(`fill${i}`, 'v')
      const before = flagsOf(cache, 'fill0')
      expect(queueOf(before)).toBe(L.QUEUE_PROBATION)
      expect(before & L.ENTRY_FREE, 'left the window while the cache had room').toBe(L.ENTRY_FREE)
      // A hit, then newcomers: the victim search finds fill0 hit at probation's tail and moves it up.
      expect(cache.get('fill0')).toBe('v')
      for (let i = 0; i < 20; i++) cache.set(`new${i}`, 'v')
      const after = flagsOf(cache, 'fill0')
      expect(queueOf(after)).toBe(L.QUEUE_PROTECTED)
      expect(after & L.ENTRY_FREE, 'a move clears the flag').toBe(0)
    } finally {
      cache.close()
    }
  })
})
