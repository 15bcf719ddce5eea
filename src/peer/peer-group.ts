/**
 * PeerGroup: groupcache-style loading across processes and machines. Each key has one owner among the
 * peers (consistent hashing); the owner loads it once, through its cache's single-flight, and serves
 * every other peer; a non-owner asks the owner (one request per key at a time), keeps copies of the
 * keys it fetches often in a hot cache, and loads locally when the owner is down or slow.
 *
 * Values are immutable in a group: nothing updates or invalidates them across peers (see
 * docs/peers.md for when to use the Redis tier instead).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CortadoError, isCortadoError } from '../errors.js'
import { keyError } from '../keys.js'
import { checkOptions } from '../option-names.js'
import { waitAsCaller } from '../loading/caller.js'
import type { Loader } from '../loading/types.js'
import { PeerClient, SERVER_KEEP_ALIVE_MS } from './client.js'
import { PeerHealth } from './health.js'
import { HotCache } from './hot-cache.js'
import { Membership, normalizePeerList } from './membership.js'
import { resolvePeerOptions, type PeerCache, type PeerGroupOptions } from './options.js'
import { peerHandler, type PeerHandler } from './server.js'
import { PeerCounters, type PeerCounter, type PeerGroupStats } from './stats.js'
import { WireValues } from './values.js'
import { ReplyStatus, encodeMessageReply, messageOf, type Reply } from './wire.js'

/** Options of `PeerGroup.get`. */
export interface PeerGetOptions {
  /** Aborts this caller's wait with ERR_ABORTED (a shared request or load goes on for the others). */
  signal?: AbortSignal
}

/** Options of `PeerGroup.listen`: where the peer server listens. */
export interface PeerListenOptions {
  /** Default: the port of `self`. */
  port?: number
  /** Default: the host of `self` (use '0.0.0.0' to listen on every interface). */
  host?: string
}

const GET_OPTIONS: ReadonlySet<string> = new Set(['signal'])
const LISTEN_OPTIONS: ReadonlySet<string> = new Set(['port', 'host'])

/** Groupcache-style loading across processes: each key has one owner peer that loads it once and serves the others. */
export class PeerGroup<V = unknown> {
  /** This peer's normalized address ('http://host:port'). */
  readonly self: string
  /** The group's name in metrics and error messages: the `name` option, else `self`. */
  readonly name: string

  readonly #cache: PeerCache<V>
  readonly #load: Loader<V>
  readonly #membership: Membership
  readonly #health: PeerHealth
  readonly #client: PeerClient
  readonly #hot: HotCache<V> | undefined
  readonly #values: WireValues<V>
  readonly #counters = new PeerCounters()
  /** Requests to owners in flight, by key: concurrent gets of one key share one request. */
  readonly #remote = new Map<string, Promise<V | undefined>>()
  readonly #peerSource: (() => readonly string[] | Promise<readonly string[]>) | undefined
  readonly #handler: PeerHandler
  readonly #onPeerError: ((error: CortadoError, peer: string) => void) | undefined
  #refreshing: Promise<void> | undefined
  /** Set until the first call of a `peers` function has answered: gets wait for it. */
  #firstRefresh: Promise<void> | undefined
  #refreshTimer: NodeJS.Timeout | undefined
  #server: Server | undefined
  #closed = false

  constructor(options: PeerGroupOptions<V>) {
    const o = resolvePeerOptions(options)
    this.self = o.self
    this.name = o.name
    this.#cache = o.cache
    const load = o.load
    this.#load = (key, context) => {
      this.#counters.originLoads++
      return load(key, context)
    }
    this.#membership = new Membership(o.self, o.initialPeers, o.vnodes)
    this.#health = new PeerHealth(o.unhealthyMs)
    this.#values = new WireValues<V>(o.codec)
    this.#hot = o.hotCache === undefined ? undefined : new HotCache<V>(o.hotCache, o.codec, o.name)
    this.#client = new PeerClient({ timeoutMs: o.timeoutMs, secret: o.secret })
    this.#handler = peerHandler({
      secret: o.secret,
      serve: (key, hangUp) => this.#serve(key, hangUp),
      count: (outcome) => this.#count(outcome),
      open: () => !this.#closed,
    })
    this.#peerSource = o.peerSource
    this.#onPeerError = o.onPeerError
    if (this.#peerSource) {
      this.#firstRefresh = this.refreshPeers().finally(() => (this.#firstRefresh = undefined))
      this.#refreshTimer = setInterval(() => void this.refreshPeers(), o.refreshMs)
      this.#refreshTimer.unref()
    }
  }

  /** Every member, this peer included, sorted. */
  get peers(): string[] {
    return this.#membership.peers
  }

  /** The member that loads `key` for the group. */
  ownerOf(key: string): string {
    const bad = keyError(key, 'PeerGroup.ownerOf')
    if (bad) throw bad
    return this.#membership.ownerOf(key)
  }

  /** Replaces the member list (self is always a member). Only keys of peers that came or went move. */
  setPeers(peers: readonly string[]): void {
    this.#checkOpen()
    const list = normalizePeerList(peers, 'setPeers(peers)')
    this.#membership.set(list)
    this.#health.retain(this.#membership.peers)
  }

  /**
   * Calls the `peers` function now (it is also called every `refreshMs`). A function that throws or
   * returns something that is not a list of peer URLs is counted in `membershipErrors`; the previous
   * list stays. Resolves when done; never rejects.
   */
  refreshPeers(): Promise<void> {
    const source = this.#peerSource
    if (!source || this.#closed) return Promise.resolve()
    // One call at a time: a slow DNS answer must not pile up calls.
    if (!this.#refreshing) {
      const refresh = async (): Promise<void> => {
        try {
          const list = normalizePeerList(await source(), 'the peers function result')
          if (!this.#closed) this.setPeers(list)
        } catch {
          this.#counters.membershipErrors++
        }
      }
      // .finally runs after this assignment even when source() throws synchronously.
      this.#refreshing = refresh().finally(() => (this.#refreshing = undefined))
    }
    return this.#refreshing
  }

  /**
   * Serves the other peers on a new node:http server, on the port (and host) of `self` unless given.
   * To serve from an existing server instead, call `handle(req, res)` from its request listener.
   */
  async listen(options: PeerListenOptions = {}): Promise<AddressInfo> {
    this.#checkOpen()
    checkOptions(options, 'PeerGroup.listen', LISTEN_OPTIONS, "{ port: 7700, host: '0.0.0.0' }", false)
    if (this.#server) throw new CortadoError('ERR_INVALID_OPTION', `peer group ${this.name} is already listening`)
    const self = new URL(this.self)
    const port = options.port ?? Number(self.port || 80)
    // URL keeps IPv6 hosts in brackets; listen() wants them bare.
    const host = options.host ?? self.hostname.replace(/^\[(.*)\]$/, '$1')
    const server = createServer((req, res) => {
      if (!this.handle(req, res)) {
        res.writeHead(404, { 'content-type': 'text/plain' })
        res.end('not a Cortado peer endpoint\n')
      }
    })
    server.keepAliveTimeout = SERVER_KEEP_ALIVE_MS
    this.#server = server
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error) => {
        this.#server = undefined
        reject(new CortadoError('ERR_PEER', `peer group ${this.name} cannot listen on ${host}:${port}: ${error.message}`, { cause: error }))
      }
      server.once('error', failed)
      server.listen(port, host, () => {
        server.off('error', failed)
        // A server error later (e.g. out of file descriptors on accept) must not crash the process.
        server.on('error', () => this.#counters.serverErrors++)
        resolve()
      })
    })
    if (this.#firstRefresh) await this.#firstRefresh
    return server.address() as AddressInfo
  }

  /** The group's request handler for a server of your own: true when it answered (the peer path), else false. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    return this.#handler(req, res)
  }

  /**
   * The value of `key`: from the local cache, from the hot cache, or from its owner (who loads it once
   * for the whole group). When the owner is down, slow (over `timeoutMs`) or answers with something
   * that does not decode, the value is loaded here (counted in `fallbacks`). Resolves `undefined` when
   * the loader found nothing; a loader failure (here or at the owner) rejects with ERR_LOADER.
   */
  async get(key: string, options: PeerGetOptions = {}): Promise<V | undefined> {
    this.#checkOpen()
    const bad = keyError(key, 'PeerGroup.get')
    if (bad) throw bad
    // { signl } or { timeout } would otherwise be dropped without a word (the wait then has no bound).
    checkOptions(options, 'PeerGroup.get', GET_OPTIONS, '{ signal }', false)
    const signal = options.signal
    if (this.#firstRefresh) await waitAsCaller(this.#firstRefresh, key, signal, undefined)
    const local = this.#cache.get(key)
    if (local !== undefined) {
      this.#counters.localHits++
      return local
    }
    // The hot copy before the ring lookup: a hot hit then costs two cache lookups and nothing else.
    const copy = this.#hot?.get(key)
    if (copy !== undefined) {
      this.#counters.hotHits++
      return copy
    }
    const owner = this.#membership.ownerOf(key)
    if (owner === this.self) return this.#cache.getOrLoad(key, this.#load, { signal })
    let request = this.#remote.get(key)
    if (request) this.#counters.coalesced++
    else {
      request = this.#fetch(key, owner)
      this.#remote.set(key, request)
      const done = () => this.#remote.delete(key)
      request.then(done, done)
    }
    return waitAsCaller(request, key, signal, undefined)
  }

  /**
   * Removes `key` from this process only (the local cache and the hot copy). Other peers keep their
   * copies, and the owner keeps the value: a group has no cross-peer invalidation, by design.
   */
  invalidate(key: string): boolean {
    this.#checkOpen()
    const bad = keyError(key, 'PeerGroup.invalidate')
    if (bad) throw bad
    const local = this.#cache.invalidate(key) > 0
    const hot = this.#hot?.delete(key) ?? false
    return local || hot
  }

  /** A snapshot of this process's counters, members and hot cache. */
  stats(): PeerGroupStats {
    const c = this.#counters
    const hot = this.#hot && !this.#closed ? this.#hot.stats() : undefined
    return {
      localHits: c.localHits,
      hotHits: c.hotHits,
      peerFetches: c.peerFetches,
      coalesced: c.coalesced,
      peerErrors: c.peerErrors,
      fallbacks: c.fallbacks,
      originLoads: c.originLoads,
      served: c.served,
      refused: c.refused,
      membershipErrors: c.membershipErrors,
      serverErrors: c.serverErrors,
      peers: this.#membership.peers.length,
      unhealthyPeers: this.#health.down().length,
      hotEntries: hot?.entries ?? 0,
      hotBytes: hot?.bytesUsed ?? 0,
      hotEvictions: hot?.evictions ?? 0,
      hotRejections: hot?.rejections ?? 0,
    }
  }

  /**
   * Stops serving (open connections are closed), closes pooled connections to peers and the hot cache.
   * The local cache is yours and stays open. Later calls reject with ERR_CLOSED.
   */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#refreshTimer) clearInterval(this.#refreshTimer)
    this.#client.close()
    const server = this.#server
    this.#server = undefined
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
    }
    this.#hot?.close()
  }

  /** True once `close()` has been called. */
  get closed(): boolean {
    return this.#closed
  }

  // ---- asking the owner ------------------------------------------------------------------------------

  async #fetch(key: string, owner: string): Promise<V | undefined> {
    if (!this.#health.isUp(owner)) return this.#fallback(key)
    this.#counters.peerFetches++
    let reply: Reply
    let value: V | undefined
    try {
      reply = await this.#client.fetch(owner, key)
      if (reply.status === ReplyStatus.Refused)
        throw new CortadoError('ERR_PEER', `peer ${owner} refused the request for '${key}': ${messageOf(reply)}`)
      if (reply.status === ReplyStatus.Value) value = this.#values.decode(reply, owner)
    } catch (error) {
      if (this.#closed) throw new CortadoError('ERR_CLOSED', `peer group ${this.name} was closed while asking ${owner} for '${key}'`, { cause: error })
      this.#counters.peerErrors++
      this.#health.markDown(owner)
      this.#reportPeerError(error, owner)
      return this.#fallback(key)
    }
    // An answer proves the owner alive, even if another request to it failed meanwhile.
    this.#health.markUp(owner)
    // The owner is fine and its origin is not: loading here too would only hit the failing origin twice.
    if (reply.status === ReplyStatus.LoadFailed)
      throw new CortadoError('ERR_LOADER', `loading '${key}' failed at its owner ${owner}: ${messageOf(reply)}`)
    if (value !== undefined) this.#hot?.offer(key, value)
    return value
  }

  /** The owner could not answer: load here, through the cache's single-flight, and keep the value locally. */
  #fallback(key: string): Promise<V | undefined> {
    this.#counters.fallbacks++
    return this.#cache.getOrLoad(key, this.#load)
  }

  // ---- answering peers ------------------------------------------------------------------------------

  async #serve(key: string, hangUp: () => AbortSignal): Promise<Buffer> {
    // The common case, a key the owner holds, answers without setting up a wait.
    let value = this.#cache.get(key)
    if (value === undefined) {
      try {
        value = await this.#cache.getOrLoad(key, this.#load, { signal: hangUp() })
      } catch (error) {
        if (isCortadoError(error, 'ERR_LOADER') || isCortadoError(error, 'ERR_TIMEOUT')) {
          const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ''
          return encodeMessageReply(ReplyStatus.LoadFailed, `${error.message}${cause}`)
        }
        throw error
      }
    }
    try {
      return this.#values.encode(value)
    } catch (error) {
      return encodeMessageReply(ReplyStatus.LoadFailed, `the loaded value cannot be encoded: ${(error as Error).message}`)
    }
  }

  #reportPeerError(error: unknown, owner: string): void {
    if (!this.#onPeerError) return
    const typed = error instanceof CortadoError ? error : new CortadoError('ERR_PEER', `peer ${owner} failed: ${String(error)}`, { cause: error })
    try {
      this.#onPeerError(typed, owner)
    } catch {
      // A logging hook must not turn a fallback that worked into a failure.
    }
  }

  #count(counter: PeerCounter): void {
    this.#counters[counter]++
  }

  #checkOpen(): void {
    if (this.#closed) throw new CortadoError('ERR_CLOSED', `peer group ${this.name} is closed`)
  }
}
