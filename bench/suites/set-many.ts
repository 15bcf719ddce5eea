import { KERNELS, makeWorkload } from '../harness/kernels.js'
import { BATCH, getMany } from './get-many.js'
import type { OpSuite } from './types.js'

export const setMany: OpSuite = {
  kind: 'ops',
  id: 'set-many',
  title: `setMany (${BATCH} entries)`,
  order: 5,
  configs: getMany.configs,
  // Starts half-way through the fresh-key pool, away from the keys set-evict writes first.
  workload: (pool) =>
    makeWorkload({ keys: pool.freshKeys, values: pool.values, base: pool.freshKeys.length / 2, batch: BATCH }),
  kernel: (peer) => (peer.batch === 'native' ? KERNELS.setMany : KERNELS.setManyLoop),
  getsPerOp: 0,
  describe: () =>
    `batches of ${BATCH} new keys on a full cache: setMany where the peer has it, else a loop of set; ` +
    `ops/s counts entries, not batches`,
}
