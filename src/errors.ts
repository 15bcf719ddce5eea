/**
 * Every error Cortado throws on purpose is a `CortadoError` with a stable `code`, so callers can branch
 * on `err.code` instead of parsing messages. Whatever threw it, the cache and its data are left intact.
 */
export type CortadoErrorCode =
  /** An option is missing, of the wrong type or out of range. */
  | 'ERR_INVALID_OPTION'
  /** A key is not a string, is longer than `MAX_KEY_BYTES` once UTF-8 encoded, or has a lone surrogate. */
  | 'ERR_INVALID_KEY'
  /** A value the codec cannot encode (undefined, a function, a wrong type for a typed codec...). */
  | 'ERR_INVALID_VALUE'
  /** A TTL that is negative, NaN, infinite or not a number. */
  | 'ERR_INVALID_TTL'
  /**
   * `maxBytes` above what the engine can map (4 GiB for WebAssembly) or too small to hold a shard; a
   * DiskCache blob larger than the cache's `maxBytes`.
   */
  | 'ERR_CAPACITY'
  /** Any call on a cache (or filter) after `close()`. */
  | 'ERR_CLOSED'
  /** A handle that is not a Cortado handle, comes from another module version or another process. */
  | 'ERR_INVALID_HANDLE'
  /** The arena's bytes are not in the expected layout (wrong magic, version or a failed checksum). */
  | 'ERR_CORRUPT'
  /** A codec failed to decode bytes that were stored by a different codec. */
  | 'ERR_DECODE'
  /** More threads attached to one cache than `maxThreads` allows. */
  | 'ERR_TOO_MANY_THREADS'
  /**
   * A loader failed, timed out or was aborted, or a warm-up's key source threw (the original error is
   * in `cause`).
   */
  | 'ERR_LOADER'
  /** A write-through store's save or delete failed; the cache was left as it was (the store's error is in `cause`). */
  | 'ERR_STORE'
  | 'ERR_TIMEOUT'
  | 'ERR_ABORTED'
  /** The requested engine is not available (e.g. the native addon was not built). */
  | 'ERR_ENGINE_UNAVAILABLE'
  /** A file (dump, bloom bytes, native arena path) is truncated, corrupt or of another format. */
  | 'ERR_BAD_FILE'
  /** A back-pressure limit was reached (e.g. a full write-behind queue with `onFull: 'throw'`). */
  | 'ERR_QUEUE_FULL'
  /** A remote tier (Redis, memcached) failed and the caller asked for errors to be thrown. */
  | 'ERR_REMOTE'
  /** A PeerGroup peer refused a request or sent a reply that is not valid (version, length, CRC, decode). */
  | 'ERR_PEER'
  /**
   * A file-system call failed (no permission, I/O error, a full disk for the log store), or a body
   * stream a disk cache was reading did; the original error is in `cause`.
   */
  | 'ERR_IO'
  /** A store directory is already open for writing, by another process or in this one (see its LOCK file). */
  | 'ERR_LOCKED'
  /**
   * The change feed (cortado/cdc) cannot read the database's log: wal_level is not logical, the role
   * may not replicate or create the slot/publication, a table is missing, the slot belongs to another
   * plugin or database.
   */
  | 'ERR_REPLICATION'
  /** A byte range outside a blob, reversed, negative or not an integer (`cortado/disk`). */
  | 'ERR_INVALID_RANGE'
  /** The disk is full (ENOSPC or EDQUOT): the write was undone, no partial file is left. */
  | 'ERR_NO_SPACE'

/** The error Cortado throws on purpose: branch on its `code`. */
export class CortadoError extends Error {
  /** What went wrong, stable across versions (the message may change). */
  readonly code: CortadoErrorCode

  constructor(code: CortadoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CortadoError'
    this.code = code
  }
}

/** Whether `err` is a `CortadoError` (of `code`, when given). */
export function isCortadoError(err: unknown, code?: CortadoErrorCode): err is CortadoError {
  return err instanceof CortadoError && (code === undefined || err.code === code)
}

/** How a bad value reads in an error message: the string '5' must not look like the number 5. */
export function shown(value: unknown): string {
  switch (typeof value) {
    case 'string': return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}' (a string)`
    case 'bigint': return `${value}n (a bigint)`
    case 'function': return 'a function'
    case 'symbol': return 'a symbol'
    case 'object': return value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object'
    default: return String(value)
  }
}
