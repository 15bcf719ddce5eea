import { KERNELS } from '../harness/kernels.js'
import { SMALL, fullMatrix } from './configs.js'
import type { OpSuite } from './types.js'

export const getMiss: OpSuite = {
  kind: 'ops',
  id: 'get-miss',
  title: 'get (miss)',
  order: 2,
  configs: (quick) => (quick ? [SMALL] : fullMatrix()),
  workload: (pool) => pool.uniformGets('miss'),
  kernel: () => KERNELS.get,
  getsPerOp: 1,
  expect: 'all-miss',
  describe: (s) => `get of uniformly random keys never stored, on a cache holding ${s.entries} entries`,
}
