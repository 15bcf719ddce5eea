import type { Trace } from '../workloads/trace.js'

/** A replacement policy under simulation; capacity is in entries (one per key). */
export interface Policy {
  /** Requests a key; true on a hit. On a miss the policy admits the key or not, as it decides. */
  access(key: number): boolean
  /**
   * Traces with ops (OP_READ / OP_WRITE) need these two. `read`: a get, true on a hit, and a miss
   * stores nothing. `write`: a set of the key (new or present), which the policy may refuse.
   */
  read?(key: number): boolean
  write?(key: number): void
}

/** True when the policy can replay traces whose requests are not all read-through. */
export const handlesOps = (p: Policy): boolean => p.read !== undefined && p.write !== undefined

/** Builds a policy for one capacity; gets the whole trace for per-key arrays (and OPT's future). */
export type PolicyFactory = (capacity: number, trace: Trace) => Policy
