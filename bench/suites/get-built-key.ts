import { keyOf } from '../harness/data.js'
import { makeWorkload } from '../harness/kernels.js'
import { LARGE, SMALL } from './configs.js'
import type { OpSuite } from './types.js'

/**
 * get-hit's gets (same stored keys, same random order), but each key is built in the loop, as a request
 * handler builds `'user:' + id`: a new string, in the CPU's cache, whose hash nobody has computed yet.
 * get-hit instead hands every peer a key string made long before, whose characters lie cold in memory
 * and whose hash is cached in its header, which favours caches that compare keys by pointer (a Map)
 * over those that must read the key's bytes (Cortado). The cost of building the key is in every peer's
 * figure.
 */
export const getBuiltKey: OpSuite = {
  kind: 'ops',
  id: 'get-built-key',
  title: 'get (hit, key built per call)',
  order: 1,
  configs: (quick) => (quick ? [SMALL] : [SMALL, LARGE]),
  workload: (pool) => {
    const stored = pool.uniformGets('stored')
    return makeWorkload({ ...stored, extra: keyOf })
  },
  kernel: () => `
    const keyOf = w.extra
    for (let i = 0; i < count; i++) {
      if (cache.get(keyOf(idx[(from + i) & idxMask])) !== undefined) hits++
    }`,
  getsPerOp: 1,
  frontFloor: true,
  expect: 'all-hit',
  describe: (s) =>
    `get of uniformly random stored keys (all ${s.entries} in the cache), each key built in the loop ` +
    `('k' + its number in base 36, zero-padded to 16 bytes), value returned to JS`,
}
