import { LRUCache } from 'lru-cache'
import { packageVersion } from '../harness/project.js'
import { withLoopBatches, type Peer, type Value } from './types.js'

/** The baseline: the most used LRU for Node. The suites call its own get/set, with no wrapper between. */
export const lruCachePeer: Peer = {
  id: 'lru-cache',
  name: 'lru-cache',
  version: packageVersion('lru-cache'),
  bound: 'max = entries; exact LRU',
  batch: 'loop',
  load: async () => undefined,
  create: (spec) => withLoopBatches(new LRUCache<string, Value>({ max: spec.entries })),
}
