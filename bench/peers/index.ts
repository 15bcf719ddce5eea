/** Every in-process peer, the baseline first. A new peer is one file in this folder and one line here. */
import type { Skip } from '../harness/results.js'
import { cortadoPeer, cortadoFrontPeer } from './cortado.js'
import { frontFloorPeer } from './front-floor.js'
import { lruCachePeer } from './lru-cache.js'
import { lruMinPeer } from './lru-min.js'
import { mapPeer } from './map.js'
import { mnemonistPeer } from './mnemonist.js'
import { quickLruPeer } from './quick-lru.js'
import { ttlcachePeer } from './ttlcache.js'
import { BASELINE, type Peer } from './types.js'
import { FLOOR, FLOOR_NAME } from '../service/floor.js'

export const PEERS: readonly Peer[] = [lruCachePeer, cortadoPeer, cortadoFrontPeer, frontFloorPeer, mnemonistPeer, lruMinPeer, quickLruPeer, ttlcachePeer, mapPeer]

export class UnknownPeerError extends Error {
  override name = 'UnknownPeerError'
}

/** The peers to run (all, or the --peers list plus the baseline), loaded; those that cannot load are skipped. */
export async function selectPeers(ids: readonly string[]): Promise<{ runnable: Peer[]; unavailable: Skip[] }> {
  for (const id of ids) {
    if (!PEERS.some((p) => p.id === id)) {
      throw new UnknownPeerError(`unknown peer "${id}"; known: ${PEERS.map((p) => p.id).join(', ')}`)
    }
  }
  const wanted = PEERS.filter((p) => ids.length === 0 || p.id === BASELINE || ids.includes(p.id))
  const runnable: Peer[] = []
  const unavailable: Skip[] = []
  for (const peer of wanted) {
    const reason = await peer.load()
    if (reason === undefined) runnable.push(peer)
    else unavailable.push({ peer: peer.id, reason })
  }
  return { runnable, unavailable }
}

/** Display name of a figure's id: a peer, Redis, or a simulated policy ("sim:arc" → "ARC (sim)"). */
export function displayName(id: string): string {
  const peer = PEERS.find((p) => p.id === id)
  if (peer) return peer.name
  if (id === 'redis') return 'Redis'
  if (id === FLOOR) return FLOOR_NAME
  if (id.startsWith('sim:')) return `${id.slice(4)} (sim)`
  return id
}
