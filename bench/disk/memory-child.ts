/**
 * One disk store alone in a fresh process: fill it with N keys (16 B keys, 100 B values, sync 'none'),
 * and report what the V8 heap and the resident set grew by. Run by the `disk` suite.
 */
import { childMain } from '../harness/child.js'
import { fullGc } from '../harness/gc.js'
import { DISK_PEERS, freshDir, removeDir } from './stores.js'
import { fill } from './workload.js'

export interface DiskMemoryInput {
  peer: string
  keys: number
}

export interface DiskMemoryOutput {
  heapBytes: number
  rssBytes: number
  externalBytes: number
}

childMain<DiskMemoryInput, DiskMemoryOutput>(async (input) => {
  const gc = fullGc()
  const peer = DISK_PEERS.find((p) => p.id === input.peer)!
  const dir = freshDir(peer.id)
  try {
    const store = await peer.open(dir, 'none')
    gc()
    gc()
    const before = process.memoryUsage()
    await fill(store, input.keys, 0)
    gc()
    gc()
    const after = process.memoryUsage()
    if (store.getSync(`k${(input.keys - 1).toString(36).padStart(15, '0')}`) === undefined) throw new Error('fill check failed')
    await store.close()
    return { heapBytes: after.heapUsed - before.heapUsed, rssBytes: after.rss - before.rss, externalBytes: after.external - before.external }
  } finally {
    removeDir(dir)
  }
})
