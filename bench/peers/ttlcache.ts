import { TTLCache } from '@isaacs/ttlcache'
import { packageVersion } from '../harness/project.js'
import { withLoopBatches, type Peer, type Value } from './types.js'

/**
 * A finite TTL longer than any run: version 2.1.5 with `ttl: Infinity` and a `max` never finds an entry
 * to evict once full and loops forever (observed here), and without a ttl it refuses to set.
 */
const TTL_MS = 24 * 3600 * 1000

export const ttlcachePeer: Peer = {
  id: 'ttlcache',
  name: '@isaacs/ttlcache',
  version: packageVersion('@isaacs/ttlcache'),
  bound: 'max = entries, ttl = 24 h; evicts the soonest to expire (insertion order here)',
  batch: 'loop',
  load: async () => undefined,
  // clear() (as close) also cancels its expiry timer, which would otherwise keep the process alive.
  create: (spec) => withLoopBatches(new TTLCache<string, Value>({ max: spec.entries, ttl: TTL_MS })),
}
