/**
 * Types of the native addon (native/src/bindings.rs). @napi-rs/cli generates no declarations for a
 * crate that declares its N-API functions itself, so they are written here, next to the code that
 * uses them.
 */

/** Module-level functions: opening, creating, formatting and publishing arenas. */
export interface NativeAddon {
  /** Errors thrown by the addon are constructed with this class (CortadoError). */
  setErrorClass(ctor: new (code: string, message: string) => Error): void
  /** Maps a new anonymous arena of `bytes` bytes; returns its id in this process. */
  openAnonymous(bytes: number): number
  /**
   * Maps the arena file at `path`, or prepares a new one of `bytes` bytes under a temporary name
   * (`created`); `bytes` in the result is the size of what was mapped.
   */
  openFile(path: string, bytes: number): { id: number; created: boolean; bytes: number }
  /** An ArrayBuffer over the arena's first page, to write or validate its header. */
  header(id: number): ArrayBuffer
  /** Formats every shard of an arena whose header was just written. */
  format(id: number): void
  /** Publishes a created file under its path; false when another process published one first. */
  publish(id: number): boolean
  /** Forgets an arena that was opened but is not going to be used. */
  discard(id: number): void
  /** This thread's engine over the arena. */
  context(id: number): NativeContext
  readonly layoutVersion: number
  readonly layoutDigest: number
  /** Arenas up to this many bytes are viewed whole by JS; larger ones through a window. */
  readonly viewLimit: number
}

/**
 * One thread's engine. Calls take their arguments from `params` and leave their status there (see
 * exports.ts for the layout); each throws CortadoError on misuse.
 */
export interface NativeContext {
  /** JS's view: the whole arena (`direct`), or a window onto it. */
  readonly buffer: ArrayBuffer
  readonly params: ArrayBuffer
  readonly direct: boolean
  /** Where shard headers appear in `buffer` (the arena's own layout when direct). */
  readonly viewShardsOffset: number
  readonly viewShardBytes: number
  get(): void
  set(): void
  setReserve(): void
  setCommit(): void
  remove(): void
  clear(): void
  purge(): void
  lockShard(): void
  unlockShard(): void
  recover(): void
  rebuild(): void
  verify(): void
  entries(): void
  getMany(): void
  setMany(): void
  recordAccesses(): void
  attach(): void
  detach(): void
  reclaim(): void
  useSlot(): void
  wait(): void
  sketchProbe(): void
  /** Window mode: copies the chained value (first segment id A, B bytes) into `into`; status 1, 0 when torn. */
  copyChain(into: Uint8Array): void
  /** Window mode, between setReserve and setCommit: the reserved value's bytes. */
  fillReserved(bytes: Uint8Array): void
}
