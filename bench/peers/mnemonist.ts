import { LRUCache } from 'mnemonist'
import { packageVersion } from '../harness/project.js'
import { loopGetMany, loopSetMany, type BenchCache, type Peer, type Value } from './types.js'

export const mnemonistPeer: Peer = {
  id: 'mnemonist',
  name: 'mnemonist LRUCache',
  version: packageVersion('mnemonist'),
  bound: 'capacity = entries; exact LRU over preallocated typed arrays',
  batch: 'loop',
  load: async () => undefined,
  create(spec): BenchCache {
    const cache = new LRUCache<string, Value>(spec.entries)
    return Object.assign(cache, {
      getMany: (keys: readonly string[]) => loopGetMany(cache, keys),
      setMany: (entries: readonly (readonly [string, Value])[]) => loopSetMany(cache, entries),
      close: () => cache.clear(),
    })
  },
}
