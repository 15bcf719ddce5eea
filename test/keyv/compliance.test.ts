/**
 * Keyv's own compliance suite (@keyv/test-suite: its API, values and namespace tests) against the
 * adapter, on each engine. The suite makes a new Keyv per test with `store()`: every store here shares
 * one Cache, as stores over one Redis do, so namespaces and clear() are checked on shared data.
 */
import * as vitest from 'vitest'
import { afterAll, describe, expect, it } from 'vitest'
import Keyv from 'keyv'
import keyvTestSuite from '@keyv/test-suite'
import { KeyvCortado } from '../../src/keyv/index.js'
import { forEachEngine, makeCache } from '../conformance/engines.js'

forEachEngine('@keyv/test-suite', (engine) => {
  const cache = makeCache<unknown>(engine, { maxBytes: 8 << 20 })
  afterAll(() => cache.close())
  let stores = 0
  keyvTestSuite(vitest as never, Keyv, () => {
    stores++
    return new KeyvCortado(cache)
  })

  describe('the suite ran against Cortado', () => {
    it('made its stores with the adapter (the suite did not fall back to a Map)', () => {
      expect(stores).toBeGreaterThan(38)
      expect(cache.stats().sets).toBeGreaterThan(0)
    })
  })
})
