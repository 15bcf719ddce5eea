/**
 * Peers that fill for each other (groupcache-style): consistent-hash ownership, one load per key in the
 * whole group, hot copies, local fallback. See docs/peers.md.
 */
export { PeerGroup } from './peer-group.js'
export type { PeerGetOptions, PeerListenOptions } from './peer-group.js'
export type { PeerGroupOptions, PeerList, PeerCache } from './options.js'
export type { HotCacheOptions } from './hot-cache.js'
export type { PeerGroupStats } from './stats.js'
export { WIRE_VERSION, PEER_PATH, SECRET_HEADER } from './wire.js'
