/** The caches a service server runs on, made through the bench's peer adapters, and their fill. */
import { cortadoFrontPeer, cortadoPeer } from '../peers/cortado.js'
import { lruCachePeer } from '../peers/lru-cache.js'
import type { BenchCache, Peer } from '../peers/types.js'
import type { ServiceCache } from './handler.js'
import { idOfRank } from './keys.js'
import { itemKey, recordBytes, recordJson } from './record.js'

/** Stores the `count` most popular records, coldest first, so the hottest are the most recently set. */
export function fillHottest(cache: ServiceCache, count: number, keySpace: number): void {
  for (let rank = count - 1; rank >= 0; rank--) {
    const id = idOfRank(rank, keySpace)
    cache.set(itemKey(id), recordJson(id))
  }
}

/**
 * The peers a service compares, imported alone: the server's heap and RSS then hold that peer and
 * nothing of the other peers' libraries.
 */
const SERVICE_PEERS: readonly Peer[] = [lruCachePeer, cortadoPeer, cortadoFrontPeer]

/** A peer's cache for records of this key space, through its bench adapter (the library's own get/set). */
export async function createPeerCache(peerId: string, entries: number, keySpace: number): Promise<BenchCache & ServiceCache> {
  const peer = SERVICE_PEERS.find((p) => p.id === peerId)
  if (!peer) throw new Error(`the service suites run ${SERVICE_PEERS.map((p) => p.id).join(' and ')}, not ${peerId}`)
  const unavailable = await peer.load()
  if (unavailable) throw new Error(unavailable)
  return peer.create({ entries, valueKind: 'string', ...recordBytes(keySpace) }) as BenchCache & ServiceCache
}
