/**
 * What LmdbStore and LevelStore share: key and TTL checks, the value envelope, expiry on read, counters.
 * Each subclass supplies the five backend calls; the public API matches LogStore's.
 */
import { CortadoError } from '../../errors.js'
import { checkKey } from '../../keys.js'
import { checkClock, checkTtl } from '../../options.js'
import { resolveCodec, type ValueCodec } from '../../codecs/index.js'
import type { Codec, CodecName } from '../../types.js'
import type { StoredEntry, PutOptions } from '../log/log-store.js'
import { expiryOf, unwrapValue, wrapValue } from './envelope.js'

export interface KvStoreOptions<V> {
  /** 'always': fsync before a write resolves (the backend batches concurrent writes); 'none': no fsync. Default 'always'. */
  sync?: 'always' | 'none'
  codec?: CodecName | Codec<V>
  clock?: () => number
}

export interface KvStoreStats {
  puts: number
  deletes: number
  gets: number
  hits: number
  misses: number
  expired: number
}

export abstract class KvStore<V> {
  readonly dir: string
  readonly sync: 'always' | 'none'
  protected readonly codec: ValueCodec<V>
  protected readonly userDecode: ((bytes: Uint8Array) => unknown) | undefined
  protected readonly clock: () => number
  protected readonly counters: KvStoreStats = { puts: 0, deletes: 0, gets: 0, hits: 0, misses: 0, expired: 0 }
  private closedFlag = false

  protected constructor(readonly kind: string, dir: string, options: KvStoreOptions<V> | undefined) {
    this.dir = dir
    this.sync = checkSync(kind, options?.sync)
    const { codec, userDecode } = resolveCodec<V>(options?.codec)
    this.codec = codec
    this.userDecode = userDecode
    this.clock = checkClock(options?.clock)
  }

  protected abstract backendPut(key: string, bytes: Buffer): Promise<void>
  protected abstract backendGetSync(key: string): Uint8Array | undefined
  protected abstract backendGet(key: string): Promise<Uint8Array | undefined>
  protected abstract backendDelete(key: string): Promise<boolean>
  protected abstract backendClose(): Promise<void>
  protected abstract backendEntries(): AsyncIterable<[string, Uint8Array]>

  put(key: string, value: V, options?: PutOptions): Promise<void> {
    try {
      this.checkOpen()
      checkKey(key, 'put')
      const ttl = options?.ttl === undefined ? 0 : checkTtl(options.ttl, 'ttl')
      const bytes = wrapValue(this.codec, value, ttl > 0 ? this.clock() + ttl : 0)
      this.counters.puts++
      return this.backendPut(key, bytes)
    } catch (e) {
      return Promise.reject(e)
    }
  }

  getSync(key: string): V | undefined {
    this.checkOpen()
    checkKey(key, 'get')
    return this.decode(this.backendGetSync(key))
  }

  async get(key: string): Promise<V | undefined> {
    this.checkOpen()
    checkKey(key, 'get')
    return this.decode(await this.backendGet(key))
  }

  async getEntry(key: string): Promise<StoredEntry<V> | undefined> {
    this.checkOpen()
    checkKey(key, 'getEntry')
    const stored = await this.backendGet(key)
    const value = this.decode(stored)
    return value === undefined ? undefined : { value, expiresAt: expiryOf(stored!) }
  }

  async has(key: string): Promise<boolean> {
    this.checkOpen()
    checkKey(key, 'has')
    const stored = await this.backendGet(key)
    return stored !== undefined && !this.isExpired(stored)
  }

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

  get closed(): boolean {
    return this.closedFlag
  }

  async close(): Promise<void> {
    if (this.closedFlag) return
    this.closedFlag = true
    await this.backendClose()
  }

  load(key: string): Promise<V | undefined> {
    return this.get(key)
  }

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

  protected checkOpen(): void {
    if (this.closedFlag) throw new CortadoError('ERR_CLOSED', `${this.kind} ${this.dir} is closed`)
  }
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
