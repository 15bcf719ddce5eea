import type { Trace } from '../workloads/trace.js'

/** A replacement policy under simulation; capacity is in entries (one per key). */
export interface Policy {
  /** Requests a key; true on a hit. On a miss the policy admits the key or not, as it decides. */
  access(key: number): boolean
}

/** Builds a policy for one capacity; gets the whole trace for per-key arrays (and OPT's future). */
export type PolicyFactory = (capacity: number, trace: Trace) => Policy
