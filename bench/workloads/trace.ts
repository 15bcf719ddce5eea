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
}
