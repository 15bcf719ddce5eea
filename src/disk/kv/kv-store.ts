/**
 * What LmdbStore and LevelStore share: key and TTL checks, the value envelope, expiry on read, counters.
 * Each subclass supplies the five backend calls; the public API matches LogStore's.
 */
import { CortadoError } from '../../errors.js'
import { checkKey } from '../../keys.js'
import { checkClock, checkTtl } from '../../options.js'
import { checkOptions } from '../../option-names.js'
import { checkPutOptions } from '../log/options.js'
import { resolveCodec, type ValueCodec } from '../../codecs/index.js'
import type { Codec, CodecName } from '../../types.js'
import type { StoredEntry, PutOptions } from '../log/log-store.js'
import { expiryOf, unwrapValue, wrapValue } from './envelope.js'

/** Options of `LmdbStore.open` and `LevelStore.open`. Every one is optional. */
export interface KvStoreOptions<V> {
  /** 'always': fsync before a write resolves (the backend batches concurrent writes); 'none': no fsync. Default 'always'. */
  sync?: 'always' | 'none'
  /** How values become bytes: a built-in codec name or { encode, decode }. Default 'auto'. */
  codec?: CodecName | Codec<V>
  /** Clock for TTLs, ms since the epoch. Default Date.now. */
  clock?: () => number
}

/** Counters of an LmdbStore or LevelStore since it was opened (part of `stats()`). */
export interface KvStoreStats {
  /** Puts accepted. */
  puts: number
  /** Deletes that found the key (live or expired). */
  deletes: number
  /** Reads by `get`, `getSync` and `getEntry` (hits + misses). */
  gets: number
  /** Reads that found a live value. */
  hits: number
  /** Reads that found nothing or an expired entry. */
  misses: number
  /** Reads that found an expired entry (counted in misses too). */
  expired: number
}

export abstract class KvStore<V> {
  /** The directory the store lives in. */
  readonly dir: string
  /** The sync mode it was opened with (see KvStoreOptions.sync). */
  readonly sync: 'always' | 'none'
  /** Encodes and decodes values (from the `codec` option). */
  protected readonly codec: ValueCodec<V>
  /** The decoder of a user-supplied codec, undefined for a built-in one. */
  protected readonly userDecode: ((bytes: Uint8Array) => unknown) | undefined
  /** Clock for TTLs, ms since the epoch. */
  protected readonly clock: () => number
  /** Running counters, copied into `stats()`. */
  protected readonly counters: KvStoreStats = { puts: 0, deletes: 0, gets: 0, hits: 0, misses: 0, expired: 0 }
  private closedFlag = false

  /** @param kind The class name ('LmdbStore', 'LevelStore'), used in error messages. */
  protected constructor(readonly kind: string, dir: string, options: KvStoreOptions<V> | undefined) {
    this.dir = dir
    this.sync = checkSync(kind, options?.sync)
    const { codec, userDecode } = resolveCodec<V>(options?.codec)
    this.codec = codec
    this.userDecode = userDecode
    this.clock = checkClock(options?.clock)
  }

  /** Writes the enveloped bytes under `key`, durable as `sync` promises. */
  protected abstract backendPut(key: string, bytes: Buffer): Promise<void>
  /** The stored bytes under `key`, or undefined, without a promise. */
  protected abstract backendGetSync(key: string): Uint8Array | undefined
  /** The stored bytes under `key`, or undefined. */
  protected abstract backendGet(key: string): Promise<Uint8Array | undefined>
  /** Removes `key`; resolves to whether the backend says it was there. */
  protected abstract backendDelete(key: string): Promise<boolean>
  /** Closes the backend database. */
  protected abstract backendClose(): Promise<void>
  /** Every stored key and its bytes (expired ones included), in key order. */
  protected abstract backendEntries(): AsyncIterable<[string, Uint8Array]>

  /** Stores `value` under `key`, with an optional TTL. Resolves once durable as `sync` promises. */
  put(key: string, value: V, options?: PutOptions): Promise<void> {
    try {
      this.checkOpen()
      checkKey(key, 'put')
      checkPutOptions(options, `${this.kind}.put`)
      const ttl = options?.ttl === undefined ? 0 : checkTtl(options.ttl, 'ttl')
      const bytes = wrapValue(this.codec, value, ttl > 0 ? this.clock() + ttl : 0)
      this.counters.puts++
      return this.backendPut(key, bytes)
    } catch (e) {
      return Promise.reject(e)
    }
  }

  /** The live value under `key`, or undefined, without a promise. */
  getSync(key: string): V | undefined {
    this.checkOpen()
    checkKey(key, 'get')
    return this.decode(this.backendGetSync(key))
  }

  /** The live value under `key`, or undefined. */
  async get(key: string): Promise<V | undefined> {
    this.checkOpen()
    checkKey(key, 'get')
    return this.decode(await this.backendGet(key))
  }

  /** The live value under `key` and its expiry, or undefined. */
  async getEntry(key: string): Promise<StoredEntry<V> | undefined> {
    this.checkOpen()
    checkKey(key, 'getEntry')
    const stored = await this.backendGet(key)
    const value = this.decode(stored)
    return value === undefined ? undefined : { value, expiresAt: expiryOf(stored!) }
  }

  /** Whether `key` holds a live (unexpired) entry. */
  async has(key: string): Promise<boolean> {
    this.checkOpen()
    checkKey(key, 'has')
    const stored = await this.backendGet(key)
    return stored !== undefined && !this.isExpired(stored)
  }

  /** Removes `key`; resolves to whether it held a live entry. */
  async delete(key: string): Promise<boolean> {
    this.checkOpen()
    checkKey(key, 'delete')
    const stored = await this.backendGet(key)
    if (stored === undefined) return false
    await this.backendDelete(key)
    this.counters.deletes++
    return !this.isExpired(stored)
  }

  /** Live entries (expired ones skipped), in key order. */
  async *entries(): AsyncGenerator<[string, V]> {
    this.checkOpen()
    for await (const [key, stored] of this.backendEntries()) {
      if (this.isExpired(stored)) continue
      yield [key, unwrapValue(stored, this.userDecode) as V]
    }
  }

  /** Live entries, counted by iterating (neither backend keeps an exact count of unexpired keys). */
  async count(): Promise<number> {
    let n = 0
    for await (const _ of this.entries()) n++
    return n
  }

  /** True once `close()` has been called. */
  get closed(): boolean {
    return this.closedFlag
  }

  /** Closes the backend. Later calls do nothing; other methods then fail with ERR_CLOSED. */
  async close(): Promise<void> {
    if (this.closedFlag) return
    this.closedFlag = true
    await this.backendClose()
  }

  /** Same as `get`: the Store interface of write-through and write-behind caches. */
  load(key: string): Promise<V | undefined> {
    return this.get(key)
  }

  /** Same as `put` without a TTL: the Store interface of write-through and write-behind caches. */
  async save(key: string, value: V): Promise<void> {
    await this.put(key, value)
  }

  private isExpired(stored: Uint8Array): boolean {
    const t = expiryOf(stored)
    return t !== 0 && t <= this.clock()
  }

  private decode(stored: Uint8Array | undefined): V | undefined {
    this.counters.gets++
    if (stored === undefined || this.isExpired(stored)) {
      if (stored !== undefined) this.counters.expired++
      this.counters.misses++
      return undefined
    }
    this.counters.hits++
    return unwrapValue(stored, this.userDecode) as V
  }

  /** Throws ERR_CLOSED once the store is closed. */
  protected checkOpen(): void {
    if (this.closedFlag) throw new CortadoError('ERR_CLOSED', `${this.kind} ${this.dir} is closed`)
  }
}

const KNOWN: ReadonlySet<string> = new Set(['sync', 'codec', 'clock'])

/** Checks the options of `LmdbStore.open` / `LevelStore.open` before anything is opened: names, sync, codec, clock. */
export function checkKvOptions(kind: string, options: unknown): void {
  const o = checkOptions(options, `${kind}.open`, KNOWN, "{ sync: 'none' }", false)
  checkSync(kind, o.sync)
  if (o.codec !== undefined) resolveCodec(o.codec as CodecName)
  checkClock(o.clock as (() => number) | undefined)
}

export function checkSync(kind: string, sync: unknown): 'always' | 'none' {
  if (sync === undefined) return 'always'
  if (sync === 'always' || sync === 'none') return sync
  throw new CortadoError('ERR_INVALID_OPTION', `${kind}: sync must be 'always' or 'none' (the backend has no fsync interval), got ${String(sync)}`)
}

/** Loads an optional peer dependency, or says how to install it. */
export async function importPeer<T>(name: string, kind: string): Promise<T> {
  try {
    return (await import(name)) as T
  } catch (e) {
    throw new CortadoError('ERR_ENGINE_UNAVAILABLE', `${kind} needs the '${name}' package: npm install ${name}`, { cause: e })
  }
}
