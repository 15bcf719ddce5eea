/**
 * A request sequence over dense integer keys. Dense ids let simulators keep per-key state in typed
 * arrays (no Map, no allocation in the inner loop); trace readers remap raw block numbers to them.
 */
export interface Trace {
  readonly name: string
  /** Requested keys in order, each in [0, universe). */
  readonly keys: Int32Array
  /** One more than the largest key id. */
  readonly universe: number
  /**
   * What each request does (OP_*). Absent: every request is OP_READ_THROUGH, as in the classic traces.
   */
  readonly ops?: Uint8Array
}

/** A read that writes the key back when it misses (cache-aside): the classic traces' only request. */
export const OP_READ_THROUGH = 0
/** A read whose miss is not written back (the value was stored once, at write time). */
export const OP_READ = 1
/** A write (set) of the key. Not counted in the hit ratio. */
export const OP_WRITE = 2
