import { KERNELS } from '../harness/kernels.js'
import { LARGE, SMALL, fullMatrix, spec } from './configs.js'
import type { OpSuite } from './types.js'

/** Issue 2's headline: gets of uniformly random keys that are all in the cache. */
export const getHit: OpSuite = {
  kind: 'ops',
  id: 'get-hit',
  title: 'get (hit)',
  order: 0,
  configs: (quick) => (quick ? [SMALL, LARGE, spec(100_000, 'buffer', 4096)] : fullMatrix()),
  workload: (pool) => pool.uniformGets('stored'),
  kernel: () => KERNELS.get,
  getsPerOp: 1,
  frontFloor: true,
  expect: 'all-hit',
  describe: (s) => `get of uniformly random stored keys (all ${s.entries} in the cache), value returned to JS`,
}
