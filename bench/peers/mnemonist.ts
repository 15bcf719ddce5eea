import { LRUCache } from 'mnemonist'
import { packageVersion } from '../harness/project.js'
import { withLoopBatches, type Peer, type Value } from './types.js'

export const mnemonistPeer: Peer = {
  id: 'mnemonist',
  name: 'mnemonist LRUCache',
  version: packageVersion('mnemonist'),
  bound: 'capacity = entries; exact LRU over preallocated typed arrays',
  batch: 'loop',
  load: async () => undefined,
  create: (spec) => withLoopBatches(new LRUCache<string, Value>(spec.entries)),
}
