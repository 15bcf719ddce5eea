/**
 * The call protocol both engines implement: the WebAssembly core's exports (assembly/index.ts) and the
 * native addon's bindings (src/engine/native/exports.ts) are this one interface, so everything above
 * src/engine/ is engine-neutral. Arguments and results travel through this thread's scratch area, laid
 * out by RESULT / BATCH_* in src/layout/spec.json.
 *
 * Busy signals, one per kind of call (all retried by src/engine/busy.ts):
 * - writes (set, setReserve, remove, clear, setMany's progress) return STATUS_CONTENDED;
 * - lock-free reads (get) return STATUS_BUSY;
 * - lockShard returns 0;
 * - calls that return a count (purge, verify, entries) return COUNT_BUSY.
 */
export interface EngineProtocol {
  init(): void
  attach(token: number, lease: number): number
  /** 1 if this thread still held its slot, 0 if it had been reclaimed meanwhile. */
  detach(): number
  /** Retires a dead thread's slot if it is live under `lease`: 1 if this call did. */
  reclaim(slot: number, lease: number): number
  useSlot(slot: number): void
  get(keyLen: number, now: number, flags: number): number
  set(keyLen: number, valueLen: number, kind: number, ttl: number, now: number): number
  setReserve(keyLen: number, valueLen: number, kind: number, ttl: number, now: number): number
  setCommit(shard: number): number
  remove(keyLen: number, now: number, mode: number): number
  clear(shard: number): number
  purge(shard: number, now: number): number
  lockShard(shard: number): number
  unlockShard(shard: number): number
  recover(shard: number, deadOwner: number, now: number): number
  rebuild(shard: number, now: number): number
  verify(shard: number): number
  entries(shard: number, from: number, count: number, max: number, now: number): number
  getMany(count: number, input: number, out: number, now: number, flags: number): void
  setMany(from: number, count: number, input: number, out: number, now: number): number
  /**
   * Records uses served without a lookup (front hits): `count` records of ACCESS_RECORD_BYTES, [entry
   * offset (RESULT.entryOffset of the hit the copy came from) u32, uses u32, the key's hash (RESULT.hash
   * of that hit) u64] at `input`; each use counts as a hit on the key's current entry for the policy. A
   * record whose hash is not that of the key at its offset (a reused segment) records nothing. Returns
   * the uses recorded.
   */
  recordAccesses(count: number, input: number): number
  /**
   * Only for a native arena JS sees through a window (undefined otherwise), where JS can't see segments:
   * a get reports a chained value (KIND_CHAINED) with the global id of its first segment in
   * RESULT.valueOffset, and this copies the `len` bytes of that chain into `into` (one copy, whatever
   * the size). False when the chain is not whole (a writer is reusing it: the sequence check fails too).
   */
  readonly copyChain?: (first: number, len: number, into: Uint8Array) => boolean
  /**
   * The same windowed arenas: between setReserve and setCommit, copies the value into the reserved
   * entry or its chain (RESULT.valueOffset is then 0: the entry is out of JS's sight).
   */
  readonly fillReserved?: (bytes: Uint8Array) => void
  /** Tests of the policy (WebAssembly engine only): the key's sketch estimate, and where its counters are. */
  sketchProbe?(keyLen: number): number
}
