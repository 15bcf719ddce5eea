import { uniformIndices } from '../harness/data.js'
import { KERNELS, makeWorkload } from '../harness/kernels.js'
import { SEQUENCE_LENGTH } from '../harness/pool.js'
import { LARGE, SMALL, spec } from './configs.js'
import type { OpSuite } from './types.js'

export const BATCH = 64

export const getMany: OpSuite = {
  kind: 'ops',
  id: 'get-many',
  title: `getMany (${BATCH} keys)`,
  order: 2,
  configs: (quick) => (quick ? [SMALL] : [SMALL, LARGE, spec(100_000, 'buffer', 4096)]),
  workload: (pool) =>
    makeWorkload({
      keys: pool.keys,
      values: pool.values,
      idx: pool.cached('uniform-stored', () => uniformIndices(pool.spec.entries, SEQUENCE_LENGTH, 1)),
      batch: BATCH,
    }),
  kernel: (peer) => (peer.batch === 'native' ? KERNELS.getMany : KERNELS.getManyLoop),
  getsPerOp: 1,
  expect: 'all-hit',
  describe: () =>
    `batches of ${BATCH} uniformly random stored keys: getMany where the peer has it, else a loop of get; ` +
    `ops/s counts keys, not batches`,
}
