/** Every suite, in the order a run goes through them (and --filter ids). */
import { blobs } from './blobs.js'
import { getBuiltKey } from './get-built-key.js'
import { getHit } from './get-hit.js'
import { getMany } from './get-many.js'
import { getMiss } from './get-miss.js'
import { hitRatio } from './hit-ratio.js'
import { latency } from './latency.js'
import { memory } from './memory.js'
import { mixed } from './mixed.js'
import { redis } from './redis.js'
import { setEvict } from './set-evict.js'
import { setMany } from './set-many.js'
import { workers } from './workers.js'
import type { AnySuite } from './types.js'

export const SUITES: readonly AnySuite[] = [getHit, getBuiltKey, getMiss, getMany, mixed, setMany, setEvict, latency, memory, workers, redis, blobs, hitRatio]
