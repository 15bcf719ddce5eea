import { uniformIndices } from '../harness/data.js'
import { KERNELS, makeWorkload } from '../harness/kernels.js'
import { SEQUENCE_LENGTH } from '../harness/pool.js'
import { SMALL, fullMatrix } from './configs.js'
import type { OpSuite } from './types.js'

export const getMiss: OpSuite = {
  kind: 'ops',
  id: 'get-miss',
  title: 'get (miss)',
  order: 1,
  configs: (quick) => (quick ? [SMALL] : fullMatrix()),
  workload: (pool) =>
    makeWorkload({
      keys: pool.missKeys,
      values: pool.values,
      idx: pool.cached('uniform-miss', () => uniformIndices(pool.missKeys.length, SEQUENCE_LENGTH, 2)),
    }),
  kernel: () => KERNELS.get,
  getsPerOp: 1,
  expect: 'all-miss',
  describe: (s) => `get of uniformly random keys never stored, on a cache holding ${s.entries} entries`,
}
