import { KERNELS, makeWorkload } from '../harness/kernels.js'
import { LARGE, SMALL, fullMatrix } from './configs.js'
import type { OpSuite } from './types.js'

/** Sets of keys the cache does not hold, on a full cache: every set evicts (or is refused by admission). */
export const setEvict: OpSuite = {
  kind: 'ops',
  id: 'set-evict',
  title: 'set (evicting)',
  order: 6,
  configs: (quick) => (quick ? [SMALL, LARGE] : fullMatrix()),
  workload: (pool) => makeWorkload({ keys: pool.freshKeys, values: pool.values }),
  kernel: () => KERNELS.set,
  getsPerOp: 0,
  describe: (s) =>
    `set of new keys on a full cache of ${s.entries} entries (a pool of ≥ ${2 * s.entries} keys walked in order, ` +
    `so each key was evicted long before it comes back)`,
}
