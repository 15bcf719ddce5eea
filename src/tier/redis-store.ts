/**
 * A `RemoteStore` on Redis through ioredis (standalone, Sentinel or Cluster).
 *
 * Why ioredis rather than node-redis (`redis` on npm): both are maintained under the Redis
 * organisation and both pipeline; ioredis was chosen because (1) Cluster and Sentinel are built into
 * the same client class with the same command API, so one store covers all three deployments;
 * (2) `duplicate()` gives the invalidation bus its subscriber connection with the same settings;
 * (3) it has `*Buffer` variants of every command (`getBuffer`, `mgetBuffer`), so binary values never
 * round-trip through strings; (4) it is the client already installed here. The measured numbers
 * (`bench/tier/tier.bench.ts`) are for ioredis only; node-redis was not installed to compare.
 *
 * ioredis is an optional peer dependency: this module only imports its types, and loads the package
 * when `RedisStore.connect` creates a client, so the package root works without it.
 */
import type { Cluster, ClusterNode, ClusterOptions, Redis, RedisOptions } from 'ioredis'
import { CortadoError } from '../errors.js'
import { checkOptions } from '../option-names.js'
import { unwrap, wrap } from './envelope.js'
import {
  checkTtl,
  remoteError,
  type RemoteEntry,
  type RemoteSetEntry,
  type RemoteStore,
} from './remote-store.js'

/** A standalone (or Sentinel) client or a Cluster client. */
export type RedisClient = Redis | Cluster

/** Where `RedisStore.connect` connects: a `redis://` URL, ioredis options, or a cluster's seed nodes. */
export type RedisConnection =
  | string
  | RedisOptions
  | {
      /** The cluster's seed nodes. */
      readonly cluster: ClusterNode[]
      /** ioredis Cluster options. */
      readonly options?: ClusterOptions
    }

/** Options of `new RedisStore(options)`, over a client you made. */
export interface RedisStoreOptions {
  /** An ioredis client to use. The store never closes a client it was handed. */
  client: RedisClient
  /** Name in error messages and metrics. Default `'redis'`. */
  name?: string
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  clock?: () => number
}

/** Options of `RedisStore.connect`, which makes (and later closes) its client. */
export interface RedisConnectOptions {
  /** Name in error messages and metrics. Default `'redis'`. */
  name?: string
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  clock?: () => number
  /** Receives the connection errors ioredis reports as events (they are otherwise swallowed). */
  onError?: (error: Error) => void
}

/**
 * Settings for the clients the store creates. A cache tier must fail fast rather than queue: while
 * Redis is unreachable, commands are refused at once (no offline queue, no retries of in-flight
 * commands) so reads fall through to the loader instead of waiting. Reconnection keeps going in the
 * background, with backoff capped at 2 s so a restarted server is picked up quickly.
 */
const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  commandTimeout: 1000,
  connectTimeout: 2000,
  retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 2000),
}

export class RedisStore implements RemoteStore {
  readonly name: string
  /** The ioredis client the store talks through. */
  readonly client: RedisClient
  readonly #clock: () => number
  /** Whether `close()` quits the client: only for clients `connect` created. */
  #owned: boolean

  constructor(options: RedisStoreOptions) {
    checkOptions(options, 'new RedisStore', new Set(['client', 'name', 'clock']), '{ client }', false)
    if (typeof options?.client !== 'object' || options.client === null)
      throw new CortadoError('ERR_INVALID_OPTION', 'new RedisStore needs { client }: an ioredis client (or use RedisStore.connect(url))')
    this.client = options.client
    this.name = options.name ?? 'redis'
    this.#clock = options.clock ?? Date.now
    this.#owned = false
  }

  /**
   * Creates a client (and owns it: `close()` quits it) with fail-fast settings; any ioredis option
   * given in `connection` overrides them. Resolves once the first connection is ready.
   */
  static async connect(connection: RedisConnection, options: RedisConnectOptions = {}): Promise<RedisStore> {
    checkOptions(options, 'RedisStore.connect', new Set(['name', 'clock', 'onError']), "{ name: 'sessions' }", false)
    const { Redis, Cluster } = await import('ioredis')
    let client: RedisClient
    if (typeof connection === 'string') {
      client = new Redis(connection, { ...FAIL_FAST, lazyConnect: true })
    } else if ('cluster' in connection) {
      const { redisOptions, ...rest } = connection.options ?? {}
      client = new Cluster(connection.cluster, {
        enableOfflineQueue: false,
        // Cluster has no MGET across slots; auto-pipelining turns a getMany's concurrent GETs into
        // one pipeline per node.
        enableAutoPipelining: true,
        clusterRetryStrategy: FAIL_FAST.retryStrategy,
        ...rest,
        redisOptions: { ...FAIL_FAST, ...redisOptions },
        lazyConnect: true,
      })
    } else {
      client = new Redis({ ...FAIL_FAST, ...connection, lazyConnect: true })
    }
    const onError = options.onError ?? (() => {})
    client.on('error', onError)
    try {
      await client.connect()
    } catch (err) {
      client.disconnect()
      throw remoteError(options.name ?? 'redis', 'connect', err)
    }
    const store = new RedisStore({ client, name: options.name, clock: options.clock })
    store.#owned = true
    return store
  }

  get available(): boolean {
    return this.client.status === 'ready'
  }

  async get(key: string): Promise<RemoteEntry | undefined> {
    let bytes: Buffer | null
    try {
      bytes = await this.client.getBuffer(key)
    } catch (err) {
      throw remoteError(this.name, 'GET', err)
    }
    return bytes === null ? undefined : unwrap(bytes, this.#clock())
  }

  async getMany(keys: readonly string[]): Promise<(RemoteEntry | undefined)[]> {
    if (keys.length === 0) return []
    let replies: (Buffer | null)[]
    try {
      replies = this.client.isCluster
        ? await Promise.all(keys.map((key) => this.client.getBuffer(key)))
        : await this.client.mgetBuffer(keys as string[])
    } catch (err) {
      throw remoteError(this.name, 'MGET', err)
    }
    const now = this.#clock()
    return replies.map((bytes) => (bytes === null ? undefined : unwrap(bytes, now)))
  }

  async set(key: string, value: Uint8Array, ttl?: number): Promise<void> {
    const ms = checkTtl(ttl)
    const bytes = wrap(value, ms, this.#clock())
    try {
      if (ms > 0) await this.client.set(key, bytes, 'PX', Math.ceil(ms))
      else await this.client.set(key, bytes)
    } catch (err) {
      throw remoteError(this.name, 'SET', err)
    }
  }

  async setMany(entries: readonly RemoteSetEntry[]): Promise<void> {
    if (entries.length === 0) return
    const now = this.#clock()
    const batch = entries.map((e) => {
      const ms = checkTtl(e.ttl)
      return { key: e.key, ms, bytes: wrap(e.value, ms, now) }
    })
    try {
      if (this.client.isCluster) {
        await Promise.all(
          batch.map((e) =>
            e.ms > 0 ? this.client.set(e.key, e.bytes, 'PX', Math.ceil(e.ms)) : this.client.set(e.key, e.bytes),
          ),
        )
        return
      }
      // MSET cannot carry a TTL per key; a pipeline of SET PX is still one write and one read.
      const pipeline = this.client.pipeline()
      for (const e of batch) {
        if (e.ms > 0) pipeline.set(e.key, e.bytes, 'PX', Math.ceil(e.ms))
        else pipeline.set(e.key, e.bytes)
      }
      const results = (await pipeline.exec()) ?? []
      const failed = results.find(([err]) => err !== null)
      if (failed !== undefined) throw failed[0]
    } catch (err) {
      throw remoteError(this.name, 'SET (batch)', err)
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return (await this.client.del(key)) > 0
    } catch (err) {
      throw remoteError(this.name, 'DEL', err)
    }
  }

  async close(): Promise<void> {
    if (!this.#owned || this.client.status === 'end') return
    try {
      await this.client.quit()
    } catch {
      // Quitting a client that is not connected fails; the socket is gone either way.
      this.client.disconnect()
    }
  }
}
