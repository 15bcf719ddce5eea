/**
 * The operation suites issue 2's (and issue 19's front) throughput targets are read from, for bench/arena/forks.ts. A fork
 * loads only these: loading every suite's modules (ioredis, hdr-histogram-js, the simulator) into the
 * process measured Cortado lower (docs/benchmarks.md, "One process is one draw").
 */
import { getBuiltKey } from '../suites/get-built-key.js'
import { getHit } from '../suites/get-hit.js'
import { getZipf } from '../suites/get-zipf.js'
import { setEvict } from '../suites/set-evict.js'
import type { OpSuite } from '../suites/types.js'

export const FORK_SUITES: readonly OpSuite[] = [getHit, getZipf, getBuiltKey, setEvict]
