import { hotThenWritesTrace, phasesTrace, writeThenReadTrace } from './recency-trace.js'
import { shiftingTrace } from './shifting-trace.js'
import type { Trace } from './trace.js'

/** A workload whose shape scales with the cache: it is built for each capacity it runs at. */
export interface SizedWorkload {
  name: string
  /** Builds the trace for a cache of `capacity` entries (deterministic: seeded). */
  make: (capacity: number) => Trace
}

/** The read distances of write-then-read-soon, in capacities (issue 18). */
export const READ_DISTANCES = [0.1, 0.2, 0.5, 0.9, 1.5]

/**
 * The recency families (issue 18), where LRU is hard to beat and a frequency-first policy can lose:
 * write-then-read-soon at each read distance, with and without write-back on a miss; recency and
 * frequency phases in turn; a Zipf hot set read cache-aside, then write-then-read-soon alone; Zipf whose
 * popular keys move every 2, 4, 10 or 20 capacities (cache-aside, 20 keys per entry), beside the same Zipf
 * standing still. Lengths are in capacities; `scale`
 * shrinks them (tests and --quick).
 */
export function recencyWorkloads(seed = 42, scale = 1): SizedWorkload[] {
  const len = (capacity: number, capacities: number): number => Math.max(1000, Math.round(capacity * capacities * scale))
  const out: SizedWorkload[] = []
  for (const writeBack of [false, true]) {
    for (const distance of READ_DISTANCES) {
      out.push({
        name: `write-then-read ${distance}×cap ${writeBack ? 'write-back' : 'write-once'}`,
        make: (capacity) => writeThenReadTrace({ capacity, distance, length: len(capacity, 20), writeBack, seed: seed + Math.round(distance * 10) }),
      })
    }
  }
  for (const writeBack of [false, true]) {
    out.push({
      name: `phases scan→zipf→recency→zipf ${writeBack ? 'write-back' : 'write-once'}`,
      make: (capacity) => phasesTrace({ capacity, phase: len(capacity, 10), zipfKeys: 20 * capacity, writeBack, seed: seed + 50 }),
    })
  }
  for (const writeBack of [false, true]) {
    for (const distance of [0.5, 1.5]) {
      out.push({
        name: `zipf→write-then-read ${writeBack ? 'write-back' : 'write-once'} ${distance}×cap`,
        make: (capacity) =>
          hotThenWritesTrace({ capacity, hot: len(capacity, 5), zipfKeys: 20 * capacity, length: len(capacity, 20), distance, writeBack, seed: seed + 70 + Math.round(distance * 10) }),
      })
    }
  }
  for (const every of [2, 4, 10, 20, 0]) {
    out.push({
      name: every === 0 ? 'zipf(0.9) 20 keys/entry, standing' : `zipf(0.9) 20 keys/entry, moving every ${every}×cap`,
      make: (capacity) => {
        const length = len(capacity, 40)
        const phase = every === 0 ? length : Math.max(1, Math.round(every * capacity * scale))
        return shiftingTrace({ keys: 20 * capacity, s: 0.9, length, phase, shift: 10 * capacity, seed: seed + 60 + every })
      },
    })
  }
  return out
}
