/**
 * One disk store alone in a fresh process: fill it with N keys (16 B keys, 100 B values, sync 'none'),
 * and report the V8 heap it holds (given back when it is closed and dropped) and what the resident set
 * grew by over the last nine tenths of the fill, scaled to N keys. Run by the `disk` suite.
 */
import { setFlagsFromString } from 'node:v8'
import { childMain } from '../harness/child.js'
import { fullGc } from '../harness/gc.js'
import { DISK_PEERS, freshDir, removeDir, type DiskStore } from './stores.js'
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

// V8 drops the bytecode of functions unused for a few full GCs: without this, the loader's code being
// flushed between the two measurements shows up as the heap shrinking by megabytes.
setFlagsFromString('--no-flush-bytecode')

/**
 * Collects until the heap stops shrinking, letting the event loop turn in between: what module loading
 * and the IPC handshake left alive (~10 MB) is only released after a few turns, and would otherwise be
 * counted against the store as negative growth.
 */
async function settle(gc: () => void): Promise<NodeJS.MemoryUsage> {
  let last = Infinity
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    gc()
    const used = process.memoryUsage().heapUsed
    if (used >= last - 64 * 1024 && i >= 3) break
    last = used
  }
  return process.memoryUsage()
}

childMain<DiskMemoryInput, DiskMemoryOutput>(async (input) => {
  const gc = fullGc()
  const peer = DISK_PEERS.find((p) => p.id === input.peer)!
  const dir = freshDir(peer.id)
  try {
    let store: DiskStore | undefined = await peer.open(dir, 'none')
    // The first tenth of the keys is a warm-up: resident growth is measured over the other nine tenths.
    const warm = Math.floor(input.keys / 10)
    await fill(store, warm, 0)
    const before = await settle(gc)
    await fill(store, input.keys, 0, warm)
    const filled = await settle(gc)
    if (store.getSync(`k${(input.keys - 1).toString(36).padStart(15, '0')}`) === undefined) throw new Error('fill check failed')
    await store.close()
    store = undefined
    // The heap the store holds is what closing and dropping it gives back (a difference taken over the
    // fill is blurred by ~10 MB that module loading leaves in old space and the fill's GCs release).
    const released = await settle(gc)
    const scale = input.keys / (input.keys - warm)
    return {
      heapBytes: filled.heapUsed - released.heapUsed,
      rssBytes: (filled.rss - before.rss) * scale,
      externalBytes: filled.external - released.external,
    }
  } finally {
    removeDir(dir)
  }
})
