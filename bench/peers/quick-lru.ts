import QuickLRU from 'quick-lru'
import { packageVersion } from '../harness/project.js'
import { withLoopBatches, type Peer, type Value } from './types.js'

export const quickLruPeer: Peer = {
  id: 'quick-lru',
  name: 'quick-lru',
  version: packageVersion('quick-lru'),
  // Its two-generation design keeps between maxSize and 2 × maxSize entries: per-entry figures divide
  // by what it really holds, and its hit ratio benefits from the extra room.
  bound: 'maxSize = entries (holds up to 2 × entries); approximate LRU, two generations',
  batch: 'loop',
  load: async () => undefined,
  create: (spec) => withLoopBatches(new QuickLRU<string, Value>({ maxSize: spec.entries })),
}
