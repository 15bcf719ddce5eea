import { createLRU } from 'lru.min'
import { packageVersion } from '../harness/project.js'
import { withLoopBatches, type Peer, type Value } from './types.js'

export const lruMinPeer: Peer = {
  id: 'lru.min',
  name: 'lru.min',
  version: packageVersion('lru.min'),
  bound: 'max = entries; exact LRU',
  batch: 'loop',
  load: async () => undefined,
  create: (spec) => withLoopBatches(createLRU<string, Value>({ max: spec.entries })),
}
