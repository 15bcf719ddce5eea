import { uniformIndices } from '../harness/data.js'
import { KERNELS, makeWorkload } from '../harness/kernels.js'
import { SEQUENCE_LENGTH } from '../harness/pool.js'
import { LARGE, SMALL, fullMatrix, spec } from './configs.js'
import type { OpSuite } from './types.js'

/** Issue 2's headline: gets of uniformly random keys that are all in the cache. */
export const getHit: OpSuite = {
  kind: 'ops',
  id: 'get-hit',
  title: 'get (hit)',
  order: 0,
  configs: (quick) => (quick ? [SMALL, LARGE, spec(100_000, 'buffer', 4096)] : fullMatrix()),
  workload: (pool) =>
    makeWorkload({
      keys: pool.keys,
      values: pool.values,
      idx: pool.cached('uniform-stored', () => uniformIndices(pool.spec.entries, SEQUENCE_LENGTH, 1)),
    }),
  kernel: () => KERNELS.get,
  getsPerOp: 1,
  expect: 'all-hit',
  describe: (s) => `get of uniformly random stored keys (all ${s.entries} in the cache), value returned to JS`,
}
