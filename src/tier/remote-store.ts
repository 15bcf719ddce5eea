/**
 * The contract between a `TieredCache` and its shared second level. It deals only in bytes: turning
 * values into bytes is the tier's codec's job, so a store never depends on what the values are.
 */
import { CortadoError } from '../errors.js'
import { checkTtl as checkCacheTtl } from '../options.js'

/** One value read from a remote store. */
export interface RemoteEntry {
  /** The bytes that were stored (a view, owned by the caller from now on). */
  readonly value: Uint8Array
  /**
   * Milliseconds the entry has left to live, as `CacheLike.getRemainingTTL` reports it: a positive
   * number, or `Infinity` when the entry was stored without a TTL.
   */
  readonly ttl: number
}

/** One entry of a `setMany` batch. */
export interface RemoteSetEntry {
  /** The key. */
  readonly key: string
  /** The encoded value. */
  readonly value: Uint8Array
  /** Time-to-live in milliseconds; 0 or absent = never expires. */
  readonly ttl?: number
}

/**
 * A shared key/value store reachable over the network (Redis, memcached, a sharded set of them).
 *
 * Every method may reject with a `CortadoError` of code `ERR_REMOTE` when the server cannot be
 * reached or answers with an error; callers decide whether that is fatal (a `TieredCache` counts it
 * and carries on from L1 and the loader).
 */
export interface RemoteStore {
  /** Name used in error messages and metrics. */
  readonly name: string
  /**
   * False while the store knows it cannot serve (disconnected, or backing off after failures), so a
   * caller can skip it instead of paying for a request that will fail. Only a hint: a store that says
   * true may still fail.
   */
  readonly available: boolean
  /** The entry under `key`, or `undefined` when it is absent or expired. */
  get(key: string): Promise<RemoteEntry | undefined>
  /** The entries under `keys`, in the same order, in as few round trips as the backend allows. */
  getMany(keys: readonly string[]): Promise<(RemoteEntry | undefined)[]>
  /** Stores `value` under `key`; `ttl` in milliseconds, 0 or absent = never expires. */
  set(key: string, value: Uint8Array, ttl?: number): Promise<void>
  /** Stores every entry, in as few round trips as the backend allows. */
  setMany(entries: readonly RemoteSetEntry[]): Promise<void>
  /** Removes `key`; resolves to whether it was there. */
  delete(key: string): Promise<boolean>
  /** Releases the connections the store opened itself (never those it was handed). */
  close(): Promise<void>
}

/**
 * A batch that succeeded on some nodes and failed on others. `values` holds what could be read
 * (`undefined` where the node failed), so a caller that tolerates partial failure keeps the rest.
 */
export class RemotePartialError extends CortadoError {
  /** What could be read, by position (undefined where the key's node failed). */
  readonly values: (RemoteEntry | undefined)[]
  /** Keys whose node failed. */
  readonly failedKeys: string[]

  constructor(
    message: string,
    values: (RemoteEntry | undefined)[],
    failedKeys: string[],
    options?: { cause?: unknown },
  ) {
    super('ERR_REMOTE', message, options)
    this.name = 'RemotePartialError'
    this.values = values
    this.failedKeys = failedKeys
  }
}

/** Wraps whatever a client threw into the one error code callers branch on. */
export function remoteError(store: string, op: string, cause: unknown): CortadoError {
  if (cause instanceof CortadoError) return cause
  const detail = cause instanceof Error ? cause.message : String(cause)
  return new CortadoError('ERR_REMOTE', `${store}: ${op} failed: ${detail}`, { cause })
}

/** Checks a TTL the way the cache does, so a remote tier never silently stores forever by mistake. */
export function checkTtl(ttl: number | undefined): number {
  return ttl === undefined ? 0 : checkCacheTtl(ttl, 'ttl')
}
