import { LRUCache } from 'lru-cache'
import { packageVersion } from '../harness/project.js'
import { loopGetMany, loopSetMany, type BenchCache, type Peer, type Value } from './types.js'

/** The baseline: the most used LRU for Node. The suites call its own get/set, with no wrapper between. */
export const lruCachePeer: Peer = {
  id: 'lru-cache',
  name: 'lru-cache',
  version: packageVersion('lru-cache'),
  bound: 'max = entries; exact LRU',
  batch: 'loop',
  load: async () => undefined,
  create(spec): BenchCache {
    const cache = new LRUCache<string, Value>({ max: spec.entries })
    return Object.assign(cache, {
      getMany: (keys: readonly string[]) => loopGetMany(cache, keys),
      setMany: (entries: readonly (readonly [string, Value])[]) => loopSetMany(cache, entries),
      close: () => cache.clear(),
    })
  },
}
