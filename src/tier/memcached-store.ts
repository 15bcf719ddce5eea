/**
 * A `RemoteStore` on one memcached server through memjs (binary protocol).
 *
 * One store = one server: spreading keys over several memcached nodes is `ShardedStore`'s job (with a
 * `HashRing`), so that Redis and memcached nodes are sharded the same way and batches can be split
 * per node. memjs has no multi-get, so batches are written here as the protocol intends: a run of
 * quiet requests (GETKQ / SETQ, which the server answers only on a hit or an error) closed by a NOOP,
 * all in one write; the NOOP's answer says the batch is complete. memjs delivers every answer of the
 * run to one callback marked `quiet` (its own mechanism for multi-answer commands such as STATS).
 *
 * memjs is an optional peer dependency: this module only imports its types and loads the package
 * when `MemcachedStore.connect` creates a client.
 */
import type { Client, Response, Server } from 'memjs'
import { CortadoError, shown } from '../errors.js'
import { checkClock, nonNegative, timerMs } from '../options.js'
import { checkOptions } from '../option-names.js'
import { unwrap, wrap } from './envelope.js'
import {
  checkTtl,
  remoteError,
  type RemoteEntry,
  type RemoteSetEntry,
  type RemoteStore,
} from './remote-store.js'

type MemjsClient = Client<Buffer, Buffer | null>

/** Options of `new MemcachedStore(options)`, over a client you made. */
export interface MemcachedStoreOptions {
  /** A memjs client for exactly one server. The store never closes a client it was handed. */
  client: MemjsClient
  /** Name in error messages and metrics. Default `'memcached'`. */
  name?: string
  /**
   * After a failed request, how long (ms) `available` stays false so callers skip this server
   * instead of paying a connection attempt per request. Default 1000.
   */
  retryDelay?: number
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  clock?: () => number
}

/** Options of `MemcachedStore.connect`, which makes (and later closes) its client. */
export interface MemcachedConnectOptions extends Omit<MemcachedStoreOptions, 'client'> {
  /** Seconds to wait for an answer before the request fails. Default 0.5 (memjs's default). */
  timeout?: number
}

// Binary protocol opcodes and limits (memcached's protocol_binary.h).
const OP_NOOP = 0x0a
const OP_GETKQ = 0x0d
const OP_SETQ = 0x11
const STATUS_OK = 0
const MAX_KEY_BYTES = 250
/** Above this many seconds memcached reads an expiration as a Unix time, not a duration. */
const MAX_RELATIVE_EXPIRY_S = 60 * 60 * 24 * 30

export class MemcachedStore implements RemoteStore {
  readonly name: string
  /** The memjs client the store talks through. */
  readonly client: MemjsClient
  readonly #server: Server
  readonly #retryDelay: number
  readonly #clock: () => number
  #owned = false
  #downUntil = 0
  #closed = false

  constructor(options: MemcachedStoreOptions) {
    checkOptions(options, 'new MemcachedStore', new Set(['client', 'name', 'retryDelay', 'clock']), '{ client }', false)
    if (typeof options?.client !== 'object' || options.client === null || !Array.isArray(options.client.servers))
      throw new CortadoError('ERR_INVALID_OPTION', 'new MemcachedStore needs { client }: a memjs client (or use MemcachedStore.connect(server))')
    const servers = options.client.servers
    if (servers.length !== 1) {
      throw new CortadoError(
        'ERR_INVALID_OPTION',
        `MemcachedStore needs a client for exactly one server (got ${servers.length}); shard with ShardedStore`,
      )
    }
    this.client = options.client
    this.#server = servers[0]!
    this.name = options.name ?? 'memcached'
    const backoff = backoffOptions(options)
    this.#retryDelay = backoff.retryDelay
    this.#clock = backoff.clock
  }

  /** Creates (and owns: `close()` ends it) a client for `server` (`host:port`). */
  static async connect(server: string, options: MemcachedConnectOptions = {}): Promise<MemcachedStore> {
    checkOptions(options, 'MemcachedStore.connect', new Set(['name', 'retryDelay', 'clock', 'timeout']), "{ name: 'sessions' }", false)
    // Checked before the client is made: the constructor's refusal would leave it connecting.
    backoffOptions(options)
    const timeout = options.timeout ?? 0.5
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0)
      throw new CortadoError('ERR_INVALID_OPTION', `timeout must be a finite number of seconds > 0, got ${shown(timeout)}`)
    // memjs arms socket timers of timeout × 1000 ms per request and 2 × that to connect.
    timerMs(timeout * 2000, "timeout × 2000 (memjs's connection timeout in ms)")
    const memjs = await import('memjs')
    const client = memjs.Client.create(server, {
      // memjs retries with a delay by default; a cache tier would rather fail fast and fall through.
      retries: 1,
      timeout,
      keepAlive: true,
      // Failures reach the caller as rejected promises; memjs's own console logging would duplicate them.
      logger: { log: () => {} },
    }) as MemjsClient
    const store = new MemcachedStore({ client, name: options.name, retryDelay: options.retryDelay, clock: options.clock })
    store.#owned = true
    return store
  }

  get available(): boolean {
    return !this.#closed && (this.#downUntil === 0 || this.#clock() >= this.#downUntil)
  }

  async get(key: string): Promise<RemoteEntry | undefined> {
    checkMemcachedKey(key)
    this.#guard('get')
    let value: Buffer | null
    try {
      value = (await this.client.get(key)).value
    } catch (err) {
      throw this.#failed('get', err)
    }
    this.#downUntil = 0
    return value === null ? undefined : unwrap(value, this.#clock())
  }

  async getMany(keys: readonly string[]): Promise<(RemoteEntry | undefined)[]> {
    if (keys.length === 0) return []
    this.#guard('get (batch)')
    const parts: Buffer[] = []
    const opaque = this.#nextOpaque()
    for (const key of keys) {
      checkMemcachedKey(key)
      parts.push(request(OP_GETKQ, key, '', '', opaque))
    }
    const found = new Map<string, Buffer>()
    await this.#quietBatch('get (batch)', parts, opaque, (response) => {
      found.set(response.key.toString(), response.val)
    })
    const now = this.#clock()
    return keys.map((key) => {
      const bytes = found.get(key)
      return bytes === undefined ? undefined : unwrap(bytes, now)
    })
  }

  async set(key: string, value: Uint8Array, ttl?: number): Promise<void> {
    checkMemcachedKey(key)
    this.#guard('set')
    const ms = checkTtl(ttl)
    const now = this.#clock()
    try {
      await this.client.set(key, wrap(value, ms, now), { expires: expiry(ms, now) })
    } catch (err) {
      throw this.#failed('set', err)
    }
    this.#downUntil = 0
  }

  async setMany(entries: readonly RemoteSetEntry[]): Promise<void> {
    if (entries.length === 0) return
    this.#guard('set (batch)')
    const now = this.#clock()
    const opaque = this.#nextOpaque()
    const parts: Buffer[] = []
    for (const e of entries) {
      checkMemcachedKey(e.key)
      const ms = checkTtl(e.ttl)
      const extras = Buffer.alloc(8) // 4 bytes of flags (unused) + 4 bytes of expiration
      extras.writeUInt32BE(expiry(ms, now), 4)
      parts.push(request(OP_SETQ, e.key, extras, wrap(e.value, ms, now), opaque))
    }
    // A quiet SET answers only when it fails, so any answer before the NOOP's is an error.
    let rejected: string | undefined
    await this.#quietBatch('set (batch)', parts, opaque, (response) => {
      rejected ??= `${response.key.toString()}: status ${response.header.status} ${response.val.toString()}`
    })
    if (rejected !== undefined) throw this.#failed('set (batch)', new Error(rejected), true)
  }

  async delete(key: string): Promise<boolean> {
    checkMemcachedKey(key)
    this.#guard('delete')
    try {
      const existed = await this.client.delete(key)
      this.#downUntil = 0
      return existed
    } catch (err) {
      throw this.#failed('delete', err)
    }
  }

  /** Closes the client this store created (not one passed in); later calls fail with ERR_CLOSED. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#owned) this.client.close()
  }

  #nextOpaque(): number {
    this.client.incrSeq()
    return this.client.seq
  }

  /**
   * Writes `parts` and a closing NOOP as one request sharing `opaque`; `onAnswer` sees every answer
   * the server sends before the NOOP's (quiet commands answer only on a hit or an error).
   */
  #quietBatch(op: string, parts: Buffer[], opaque: number, onAnswer: (r: Response) => void): Promise<void> {
    parts.push(request(OP_NOOP, '', '', '', opaque))
    return new Promise<void>((resolve, reject) => {
      let failure: string | undefined
      let answered = false
      const handler = (response: Response) => {
        if (response.header.opcode === OP_NOOP) {
          if (failure === undefined) {
            this.#downUntil = 0
            resolve()
          } else reject(this.#failed(op, new Error(failure), answered))
        } else if (response.header.status === STATUS_OK || response.header.opcode === OP_SETQ) {
          onAnswer(response)
        } else {
          failure ??= `status ${response.header.status}: ${response.val.toString()}`
          answered = true
        }
      }
      // memjs keeps a callback marked quiet registered until an answer with an empty body (the NOOP's).
      ;(handler as { quiet?: boolean }).quiet = true
      this.#server.onResponse(opaque, handler)
      this.#server.onError(opaque, (err) => reject(this.#failed(op, err)))
      this.#server.write(Buffer.concat(parts))
    })
  }

  /**
   * While backing off after a failure, refuse at once: against a dead host every request would
   * otherwise wait for a connection timeout. Once `retryDelay` has passed, calls go through again and
   * the first answer (or failure) decides whether the server is back.
   */
  #guard(op: string): void {
    if (this.#closed) throw new CortadoError('ERR_CLOSED', `${this.name}: ${op} after close()`)
    if (this.available) return
    throw remoteError(this.name, op, new Error(`unavailable, retrying in ${Math.ceil(this.#downUntil - this.#clock())} ms`))
  }

  /**
   * A failed request. Only a server that did not answer is backed off: one that answered with an error
   * status (a value over its item size, say; memjs says 'MemJS SET: Value too large') is up, and
   * backing it off would fail every other caller's requests for retryDelay because of one value.
   */
  #failed(op: string, err: unknown, answered = err instanceof Error && /^MemJS [A-Z]+: /.test(err.message)): CortadoError {
    if (!answered) this.#downUntil = this.#clock() + this.#retryDelay
    return remoteError(this.name, op, err)
  }
}

/**
 * One binary-protocol request: the 24-byte header (magic, opcode, key length, extras length, data
 * type, vbucket, body length, opaque, CAS), then extras, key and value.
 */
function request(opcode: number, key: string, extras: Buffer | '', value: Buffer | '', opaque: number): Buffer {
  const keyBytes = Buffer.byteLength(key)
  const body = extras.length + keyBytes + value.length
  const out = Buffer.alloc(24 + body)
  out[0] = 0x80
  out[1] = opcode
  out.writeUInt16BE(keyBytes, 2)
  out[4] = extras.length
  out.writeUInt32BE(body, 8)
  out.writeUInt32BE(opaque >>> 0, 12)
  let at = 24
  if (extras !== '') at += extras.copy(out, at)
  at += out.write(key, at)
  if (value !== '') value.copy(out, at)
  return out
}

function checkMemcachedKey(key: string): void {
  // The empty key too: memcached refuses it (memjs: 'Invalid arguments'), which is the caller's input, not the server's failure.
  if (typeof key !== 'string' || key.length === 0 || Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new CortadoError('ERR_INVALID_KEY', `memcached keys are non-empty strings of at most ${MAX_KEY_BYTES} bytes`)
  }
}

/** memcached's expiration field: seconds (rounded up), or a Unix time beyond 30 days; 0 = never. */
function expiry(ms: number, now: number): number {
  if (ms === 0) return 0
  const seconds = Math.ceil(ms / 1000)
  return seconds <= MAX_RELATIVE_EXPIRY_S ? seconds : Math.ceil((now + ms) / 1000)
}

/**
 * How long an unanswering server is backed off, and the clock that times it. A NaN or string delay
 * made `Date.now() + retryDelay` NaN, so the server was never backed off and every caller waited for
 * its own connection timeout.
 */
function backoffOptions(o: { retryDelay?: unknown; clock?: unknown }): { retryDelay: number; clock: () => number } {
  return { retryDelay: nonNegative(o.retryDelay, 'retryDelay', 1000), clock: checkClock(o.clock) }
}
