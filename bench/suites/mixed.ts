import { opMix, scatteredZipfIndices } from '../harness/data.js'
import { KERNELS, makeWorkload } from '../harness/kernels.js'
import { SEQUENCE_LENGTH } from '../harness/pool.js'
import { SMALL, fullMatrix } from './configs.js'
import type { OpSuite } from './types.js'

export const ZIPF_S = 0.99
export const SET_FRACTION = 0.1

/**
 * A cache's everyday life: Zipf(0.99) keys over twice as many keys as fit, 90% gets, 10% sets (which
 * evict once full). The hit ratio shows here too: policies differ on which keys they keep.
 */
export const mixed: OpSuite = {
  kind: 'ops',
  id: 'mixed',
  title: 'mixed Zipf 90/10',
  order: 4,
  configs: (quick) => (quick ? [SMALL] : fullMatrix()),
  workload: (pool) =>
    makeWorkload({
      keys: pool.keys,
      values: pool.values,
      idx: pool.cached('zipf', () => scatteredZipfIndices(2 * pool.spec.entries, ZIPF_S, SEQUENCE_LENGTH, 3)),
      ops: pool.cached('mix', () => opMix(SEQUENCE_LENGTH, SET_FRACTION, 4)),
    }),
  kernel: () => KERNELS.mixed,
  getsPerOp: 1 - SET_FRACTION,
  describe: (s) =>
    `${(1 - SET_FRACTION) * 100}% get / ${SET_FRACTION * 100}% set, keys Zipf(${ZIPF_S}) over ${2 * s.entries} keys ` +
    `(twice the capacity), starting from the fill`,
}
