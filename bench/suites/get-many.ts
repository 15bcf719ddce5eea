import { KERNELS } from '../harness/kernels.js'
import { LARGE, SMALL, spec } from './configs.js'
import type { OpSuite } from './types.js'

export const BATCH = 64

export const getMany: OpSuite = {
  kind: 'ops',
  id: 'get-many',
  title: `getMany (${BATCH} keys)`,
  order: 3,
  configs: (quick) => (quick ? [SMALL] : [SMALL, LARGE, spec(100_000, 'buffer', 4096)]),
  workload: (pool) => pool.uniformGets('stored', BATCH),
  kernel: (peer) => (peer.batch === 'native' ? KERNELS.getMany : KERNELS.getManyLoop),
  getsPerOp: 1,
  expect: 'all-hit',
  describe: () =>
    `batches of ${BATCH} uniformly random stored keys: getMany where the peer has it, else a loop of get; ` +
    `ops/s counts keys, not batches`,
}
