/**
 * PeerGroup counters, kept by this process's group object (each process of the group has its own:
 * sum them over processes, e.g. in Prometheus, for the group's totals).
 */
export interface PeerGroupStats {
  /** get() answered from the local cache (owned keys, and keys loaded locally as a fallback). */
  localHits: number
  /** get() answered from the hot cache (a copy of a key owned elsewhere). */
  hotHits: number
  /** Requests sent to owners. */
  peerFetches: number
  /** get() calls that joined a request to the owner already in flight for the same key. */
  coalesced: number
  /** Requests to owners that failed: timeout, connection error, refusal, or a reply that did not check or decode. */
  peerErrors: number
  /** Loads done here for a key owned by another peer, because it failed or was marked unhealthy. */
  fallbacks: number
  /** Calls of the origin loader in this process (owned keys, peers' requests and fallbacks). */
  originLoads: number
  /** Requests from peers answered (with a value, a miss or the loader's failure). */
  served: number
  /** Requests from peers refused: wrong secret, protocol version, malformed frame or key over the limit. */
  refused: number
  /** Times the peer list function threw or returned something invalid (the previous list stays). */
  membershipErrors: number
  /** Errors of the server listen() started, after it started listening (it keeps serving). */
  serverErrors: number
  /** Members now, this peer included. */
  peers: number
  /** Peers currently marked unhealthy (their keys load locally until the period ends). */
  unhealthyPeers: number
  /** Copies in the hot cache now; 0 without a hot cache. */
  hotEntries: number
  /** Bytes of the copies in the hot cache now (header + key + value); 0 without a hot cache. */
  hotBytes: number
  /** Copies the hot cache evicted to make room. */
  hotEvictions: number
  /** Copies the hot cache refused (admission policy, or larger than an entry may be). */
  hotRejections: number
}

export type PeerCounter = 'localHits' | 'hotHits' | 'peerFetches' | 'coalesced' | 'peerErrors' | 'fallbacks' | 'originLoads' | 'served' | 'refused' | 'membershipErrors' | 'serverErrors'

export class PeerCounters {
  localHits = 0
  hotHits = 0
  peerFetches = 0
  coalesced = 0
  peerErrors = 0
  fallbacks = 0
  originLoads = 0
  served = 0
  refused = 0
  membershipErrors = 0
  serverErrors = 0
}
