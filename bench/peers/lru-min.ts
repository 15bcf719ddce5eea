import { createLRU } from 'lru.min'
import { packageVersion } from '../harness/project.js'
import { loopGetMany, loopSetMany, type BenchCache, type Peer, type Value } from './types.js'

export const lruMinPeer: Peer = {
  id: 'lru.min',
  name: 'lru.min',
  version: packageVersion('lru.min'),
  bound: 'max = entries; exact LRU',
  batch: 'loop',
  load: async () => undefined,
  create(spec): BenchCache {
    const cache = createLRU<string, Value>({ max: spec.entries })
    return Object.assign(cache, {
      getMany: (keys: readonly string[]) => loopGetMany(cache, keys),
      setMany: (entries: readonly (readonly [string, Value])[]) => loopSetMany(cache, entries),
      close: () => cache.clear(),
    })
  },
}
