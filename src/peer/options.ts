/** PeerGroup's options, and their validation: every bad option is a CortadoError ERR_INVALID_OPTION. */
import type { Cache } from '../cache.js'
import { CortadoError, shown } from '../errors.js'
import type { Loader } from '../loading/types.js'
import { positiveInteger, timerMs } from '../options.js'
import type { Codec, CodecName } from '../types.js'
import type { HotCacheOptions } from './hot-cache.js'
import { normalizePeerAddress, normalizePeerList } from './membership.js'

/** The member list: fixed, or read again every `refreshMs` (e.g. a DNS lookup of a headless service). */
export type PeerList = readonly string[] | (() => readonly string[] | Promise<readonly string[]>)

/** What of the Cache the group uses (its public API only). */
export type PeerCache<V> = Pick<Cache<V>, 'get' | 'getOrLoad' | 'invalidate' | 'closed'>

/** Options of `new PeerGroup(options)`: the members, the local cache and the origin loader are required. */
export interface PeerGroupOptions<V> {
  /** This peer's address as the other peers reach it, e.g. 'http://10.0.0.5:7700'. */
  self: string
  /** Every peer's address (self may be listed or not), or a function returning them; see also setPeers(). */
  peers: PeerList
  /** The local cache: the keys this peer owns (and fallback loads) are stored here. */
  cache: PeerCache<V>
  /** The origin loader: called once in the whole group per key (per cached lifetime of that key). */
  load: Loader<V>
  /** A cache for copies of hot keys owned by other peers. Default: none (every remote key crosses the network). */
  hotCache?: HotCacheOptions
  /** How long an asker waits for an owner (connect, owner's load, reply) before loading locally. Default 5000. */
  timeoutMs?: number
  /** How long an owner that failed is not asked (its keys load locally). Default 5000. */
  unhealthyMs?: number
  /** Ring points per peer (the same on every peer). Default 100. */
  vnodes?: number
  /** A shared secret: peers refuse requests that don't carry it. Default: none (protect the port otherwise). */
  secret?: string
  /** How values cross the wire (and sit in the hot cache). The kind byte travels too. Default 'auto'. */
  codec?: CodecName | Codec<V>
  /** With `peers` a function: how often to call it, in ms. Default 10000. */
  refreshMs?: number
  /** Name for metrics and error messages. Default: self. */
  name?: string
  /**
   * Called with each failed request to an owner (the CortadoError, with the owner's address), for logs:
   * the get itself falls back and succeeds. Exceptions it throws are ignored. Default: none.
   */
  onPeerError?: (error: CortadoError, peer: string) => void
}

export interface ResolvedPeerOptions<V> {
  self: string
  initialPeers: string[]
  peerSource: (() => readonly string[] | Promise<readonly string[]>) | undefined
  cache: PeerCache<V>
  load: Loader<V>
  hotCache: HotCacheOptions | undefined
  timeoutMs: number
  unhealthyMs: number
  vnodes: number
  secret: string | undefined
  codec: CodecName | Codec<V>
  refreshMs: number
  name: string
  onPeerError: ((error: CortadoError, peer: string) => void) | undefined
}

const KNOWN = new Set([
  'self', 'peers', 'cache', 'load', 'hotCache', 'timeoutMs', 'unhealthyMs', 'vnodes', 'secret', 'codec', 'refreshMs', 'name',
  'onPeerError',
])

export function resolvePeerOptions<V>(options: PeerGroupOptions<V>): ResolvedPeerOptions<V> {
  if (typeof options !== 'object' || options === null)
    throw new CortadoError('ERR_INVALID_OPTION', 'new PeerGroup(options): options must be an object with self, peers, cache and load')
  for (const key of Object.keys(options))
    if (!KNOWN.has(key)) throw new CortadoError('ERR_INVALID_OPTION', `unknown PeerGroup option '${key}'`)
  const self = normalizePeerAddress(options.self, 'self')
  const peers = options.peers
  const peerSource = typeof peers === 'function' ? peers : undefined
  const initialPeers = peerSource ? [self] : normalizePeerList(peers, 'peers')
  const cache = options.cache
  if (typeof cache !== 'object' || cache === null || typeof cache.getOrLoad !== 'function' || typeof cache.get !== 'function')
    throw new CortadoError('ERR_INVALID_OPTION', `cache must be a Cortado Cache, got ${shown(cache)}`)
  if (typeof options.load !== 'function')
    throw new CortadoError('ERR_INVALID_OPTION', `load must be a function (key, { signal }) => value, got ${shown(options.load)}`)
  if (options.secret !== undefined && (typeof options.secret !== 'string' || options.secret === ''))
    throw new CortadoError('ERR_INVALID_OPTION', `secret must be a non-empty string, got ${shown(options.secret)}`)
  if (options.onPeerError !== undefined && typeof options.onPeerError !== 'function')
    throw new CortadoError('ERR_INVALID_OPTION', `onPeerError must be a function, got ${shown(options.onPeerError)}`)
  if (options.name !== undefined && typeof options.name !== 'string')
    throw new CortadoError('ERR_INVALID_OPTION', `name must be a string, got ${shown(options.name)}`)
  return {
    self,
    initialPeers,
    peerSource,
    cache,
    load: options.load,
    hotCache: options.hotCache,
    timeoutMs: timerMs(positiveInteger(options.timeoutMs, 'timeoutMs', 5000), 'timeoutMs'),
    unhealthyMs: positiveInteger(options.unhealthyMs, 'unhealthyMs', 5000),
    vnodes: positiveInteger(options.vnodes, 'vnodes', 100),
    secret: options.secret,
    codec: options.codec ?? 'auto',
    refreshMs: timerMs(positiveInteger(options.refreshMs, 'refreshMs', 10_000), 'refreshMs'),
    name: options.name ?? self,
    onPeerError: options.onPeerError,
  }
}
