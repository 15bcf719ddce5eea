import { scatteredZipfIndices } from '../harness/data.js'
import { KERNELS, makeWorkload } from '../harness/kernels.js'
import { SEQUENCE_LENGTH } from '../harness/pool.js'
import { LARGE, SMALL } from './configs.js'
import { ZIPF_S } from './mixed.js'
import type { OpSuite } from './types.js'

/**
 * Issue 19's other headline: gets of Zipf(0.99) keys, all stored, as latency-critical services spend
 * most gets on a small hot set (where a front pays; get-hit is the uniform case it can't hold).
 */
export const getZipf: OpSuite = {
  kind: 'ops',
  id: 'get-zipf',
  title: 'get (hit), Zipf',
  order: 0.5,
  configs: () => [SMALL, LARGE],
  workload: (pool) =>
    makeWorkload({
      keys: pool.keys,
      values: pool.values,
      idx: pool.cached('zipf-stored', () => scatteredZipfIndices(pool.spec.entries, ZIPF_S, SEQUENCE_LENGTH, 5)),
    }),
  kernel: () => KERNELS.get,
  getsPerOp: 1,
  frontFloor: true,
  expect: 'all-hit',
  describe: (s) => `get of Zipf(${ZIPF_S}) keys over the ${s.entries} stored keys (all hits), value returned to JS`,
}
